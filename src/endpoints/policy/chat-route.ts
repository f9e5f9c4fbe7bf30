import { StreamedChoices } from "../adapters/choices.js";
import type { ServerFlavour } from "../adapters/models.js";
import type { ChatMessage } from "../chat-template.js";
import type { EndpointClient } from "../client.js";
import type { PolicyRoute, SampleRequest, SampleResult } from "./base.js";
import { withUsage } from "./estimate.js";
import { samplesAllowed } from "./n-limit.js";
import { problemMessages } from "./prompt.js";

/** OpenAI's newer models refuse `max_tokens` on chat; every other server knows only that name. */
export function maxTokensField(flavour: ServerFlavour): "max_tokens" | "max_completion_tokens" {
  return flavour === "openai" ? "max_completion_tokens" : "max_tokens";
}

/** Body fields that make each server continue a trailing assistant message. */
function continuationFields(flavour: ServerFlavour): Record<string, unknown> {
  switch (flavour) {
    case "llamacpp":
      // llama-server prefills a trailing assistant message by default (--prefill-assistant).
      return {};
    case "sglang":
      return { continue_final_message: true };
    default:
      // vLLM needs add_generation_prompt false alongside (its default is true; both true is a 400).
      return { continue_final_message: true, add_generation_prompt: false };
  }
}

/**
 * `/v1/chat/completions`, streamed. With `continuation`, a partial solution is sent as a
 * trailing assistant message that the server continues (vLLM/SGLang `continue_final_message`,
 * llama.cpp prefill); without it, only whole solutions are written (OpenAI).
 */
export class ChatRoute implements PolicyRoute {
  readonly description: string;

  constructor(
    private readonly client: EndpointClient,
    private readonly model: string,
    private readonly flavour: ServerFlavour,
    readonly continuation: boolean,
    public maxN: number,
    private readonly systemPrompt?: string,
    /** False: whole responses, not token streams (PolicyEndpointConfig.stream). */
    private readonly stream = true,
  ) {
    this.description = continuation
      ? `chat with continuation of the assistant message (${flavour})`
      : "chat, whole solutions only";
  }

  async sample(r: SampleRequest): Promise<SampleResult> {
    const messages: ChatMessage[] = problemMessages(r.problem, this.systemPrompt);
    const continuing = this.continuation && r.prefixText.length > 0;
    if (continuing) messages.push({ role: "assistant", content: r.prefixText });
    const body: Record<string, unknown> = {
      model: this.model,
      messages,
      temperature: r.temperature,
      [maxTokensField(this.flavour)]: r.maxTokens,
      // Unstreamed, the server answers one JSON body, which the stream reader takes whole.
      ...(this.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...(r.n > 1 ? { n: r.n } : {}),
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.mode === "step" && r.delimiter ? { stop: [r.delimiter] } : {}),
      ...(continuing ? continuationFields(this.flavour) : {}),
    };
    const send = (b: Record<string, unknown>) =>
      this.client.stream("/v1/chat/completions", b, "sse", () => new StreamedChoices(), {
        signal: r.signal,
        usage: (v) => (v as ReturnType<StreamedChoices["result"]>).usage,
      });
    let answer;
    try {
      answer = await send(body);
    } catch (e) {
      const allowed = samplesAllowed(e);
      if (!(r.n > 1 && allowed !== null && allowed < r.n)) throw e;
      // The server allows fewer samples a request (llama-server: its slots; before n: one):
      // that many from now on; the policy asks for the rest when it sees fewer than it asked for.
      this.maxN = allowed;
      const { n: _n, ...rest } = body;
      answer = await send(allowed > 1 ? { ...rest, n: allowed } : rest);
    }
    const { value } = answer;
    const promptText = messages.map((m) => m.content).join("\n");
    return withUsage(value, promptText);
  }
}
