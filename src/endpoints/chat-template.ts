import { Template } from "@huggingface/jinja";
import { TEMPLATE_BUDGET, TemplateBudgetError, type TemplateBudget } from "./template-budget.js";
import { renderOnThread } from "./template-thread.js";

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

/** Longest chat template accepted, in characters (real ones are a few thousand). */
export const MAX_TEMPLATE_CHARS = 100_000;

/**
 * A Hugging Face chat template (Jinja, as in a model's `tokenizer_config.json`), parsed here (so
 * a syntax error shows at once) and rendered on its own thread under a step, time and size
 * budget (`template-thread.ts`, `template-budget.ts`): a template is code, and one from a
 * workspace or a model card must not freeze the editor or fill its memory.
 * `bos_token`/`eos_token` are rendered empty: the server's tokenizer adds BOS itself. Errors
 * name `origin`, where the template came from (a setting, a built-in template).
 */
export class ChatTemplate {
  constructor(
    readonly source: string,
    private readonly origin = "The chat template",
    private readonly budget: TemplateBudget = TEMPLATE_BUDGET,
  ) {
    if (source.length > MAX_TEMPLATE_CHARS)
      throw new Error(
        `${origin} is ${source.length} characters long, more than the ${MAX_TEMPLATE_CHARS} accepted: ` +
          "paste the `chat_template` string from the model's tokenizer_config.json.",
      );
    try {
      new Template(source);
    } catch (e) {
      throw new Error(
        `${origin} could not be parsed (${e instanceof Error ? e.message : String(e)}): ` +
          "paste the `chat_template` string from the model's tokenizer_config.json.",
      );
    }
  }

  async render(messages: readonly ChatMessage[], addGenerationPrompt: boolean): Promise<string> {
    try {
      return await renderOnThread({
        source: this.source,
        items: {
          messages: messages.map((m) => ({ ...m })),
          add_generation_prompt: addGenerationPrompt,
          bos_token: "",
          eos_token: "",
        },
        budget: this.budget,
      });
    } catch (e) {
      if (e instanceof TemplateBudgetError)
        throw new Error(
          `${this.origin} was stopped: rendering one prompt ${e.what}, far more than a chat template needs. ` +
            "Use the model's own `chat_template` from its tokenizer_config.json, or clear the setting.",
        );
      throw new Error(`${this.origin} failed to render: ${e instanceof Error ? e.message : String(e)}`);
    }
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
