// POST /v1/chat/completions in every flavour (their differences in `Quirks`, compat.ts).
import { badRequest } from "./errors.js";
import type { GenToken, Limits } from "./generate.js";
import { decodeChoices } from "./sequences.js";
import { contentText, renderChatML, type ChatMessage } from "./prompt.js";
import type { HandlerInput, Reply, SimContext } from "./server.js";
import { tokenize } from "./tokens.js";
import {
  asBody,
  bool,
  checkContext,
  chatLogprob,
  generate,
  int,
  MAX_MODEL_LEN,
  readCommon,
  responseHead,
  sse,
  timingsOf,
  usageOf,
  type Body,
  type Generation,
  type Quirks,
} from "./compat.js";

export function readMessages(body: Body): ChatMessage[] {
  const raw = body.messages;
  if (!Array.isArray(raw) || !raw.length)
    throw badRequest("`messages` must be a non-empty list.", "messages");
  return raw.map((m, i) => {
    if (!m || typeof m !== "object") throw badRequest(`messages[${i}] must be an object.`, "messages");
    const role = (m as Body).role;
    if (typeof role !== "string") throw badRequest(`messages[${i}].role must be a string.`, "messages");
    return { role: role === "developer" ? "system" : role, content: contentText((m as Body).content) };
  });
}

export interface ChatRender {
  prompt: string;
  /** The partial assistant message being continued, if any (for echo). */
  continued: string | null;
}

export function renderChat(body: Body, messages: ChatMessage[], q: Quirks, sim: SimContext): ChatRender {
  const lastIsAssistant = messages[messages.length - 1]?.role === "assistant";
  if (q.continuation === "vllm") {
    const addGen = bool(body, "add_generation_prompt") ?? true;
    const cont = bool(body, "continue_final_message") ?? false;
    if (addGen && cont)
      throw badRequest("Cannot set both `continue_final_message` and `add_generation_prompt` to True.");
    return {
      prompt: renderChatML(messages, { addGenerationPrompt: addGen, continueFinal: cont }),
      continued: cont && lastIsAssistant ? (messages[messages.length - 1]?.content ?? "") : null,
    };
  }
  const prefill =
    q.continuation === "prefill" || (q.flavour === "ollama" && sim.options.ollamaContinuesChat === true);
  if (prefill && lastIsAssistant)
    return {
      prompt: renderChatML(messages, { addGenerationPrompt: false, continueFinal: true }),
      continued: null,
    };
  return {
    prompt: renderChatML(messages, { addGenerationPrompt: true, continueFinal: false }),
    continued: null,
  };
}

