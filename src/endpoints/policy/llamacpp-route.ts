import { StreamedLlamaCompletion } from "../adapters/choices.js";
import type { EndpointClient } from "../client.js";
import type { PolicyRoute, SampleRequest, SampleResult } from "./base.js";
import { estimateUsage } from "./estimate.js";
import type { PromptRenderer } from "./renderer.js";

/**
 * llama.cpp's native `/completion`, streamed, on a prompt rendered by the server's template
 * (`/apply-template`) or a configured one. Chosen over `/v1/completions` because its
 * `stop_type` tells a matched stop string (`word`) from end of text (`eos`). One sample per
 * request, sent in parallel: `/completion` has `n_cmpl` only in recent builds, and how several
 * completions arrive in its stream is not documented (docs/reference/serving-apis.md §4 lists the field only), so
 * it is not used. (The chat route does use `n`, up to the server's slots.)
 */
export class LlamaCppRoute implements PolicyRoute {
  readonly continuation = true;
  readonly description = "llama.cpp /completion with the chat template applied";
  maxN = 1;

  constructor(
    private readonly client: EndpointClient,
    private readonly renderer: PromptRenderer,
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
    const { value, retries } = await this.client.stream(
      "/completion",
      body,
      "sse",
      () => new StreamedLlamaCompletion(),
      {
        signal: r.signal,
        usage: (v) => (v as ReturnType<StreamedLlamaCompletion["result"]>).usage,
      },
    );
    return {
      choices: value.choices,
      usage: estimateUsage(
        value.usage,
        prompt,
        value.choices.map((c) => c.text),
      ),
      retries,
    };
  }
}
