import { StreamedChoices } from "../adapters/choices.js";
import type { EndpointClient } from "../client.js";
import type { PolicyRoute, SampleRequest, SampleResult } from "./base.js";
import { withUsage } from "./estimate.js";
import type { PromptRenderer } from "./renderer.js";

/**
 * `/v1/completions`, streamed, with the chat template rendered here: the prompt is the
 * problem's chat turns with the generation prompt, then the partial solution as plain text.
 * Works on any server with a completions endpoint (vLLM, SGLang, LM Studio, …).
 */
export class CompletionsRoute implements PolicyRoute {
  readonly continuation = true;
  readonly description = "completions with the chat template rendered by the client";

  constructor(
    private readonly client: EndpointClient,
    private readonly model: string,
    private readonly renderer: PromptRenderer,
    public maxN: number,
    /** False: whole responses, not token streams (PolicyEndpointConfig.stream). */
    private readonly stream = true,
  ) {}

  async sample(r: SampleRequest): Promise<SampleResult> {
    const prompt = (await this.renderer.open(r.problem, r.signal)) + r.prefixText;
    const body: Record<string, unknown> = {
      model: this.model,
      prompt,
      temperature: r.temperature,
      max_tokens: r.maxTokens,
      // Unstreamed, the server answers one JSON body, which the stream reader takes whole.
      ...(this.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...(r.n > 1 ? { n: r.n } : {}),
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.mode === "step" && r.delimiter ? { stop: [r.delimiter] } : {}),
    };
    const { value } = await this.client.stream("/v1/completions", body, "sse", () => new StreamedChoices(), {
      signal: r.signal,
      usage: (v) => (v as ReturnType<StreamedChoices["result"]>).usage,
    });
    return withUsage(value, prompt);
  }
}
