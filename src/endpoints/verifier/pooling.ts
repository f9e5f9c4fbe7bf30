import type { Problem, ScoreResult } from "../../core/index.js";
import { parsePoolingStepRewards } from "../adapters/pooling.js";
import { parseUsage } from "../adapters/usage.js";
import { HttpVerifier } from "./base.js";
import { EndpointError } from "../errors.js";
import { DEFAULT_SYSTEM_PROMPT } from "../policy/prompt.js";

/** Qwen2.5-Math-PRM's step tag. */
export const EXTRA_0 = "<extra_0>";

/**
 * A classifier-head PRM (Qwen2.5-Math-PRM) on vLLM's `/pooling`: the model card's chat (system
 * prompt, the problem, the steps each followed by `<extra_0>`), rendered by the server's own
 * template, in one request per path. The server answers one `[p_bad, p_good]` row per tag;
 * the score is p_good. A tag inside the problem or a step would shift the rows, so it is removed
 * first.
 */
export class PoolingVerifier extends HttpVerifier {
  readonly kind = "vllm-pooling" as const;

  protected async scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    const clean = steps.map((s) => s.split(EXTRA_0).join("").trim());
    const body = {
      model: this.model,
      messages: [
        { role: "system", content: DEFAULT_SYSTEM_PROMPT },
        { role: "user", content: problem.text.split(EXTRA_0).join("") },
        { role: "assistant", content: clean.join(EXTRA_0) + EXTRA_0 },
      ],
      add_generation_prompt: false,
      encoding_format: "float",
    };
    const { value, url } = await this.client.json("/pooling", body, { signal, usage: parseUsage });
    let scores: number[];
    try {
      scores = parsePoolingStepRewards(value);
    } catch (e) {
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: "answered /pooling with no step scores",
        serverMessage: e instanceof Error ? e.message : String(e),
        hint: "Serve a process reward model with the pooling runner (vllm serve Qwen/Qwen2.5-Math-PRM-7B).",
      });
    }
    if (scores.length !== steps.length)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: `returned ${scores.length} step scores for ${steps.length} steps`,
        hint:
          `The PRM must score each ${EXTRA_0} tag: serve a Qwen2.5-Math-PRM-style model, or for another ` +
          "PRM set its step tag in --pooler-config, or use the token-logprob verifier.",
      });
    return { scores, usage: parseUsage(value) ?? { promptTokens: 0, completionTokens: 0 } };
  }
}
