import type { BatchScoreResult, Problem, ScoreResult } from "../../core/index.js";
import { parsePoolingBatchStepRewards, parsePoolingStepRewards } from "../adapters/pooling.js";
import { NO_USAGE, parseUsage } from "../adapters/usage.js";
import { countRequests } from "../request-count.js";
import { HttpVerifier } from "./base.js";
import { EndpointError } from "../errors.js";
import { DEFAULT_SYSTEM_PROMPT } from "../policy/prompt.js";

/** Qwen2.5-Math-PRM's step tag. */
export const EXTRA_0 = "<extra_0>";

/**
 * Paths per batched `/pooling` request. vLLM makes each input its own engine request
 * (serving_pooling.py), so the batch only saves HTTP round trips; this bounds the body size.
 */
export const POOLING_BATCH = 64;

/** A path's chat as the model card writes it: system prompt, problem, tagged steps. */
function prmChat(
  problem: Problem,
  steps: readonly string[],
): { system: string; user: string; assistant: string } {
  const clean = steps.map((s) => s.split(EXTRA_0).join("").trim());
  return {
    system: DEFAULT_SYSTEM_PROMPT,
    user: problem.text.split(EXTRA_0).join(""),
    assistant: clean.join(EXTRA_0) + EXTRA_0,
  };
}

/**
 * The chat rendered with Qwen2.5's template and no generation prompt, as the server renders the
 * chat form (test/fixtures/servers/vllm_pooling_qwen_prm.json, `request_completion_form`); the
 * list form of `/pooling` takes only prompts, so the client renders them.
 */
export function renderQwenPrm(problem: Problem, steps: readonly string[]): string {
  const c = prmChat(problem, steps);
  return (
    `<|im_start|>system\n${c.system}<|im_end|>\n<|im_start|>user\n${c.user}<|im_end|>\n` +
    `<|im_start|>assistant\n${c.assistant}<|im_end|>\n`
  );
}

/**
 * A classifier-head PRM (Qwen2.5-Math-PRM) on vLLM's `/pooling`: the model card's chat (system
 * prompt, the problem, the steps each followed by `<extra_0>`), rendered by the server's own
 * template, in one request per path. The server answers one `[p_bad, p_good]` row per tag;
 * the score is p_good. A tag inside the problem or a step would shift the rows, so it is removed
 * first. Several paths go in one request as the completion form's list of prompts
 * (`scoreBatch`, rendered by `renderQwenPrm`, `add_special_tokens: false`); the server answers
 * one `data` item per input and the usage of all of them.
 */
export class PoolingVerifier extends HttpVerifier {
  readonly kind = "vllm-pooling" as const;
  readonly maxBatch = POOLING_BATCH;

  scoreBatch(
    problem: Problem,
    paths: readonly (readonly string[])[],
    signal?: AbortSignal,
  ): Promise<BatchScoreResult & { requests: number; retries: number }> {
    return countRequests(async () => {
      const body = {
        model: this.model,
        input: paths.map((steps) => renderQwenPrm(problem, steps)),
        add_special_tokens: false,
        encoding_format: "float",
      };
      const { value, url } = await this.client.json("/pooling", body, { signal, usage: parseUsage });
      const scores = parsePoolingBatchStepRewards(value, paths.length).map((rows, i) =>
        rows instanceof Error
          ? this.noScores(url, rows)
          : rows.length === paths[i]!.length
            ? rows
            : this.wrongCount(url, rows.length, paths[i]!.length),
      );
      return { scores, usage: parseUsage(value) ?? NO_USAGE };
    });
  }

  private noScores(url: string, e: Error): EndpointError {
    return new EndpointError({
      endpoint: this.client.endpoint,
      url,
      what: "answered /pooling with no step scores",
      serverMessage: e.message,
      hint: "Serve a process reward model with the pooling runner (vllm serve Qwen/Qwen2.5-Math-PRM-7B).",
    });
  }

  private wrongCount(url: string, got: number, steps: number): EndpointError {
    return new EndpointError({
      endpoint: this.client.endpoint,
      url,
      what: `returned ${got} step scores for ${steps} steps`,
      hint:
        `The PRM must score each ${EXTRA_0} tag: serve a Qwen2.5-Math-PRM-style model, or for another ` +
        "PRM set its step tag in --pooler-config, or use the token-logprob verifier.",
    });
  }

  protected async scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    const c = prmChat(problem, steps);
    const body = {
      model: this.model,
      messages: [
        { role: "system", content: c.system },
        { role: "user", content: c.user },
        { role: "assistant", content: c.assistant },
      ],
      add_generation_prompt: false,
      encoding_format: "float",
    };
    const { value, url } = await this.client.json("/pooling", body, { signal, usage: parseUsage });
    let scores: number[];
    try {
      scores = parsePoolingStepRewards(value);
    } catch (e) {
      throw this.noScores(url, e instanceof Error ? e : new Error(String(e)));
    }
    if (scores.length !== steps.length) throw this.wrongCount(url, scores.length, steps.length);
    return { scores, usage: parseUsage(value) ?? { promptTokens: 0, completionTokens: 0 } };
  }
}
