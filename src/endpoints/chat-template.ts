import { Template } from "@huggingface/jinja";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** ChatML, the format of the Qwen2.5 family (and many others). */
export const CHATML_TEMPLATE =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

/** Llama 3 instruct format (BOS left to the server's tokenizer). */
export const LLAMA3_TEMPLATE =
  "{%- for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";

/**
 * A Hugging Face chat template (Jinja, as in a model's `tokenizer_config.json`), compiled once.
 * `bos_token`/`eos_token` are rendered empty: the server's tokenizer adds BOS itself.
 */
export class ChatTemplate {
  private readonly template: Template;

  constructor(readonly source: string) {
    try {
      this.template = new Template(source);
    } catch (e) {
      throw new Error(
        `The chat template could not be parsed (${e instanceof Error ? e.message : String(e)}): ` +
          "paste the `chat_template` string from the model's tokenizer_config.json.",
      );
    }
  }

  render(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
    return this.template.render({
      messages: messages.map((m) => ({ ...m })),
      add_generation_prompt: addGenerationPrompt,
      bos_token: "",
      eos_token: "",
    });
  }
}

/**
 * A built-in template matching the markers of a server's own template (Ollama's Go template
 * from `/api/show`, or any rendered prompt): ChatML or Llama 3. Null when neither matches.
 */
export function builtinTemplateFor(serverTemplate: string): string | null {
  if (serverTemplate.includes("<|im_start|>")) return CHATML_TEMPLATE;
  if (serverTemplate.includes("<|start_header_id|>")) return LLAMA3_TEMPLATE;
  return null;
}
