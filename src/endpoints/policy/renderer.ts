import type { Problem } from "../../core/index.js";
import { asString, isObject } from "../adapters/shape.js";
import { ChatTemplate } from "../chat-template.js";
import type { EndpointClient } from "../client.js";
import { EndpointError } from "../errors.js";
import { problemMessages, promptKey } from "./prompt.js";

/** Renders the open prompt of a problem: its chat turns and the assistant's generation prompt. */
export interface PromptRenderer {
  /** Where the template comes from, in words. */
  readonly source: string;
  open(problem: Problem, signal?: AbortSignal): Promise<string>;
}

/** The configured template's name in errors: the setting, as the settings and the CLI call it. */
export const CONFIGURED_TEMPLATE =
  "The configured chat template (setting ttsReasoner.policy.chatTemplate, CLI --policy-chat-template)";

/**
 * A Jinja chat template rendered here (from the settings, or a built-in one), under its budget;
 * each problem's prompt is rendered once. `origin` names the template in errors.
 */
export class TemplateRenderer implements PromptRenderer {
  private readonly template: ChatTemplate;
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    source: string,
    readonly sourceName: string,
    private readonly systemPrompt?: string,
    origin?: string,
  ) {
    this.template = new ChatTemplate(source, origin);
  }

  get source(): string {
    return this.sourceName;
  }

  open(problem: Problem): Promise<string> {
    const key = promptKey(problem);
    let prompt = this.cache.get(key);
    if (!prompt) {
      // The promise is kept, so the samples of a problem opened at once share one render.
      prompt = this.template.render(problemMessages(problem, this.systemPrompt), true);
      this.cache.set(key, prompt);
      prompt.catch(() => this.cache.delete(key));
      if (this.cache.size > 256) this.cache.delete(this.cache.keys().next().value!);
    }
    return prompt;
  }
}

/** Stands for the problem in a render whose text around it is reused (see ServerTemplateRenderer). */
const PLACEHOLDER = "\u2063TTS-PROBLEM\u2063";

/** A problem with what templates might escape or change (LaTeX, quotes, markup, lines). */
export const TEMPLATE_PROBE = { text: 'What is $\\frac{1}{2} + 1$?\nSay "yes" & <b>why</b>.' };

/**
 * llama.cpp's `/apply-template`: the server renders its own chat template, so the prompt is
 * exactly what its chat endpoint would build. `learn` renders once with a placeholder for the
 * problem and checks, on a real problem, that putting the text in its place gives the server's
 * own render; from then on prompts are built here, with no request per problem (a run's cost is
 * its generations). A template that changes the problem text (trims, escapes) fails the check,
 * and then every problem is rendered by the server, once, then cached.
 */
export class ServerTemplateRenderer implements PromptRenderer {
  readonly source = "the server's chat template (llama.cpp /apply-template)";
  private readonly cache = new Map<string, Promise<string>>();
  private frame: [string, string] | null = null;

  constructor(
    private readonly client: EndpointClient,
    private readonly systemPrompt?: string,
  ) {}

  /** Renders `probe` on the server (throws as `open` does) and learns the frame around a problem. */
  async learn(probe: Problem, signal?: AbortSignal): Promise<void> {
    const [real, framed] = await Promise.all([
      this.render(probe, signal),
      this.render({ text: PLACEHOLDER }, signal),
    ]);
    const parts = framed.split(PLACEHOLDER);
    this.frame =
      parts.length === 2 && parts[0]! + probe.text + parts[1]! === real ? [parts[0]!, parts[1]!] : null;
  }

  open(problem: Problem, signal?: AbortSignal): Promise<string> {
    // Text with spaces at its ends could be trimmed by a template: the server renders that.
    // The frame was learnt around a lone problem: one with earlier turns is rendered by the server.
    const plain =
      problem.text === problem.text.trim() && !problem.text.includes(PLACEHOLDER) && !problem.context?.length;
    if (this.frame && plain) return Promise.resolve(this.frame[0] + problem.text + this.frame[1]);
    const key = promptKey(problem);
    let prompt = this.cache.get(key);
    if (!prompt) {
      prompt = this.render(problem, signal);
      this.cache.set(key, prompt);
      prompt.catch(() => this.cache.delete(key));
      if (this.cache.size > 256) this.cache.delete(this.cache.keys().next().value!);
    }
    return prompt;
  }

  private async render(problem: Problem, signal?: AbortSignal): Promise<string> {
    const { value, url } = await this.client.json(
      "/apply-template",
      { messages: problemMessages(problem, this.systemPrompt) },
      { signal },
    );
    const prompt = isObject(value) ? asString(value.prompt) : undefined;
    if (prompt === undefined)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: "answered /apply-template without a prompt",
        hint: "Set a chat template in the settings, or use the chat-continue API style.",
      });
    return prompt;
  }
}
