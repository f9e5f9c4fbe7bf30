import { StreamedLlamaCompletion } from "../adapters/choices.js";
import type { EndpointClient } from "../client.js";
import type { PolicyRoute, SampleRequest, SampleResult } from "./base.js";
import { withUsage } from "./estimate.js";
import { samplesAllowed } from "./n-limit.js";
import type { PromptRenderer } from "./renderer.js";

/**
 * llama.cpp's native `/completion`, streamed, on a prompt rendered by the server's template
 * (`/apply-template`) or a configured one. Chosen over `/v1/completions` because its
 * `stop_type` tells a matched stop string (`word`) from end of text (`eos`). Several samples go
 * in one request as `n_cmpl`, up to the server's slots: their events interleave, each with its
 * `index` and its own `stop: true` (docs/reference/llamacpp-real.md). A build that refuses the
 * number gets the one its 400 names from then on.
 */
export class LlamaCppRoute implements PolicyRoute {
  readonly continuation = true;
  readonly description = "llama.cpp /completion with the chat template applied";

  constructor(
    private readonly client: EndpointClient,
    private readonly renderer: PromptRenderer,
    /** Samples per request (`n_cmpl`): the server's slots. */
    public maxN = 1,
  ) {}

  async sample(r: SampleRequest): Promise<SampleResult> {
    const prompt = (await this.renderer.open(r.problem, r.signal)) + r.prefixText;
    const body: Record<string, unknown> = {
      prompt,
      n_predict: r.maxTokens,
      temperature: r.temperature,
      stream: true,
      cache_prompt: true,
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.mode === "step" && r.delimiter ? { stop: [r.delimiter] } : {}),
    };
    const send = (n: number) =>
      this.client.stream(
        "/completion",
        n > 1 ? { ...body, n_cmpl: n } : body,
        "sse",
        () => new StreamedLlamaCompletion(),
        {
          signal: r.signal,
          usage: (v) => (v as ReturnType<StreamedLlamaCompletion["result"]>).usage,
        },
      );
    let answer;
    try {
      answer = await send(r.n);
    } catch (e) {
      const allowed = samplesAllowed(e);
      if (!(r.n > 1 && allowed !== null && allowed < r.n)) throw e;
      this.maxN = allowed;
      answer = await send(allowed);
    }
    const { value } = answer;
    return withUsage(value, prompt);
  }
}
