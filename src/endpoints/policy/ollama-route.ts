import { StreamedOllamaGenerate } from "../adapters/choices.js";
import type { EndpointClient } from "../client.js";
import type { PolicyRoute, SampleRequest, SampleResult } from "./base.js";
import { withUsage } from "./estimate.js";
import type { PromptRenderer } from "./renderer.js";

/**
 * Ollama's native `/api/generate` with `raw: true`: no templating by the server, so the
 * prompt (chat turns rendered here, then the partial solution) is continued exactly. Ollama
 * has no `n`: one sample per request. Its stream is newline-delimited JSON.
 */
export class OllamaRawRoute implements PolicyRoute {
  readonly continuation = true;
  readonly description = "Ollama /api/generate with a raw prompt";
  maxN = 1;

  constructor(
    private readonly client: EndpointClient,
    private readonly model: string,
    private readonly renderer: PromptRenderer,
  ) {}

  async sample(r: SampleRequest): Promise<SampleResult> {
    const prompt = (await this.renderer.open(r.problem, r.signal)) + r.prefixText;
    const body = {
      model: this.model,
      prompt,
      raw: true,
      stream: true,
      options: {
        num_predict: r.maxTokens,
        temperature: r.temperature,
        ...(r.seed !== undefined ? { seed: r.seed } : {}),
        ...(r.mode === "step" && r.delimiter ? { stop: [r.delimiter] } : {}),
      },
    };
    const { value } = await this.client.stream(
      "/api/generate",
      body,
      "ndjson",
      () => new StreamedOllamaGenerate(),
      {
        signal: r.signal,
        usage: (v) => (v as ReturnType<StreamedOllamaGenerate["result"]>).usage,
      },
    );
    return withUsage(value, prompt);
  }
}