export async function chatCompletions(input: HandlerInput, q: Quirks): Promise<Reply> {
  const body = asBody(input.body);
  const common = readCommon(body, q, input.sim);
  const messages = readMessages(body);
  const logprobs = bool(body, "logprobs") ?? false;
  let topK = int(body, "top_logprobs");
  if (topK !== undefined && topK > 0 && !logprobs)
    throw badRequest("when using `top_logprobs`, `logprobs` must be set to true.", "top_logprobs");
  if (topK !== undefined && (topK < -1 || topK > q.maxTopLogprobs))
    throw badRequest(
      `\`top_logprobs\` must be between 0 and ${q.maxTopLogprobs}, got ${topK}.`,
      "top_logprobs",
    );
  if (logprobs && topK === undefined) topK = q.flavour === "llamacpp" ? 20 : 0;
  if (topK !== undefined && topK < 0) topK = 20;
  const { prompt, continued } = renderChat(body, messages, q, input.sim);
  const echo = q.flavour === "vllm" && (bool(body, "echo") ?? false);
  const maxTokens =
    int(body, "max_completion_tokens") ??
    int(body, "max_tokens") ??
    (q.flavour === "llamacpp" ? int(body, "n_predict") : undefined);
  const promptTokens = tokenize(prompt).length;
  const limits: Limits = {
    maxTokens: maxTokens ?? (q.context === "none" ? null : Math.max(0, MAX_MODEL_LEN - promptTokens)),
    stop: common.stop,
    includeStopInOutput: q.flavour === "vllm" ? (bool(body, "include_stop_str_in_output") ?? false) : false,
  };
  if (limits.maxTokens !== null && limits.maxTokens < 1 && maxTokens !== undefined)
    throw badRequest("`max_tokens` must be at least 1.", "max_tokens");
  checkContext(q, promptTokens, maxTokens ?? null);
  const k = topK ?? 0;
  const g = generate(
    {
      model: common.model,
      prompts: [prompt],
      n: common.n,
      temperature: common.temperature,
      seed: common.seed,
      limits,
      topK: k,
      logprobs,
    },
    input.sim,
    q.id("chatcmpl", input.sim),
  );
  const lpOf = (tokens: GenToken[]) => ({
    content: tokens.map((t) => chatLogprob(t, q, k)),
    ...(q.flavour === "openai" ? { refusal: null } : {}),
  });

  if (!common.stream) {
    await decodeChoices(g, input.signal);
    const choices = g.choices.map(({ choice }) => {
      const message: Record<string, unknown> = {
        role: "assistant",
        content: (echo && continued ? continued : "") + choice.text,
      };
      if (q.flavour === "vllm")
        Object.assign(message, {
          refusal: null,
          annotations: null,
          audio: null,
          function_call: null,
          tool_calls: [],
          reasoning: null,
        });
      if (q.flavour === "openai") Object.assign(message, { refusal: null, annotations: [] });
      const out: Record<string, unknown> = {
        index: choice.index,
        message,
        logprobs: logprobs ? lpOf(choice.tokens) : null,
        finish_reason: choice.finishReason,
      };
      if (q.stopReason) Object.assign(out, { stop_reason: choice.stopReason, token_ids: null });
      return out;
    });
    const res: Record<string, unknown> = {
      ...responseHead(g, "chat.completion"),
      choices,
      usage: usageOf(g, q),
    };
    if (q.systemFingerprint !== null || q.flavour === "vllm") res.system_fingerprint = q.systemFingerprint;
    if (q.flavour === "vllm")
      Object.assign(res, {
        service_tier: null,
        prompt_logprobs: null,
        prompt_token_ids: null,
        kv_transfer_params: null,
      });
    if (q.flavour === "openai") res.service_tier = "default";
    if (q.timings) res.timings = timingsOf(g);
    return { kind: "json", status: 200, body: res };
  }

  const base = (choices: unknown[]) => {
    const chunk: Record<string, unknown> = {
      ...responseHead(g, "chat.completion.chunk"),
    };
    if (q.systemFingerprint !== null) chunk.system_fingerprint = q.systemFingerprint;
    chunk.choices = choices;
    if (common.includeUsage && (q.flavour === "openai" || q.flavour === "ollama")) chunk.usage = null;
    return chunk;
  };
  const delta = (content: string | undefined, first: boolean) => {
    const d: Record<string, unknown> = {};
    if (first || q.roleInEveryDelta) d.role = "assistant";
    if (content !== undefined) d.content = content;
    return d;
  };
  // The chunks of one choice's token t.
  const chunksAt = (gc: Generation["choices"][number], t: number): unknown[] => {
    const { choice } = gc;
    const tok = choice.tokens[t];
    const last = t === choice.completionTokens - 1;
    if (!tok && !last) return [];
    const out: unknown[] = [];
    if (tok || !q.separateFinishChunk) {
      const c: Record<string, unknown> = {
        index: choice.index,
        delta: tok ? delta(tok.text, false) : {},
        logprobs: tok && logprobs ? lpOf([tok]) : null,
        finish_reason: last && !q.separateFinishChunk ? choice.finishReason : null,
      };
      if (q.stopReason && last) c.stop_reason = choice.stopReason;
      out.push(base([c]));
    }
    if (last && q.separateFinishChunk)
      out.push(base([{ index: choice.index, delta: {}, finish_reason: choice.finishReason }]));
    if (last && common.includeUsage && q.usagePerChoice)
      out.push({ ...base([]), usage: usageOf(g, q, gc), ...(q.timings ? { timings: timingsOf(g) } : {}) });
    return out;
  };
  const roles = q.roleInEveryDelta
    ? []
    : g.choices.map(({ choice }) =>
        base([
          {
            index: choice.index,
            delta: delta(echo && continued ? continued : "", true),
            logprobs: null,
            finish_reason: null,
          },
        ]),
      );
  return sse(g, q, input.signal, common.includeUsage, base, roles, chunksAt);
}
