// /v1/completions and /v1/chat/completions, shared by every flavour; `Quirks` holds where the
// servers differ (docs/reference/serving-apis.md §1): logprob shapes, `n`, echo, stop_reason, ids, usage,
// continuation of a partial assistant message, defaults.
import { draftFor, NotGenerativeError } from "./behaviour.js";
import type { Engine } from "./engine.js";
import { ApiError, badRequest } from "./errors.js";
import {
  finishChoice,
  promptHash,
  sampleKey,
  type GenChoice,
  type GenToken,
  type Limits,
} from "./generate.js";
import type { SimModel } from "./models.js";
import { scoredPositions } from "./prm.js";
import { decodeChoices, streamChoices } from "./sequences.js";
import { contentText, renderChatML, type ChatMessage } from "./prompt.js";
import { DONE, type Flavour, type HandlerInput, type Reply, type SimContext } from "./server.js";
import { detokenize, tokenize, utf8Bytes, type Token } from "./tokens.js";

export const MAX_MODEL_LEN = 8192;

export interface Quirks {
  flavour: Flavour;
  /** Completions logprobs as OpenAI's legacy arrays, or in chat shape (llama.cpp, Ollama). */
  completionLogprobs: "legacy" | "chat";
  /** Token ids in chat-shaped logprobs (llama.cpp). */
  logprobIds: boolean;
  /** vLLM's `stop_reason` on each choice. */
  stopReason: boolean;
  /** `n`: honoured up to a limit, or ignored (Ollama). */
  n: { max: number; ignored: boolean; error: (n: number, max: number) => string };
  /** A trailing assistant message: vLLM `continue_final_message`, llama.cpp prefill, or a new turn. */
  continuation: "vllm" | "prefill" | "new-turn";
  echo: "supported" | "rejected" | "ignored";
  /** Largest `logprobs` on completions. */
  maxLogprobs: number;
  /** Largest `top_logprobs` on chat. */
  maxTopLogprobs: number;
  /** Completions `max_tokens` default (vLLM and OpenAI: 16); null: until EOS or context. */
  completionsDefaultMaxTokens: number | null;
  defaultTemperature: number;
  id(kind: "cmpl" | "chatcmpl", sim: SimContext): string;
  systemFingerprint: string | null;
  /** `prompt_tokens_details.cached_tokens` in usage. */
  cachedTokensInUsage: boolean;
  /** llama.cpp `timings`. */
  timings: boolean;
  /**
   * llama.cpp: usage per choice. Streamed chat sends a `choices: []` usage chunk after each
   * choice's finish, streamed completions put usage on each finishing chunk (asked for or not),
   * and a non-streamed body's `usage` covers the first choice only.
   */
  usagePerChoice?: boolean;
  /** Ollama: the finish reason comes on a chunk of its own with an empty delta. */
  separateFinishChunk: boolean;
  /** Ollama: every delta repeats the role. */
  roleInEveryDelta: boolean;
  /** Prompts may be lists / token ids (vLLM, OpenAI) or only a string (Ollama). */
  prompt: "any" | "string" | "string-or-tokens";
  /** Model name handling: 404 for unknown ones, or serve the default model (llama.cpp). */
  unknownModel: "404" | "default";
  unknownModelMessage(model: string): string;
  /** Tokens of context a request gets: llama.cpp's is one slot's (-c / -np). Default MAX_MODEL_LEN. */
  contextSize?: number;
  /** Context window check: vLLM counts prompt + max_tokens; llama.cpp the prompt; Ollama truncates silently. */
  context: "prompt+max" | "prompt" | "none";
  contextMessage(prompt: number, max: number | null): string;
}

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.");
  return body as Body;
}

function num(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw badRequest(`\`${key}\` must be a number, got ${JSON.stringify(v)}.`, key);
  return v;
}

function int(body: Body, key: string): number | undefined {
  const v = num(body, key);
  if (v !== undefined && !Number.isInteger(v))
    throw badRequest(`\`${key}\` must be an integer, got ${v}.`, key);
  return v;
}

function bool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw badRequest(`\`${key}\` must be a boolean.`, key);
  return v;
}

function stops(body: Body, key = "stop"): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v as string[];
  throw badRequest(`\`${key}\` must be a string or a list of strings.`, key);
}

export function resolveModel(name: unknown, q: Quirks, sim: SimContext): SimModel {
  const model = sim.model(typeof name === "string" ? name : undefined);
  if (model) return model;
  if (q.unknownModel === "default") {
    const fallback = sim.model(sim.options.defaultModel ?? "sim-policy-1.5b");
    if (fallback) return fallback;
  }
  throw new ApiError(404, q.unknownModelMessage(typeof name === "string" ? name : ""), "not_found", "model");
}

// ---------------------------------------------------------------------------------------------
// One generation: prompts × n choices, timed by the model's engine.

export interface PromptRun {
  text: string;
  tokens: Token[];
  cached: number;
}

export interface Generation {
  model: SimModel;
  prompts: PromptRun[];
  /** Choices in response order, each with the prompt it continues. */
  choices: { prompt: number; choice: GenChoice }[];
  id: string;
  created: number;
  engine: Engine;
}

export interface GenerateParams {
  model: SimModel;
  prompts: string[];
  n: number;
  temperature: number;
  seed: number | undefined;
  limits: Limits;
  topK: number;
  /** Compute log-probabilities (skipped when the request does not ask for them). */
  logprobs?: boolean;
}

export function generate(p: GenerateParams, sim: SimContext, id: string): Generation {
  const engine = sim.engine(p.model.id);
  const nonce = sim.nonce();
  const prompts: PromptRun[] = p.prompts.map((text) => {
    const tokens = tokenize(text);
    return { text, tokens, cached: engine.cachedTokens(tokens.map((t) => t.id)) };
  });
  const choices: Generation["choices"] = [];
  prompts.forEach((prompt, pi) => {
    for (let i = 0; i < p.n; i++) {
      const key = sampleKey(p.temperature, p.seed, nonce, i);
      let draft;
      try {
        draft = draftFor(p.model, prompt.text, p.temperature, key);
      } catch (err) {
        if (err instanceof NotGenerativeError) throw badRequest(err.message, "model");
        throw err;
      }
      const index = pi * p.n + i;
      choices.push({
        prompt: pi,
        choice: finishChoice(
          index,
          draft,
          p.limits,
          `${promptHash(prompt.text)}|${key.join(",")}`,
          p.topK,
          p.logprobs !== false,
        ),
      });
    }
  });
  return { model: p.model, prompts, choices, id, created: Math.floor(Date.now() / 1000), engine };
}

/** A streamed reply: its opening chunks, each choice's chunks as its sequence decodes, usage, [DONE]. */
function sse(
  g: Generation,
  q: Quirks,
  signal: AbortSignal,
  includeUsage: boolean,
  base: (choices: unknown[]) => Record<string, unknown>,
  opening: unknown[],
  chunksAt: (c: Generation["choices"][number], t: number) => unknown[],
): Reply {
  async function* events(): AsyncGenerator<unknown> {
    yield* opening;
    yield* streamChoices(g, signal, chunksAt);
    if (includeUsage && !q.usagePerChoice)
      yield { ...base([]), usage: usageOf(g, q), ...(q.timings ? { timings: timingsOf(g) } : {}) };
    yield DONE;
  }
  return { kind: "stream", format: "sse", events: events() };
}

export function usageOf(
  g: Generation,
  q: Quirks,
  only?: Generation["choices"][number],
): Record<string, unknown> {
  const picked = only ? [only] : q.usagePerChoice ? g.choices.slice(0, 1) : g.choices;
  const runs = only || q.usagePerChoice ? picked.map((c) => g.prompts[c.prompt]!) : g.prompts;
  const prompt = runs.reduce((s, p) => s + p.tokens.length, 0);
  const completion = picked.reduce((s, c) => s + c.choice.completionTokens, 0);
  const usage: Record<string, unknown> = {
    prompt_tokens: prompt,
    total_tokens: prompt + completion,
    completion_tokens: completion,
  };
  if (q.cachedTokensInUsage)
    usage.prompt_tokens_details = { cached_tokens: runs.reduce((s, p) => s + p.cached, 0) };
  return usage;
}

export function timingsOf(g: Generation): Record<string, number> {
  const prompt = g.prompts.reduce((s, p) => s + p.tokens.length, 0);
  const cached = g.prompts.reduce((s, p) => s + p.cached, 0);
  const predicted = g.choices.reduce((s, c) => s + c.choice.completionTokens, 0);
  const prof = g.engine.profile;
  const promptMs = (prompt - cached) * prof.prefillMsPerToken + 1;
  const predictedMs = Math.max(1, predicted) * prof.decodeMsPerToken;
  return {
    cache_n: cached,
    prompt_n: prompt - cached,
    prompt_ms: round(promptMs),
    prompt_per_token_ms: round(promptMs / Math.max(1, prompt - cached)),
    prompt_per_second: round((1000 * Math.max(1, prompt - cached)) / promptMs),
    predicted_n: predicted,
    predicted_ms: round(predictedMs),
    predicted_per_token_ms: round(prof.decodeMsPerToken),
    predicted_per_second: round(1000 / prof.decodeMsPerToken),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Logprob shapes.

export function chatLogprob(
  t: GenToken,
  q: Pick<Quirks, "logprobIds">,
  topK: number,
): Record<string, unknown> {
  const entry = (x: { id: number; text: string; logprob: number }) =>
    q.logprobIds
      ? { id: x.id, token: x.text, bytes: utf8Bytes(x.text), logprob: x.logprob }
      : { token: x.text, logprob: x.logprob, bytes: utf8Bytes(x.text) };
  return { ...entry(t), top_logprobs: t.top.slice(0, topK).map(entry) };
}

function legacyLogprobs(tokens: GenToken[], topK: number, offset0: number) {
  let offset = offset0;
  const text_offset: number[] = [];
  for (const t of tokens) {
    text_offset.push(offset);
    offset += t.text.length;
  }
  return {
    text_offset,
    token_logprobs: tokens.map((t) => t.logprob),
    tokens: tokens.map((t) => t.text),
    top_logprobs: tokens.map((t) => {
      const top: Record<string, number> = {};
      for (const x of t.top.slice(0, topK)) top[x.text] = x.logprob;
      top[t.text] = t.logprob; // the sampled token is always there, as in vLLM
      return top;
    }),
  };
}

function completionLogprobs(tokens: GenToken[], q: Quirks, topK: number, offset0 = 0): unknown {
  if (q.completionLogprobs === "chat") return { content: tokens.map((t) => chatLogprob(t, q, topK)) };
  return legacyLogprobs(tokens, topK, offset0);
}

// ---------------------------------------------------------------------------------------------
// Request reading shared by both endpoints.

interface Common {
  model: SimModel;
  n: number;
  temperature: number;
  seed: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  stop: string[];
}

function readCommon(body: Body, q: Quirks, sim: SimContext): Common {
  const model = resolveModel(body.model, q, sim);
  const requestedN = int(body, "n") ?? 1;
  if (requestedN < 1) throw badRequest("`n` must be at least 1.", "n");
  let n = requestedN;
  if (q.n.ignored) n = 1;
  else if (requestedN > q.n.max) throw badRequest(q.n.error(requestedN, q.n.max), "n");
  const temperature = num(body, "temperature") ?? q.defaultTemperature;
  if (temperature < 0) throw badRequest("`temperature` must be non-negative.", "temperature");
  const seed = int(body, "seed");
  const stream = bool(body, "stream") ?? false;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !stream && q.flavour === "vllm")
    throw badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
  const includeUsage =
    !!streamOptions &&
    typeof streamOptions === "object" &&
    ((streamOptions as Body).include_usage ?? (q.flavour === "vllm" ? true : false)) === true;
  const stop = stops(body);
  if (q.flavour === "openai" && stop.length > 4)
    throw badRequest("'stop' supports up to 4 sequences.", "stop");
  return { model, n, temperature, seed, stream, includeUsage, stop };
}

function checkContext(q: Quirks, promptTokens: number, maxTokens: number | null): void {
  if (q.context === "none") return;
  const total = promptTokens + (q.context === "prompt+max" ? (maxTokens ?? 0) : 0);
  const size = q.contextSize ?? MAX_MODEL_LEN;
  if (total > size || promptTokens >= size)
    throw new ApiError(
      400,
      q.contextMessage(promptTokens, maxTokens),
      "context",
      q.flavour === "openai" ? "messages" : null,
      q.flavour === "llamacpp" ? { n_prompt_tokens: promptTokens, n_ctx: size } : undefined,
    );
}

// ---------------------------------------------------------------------------------------------
// POST /v1/completions

function readPrompts(body: Body, q: Quirks): string[] {
  const p = body.prompt;
  if (typeof p === "string") return [p];
  if (q.prompt === "string") throw badRequest("invalid prompt: prompt must be a string", "prompt");
  if (Array.isArray(p) && p.length && p.every((x) => typeof x === "number"))
    return [detokenize(p as number[])];
  if (q.prompt === "any" && Array.isArray(p) && p.length) {
    if (p.every((x) => typeof x === "string")) return p as string[];
    if (p.every((x) => Array.isArray(x) && x.every((y) => typeof y === "number")))
      return (p as number[][]).map((x) => detokenize(x));
  }
  throw badRequest("`prompt` must be a string, a list of strings, or token ids.", "prompt");
}

export async function completions(input: HandlerInput, q: Quirks): Promise<Reply> {
  const body = asBody(input.body);
  const common = readCommon(body, q, input.sim);
  const prompts = readPrompts(body, q);
  const echo = bool(body, "echo") ?? false;
  if (echo && q.echo === "rejected") throw new ApiError(500, "Only no echo is supported", "server");
  const useEcho = echo && q.echo === "supported";
  const logprobs = int(body, "logprobs");
  if (logprobs !== undefined && (logprobs < -1 || logprobs > q.maxLogprobs))
    throw badRequest(
      `Requested logprobs of ${logprobs}, which is greater than max allowed: ${q.maxLogprobs}`,
      "logprobs",
    );
  const promptLogprobs = q.flavour === "vllm" ? int(body, "prompt_logprobs") : undefined;
  if (promptLogprobs !== undefined && common.stream)
    throw badRequest("`prompt_logprobs` are not available when `stream=True`.", "prompt_logprobs");
  if (promptLogprobs !== undefined && (promptLogprobs < -1 || promptLogprobs > q.maxLogprobs))
    throw badRequest(
      `Requested prompt_logprobs of ${promptLogprobs}, which is greater than max allowed: ${q.maxLogprobs}`,
      "prompt_logprobs",
    );
  const maxTokens =
    (q.flavour === "llamacpp" ? int(body, "n_predict") : undefined) ??
    int(body, "max_tokens") ??
    q.completionsDefaultMaxTokens;
  const limits: Limits = {
    maxTokens: maxTokens !== null && maxTokens < 0 ? null : maxTokens,
    stop: common.stop,
    includeStopInOutput: q.flavour === "vllm" ? (bool(body, "include_stop_str_in_output") ?? false) : false,
  };
  if (limits.maxTokens === 0 && !(useEcho && q.flavour === "vllm") && q.flavour !== "llamacpp")
    throw badRequest("`max_tokens` must be at least 1.", "max_tokens");
  const topK = logprobs === undefined ? 0 : logprobs < 0 ? 20 : logprobs;
  const wantLogprobs = logprobs !== undefined && !(q.flavour === "ollama" && logprobs === 0);
  const pLogprobsWanted = promptLogprobs !== undefined;
  const g = generate(
    {
      model: common.model,
      prompts,
      n: common.n,
      temperature: common.temperature,
      seed: common.seed,
      limits,
      topK,
      logprobs: wantLogprobs || pLogprobsWanted,
    },
    input.sim,
    q.id("cmpl", input.sim),
  );
  for (const p of g.prompts) checkContext(q, p.tokens.length, limits.maxTokens);
  const returnTokenIds = q.flavour === "vllm" && bool(body, "return_token_ids") === true;
  const pLogprobs =
    promptLogprobs !== undefined || (useEcho && wantLogprobs) ? (promptLogprobs ?? topK) : undefined;

  const choiceBody = (c: Generation["choices"][number]) => {
    const prompt = g.prompts[c.prompt];
    let text = c.choice.text;
    let lp: unknown = null;
    if (useEcho && prompt) text = prompt.text + text;
    if (wantLogprobs) {
      if (useEcho && prompt && q.completionLogprobs === "legacy") {
        const promptPart = promptTokenLogprobs(prompt.tokens, g.model, topK);
        const legacy = legacyLogprobs([...promptPart, ...c.choice.tokens], topK, 0);
        (legacy.token_logprobs as (number | null)[])[0] = null;
        (legacy.top_logprobs as (Record<string, number> | null)[])[0] = null;
        lp = legacy;
      } else lp = completionLogprobs(c.choice.tokens, q, topK);
    }
    const out: Record<string, unknown> = {
      index: c.choice.index,
      text,
      logprobs: lp,
      finish_reason: c.choice.finishReason,
    };
    if (q.stopReason) out.stop_reason = c.choice.stopReason;
    if (q.flavour === "vllm") {
      out.token_ids = returnTokenIds ? c.choice.tokens.map((t) => t.id) : null;
      out.prompt_logprobs =
        pLogprobs !== undefined && prompt ? vllmPromptLogprobs(prompt, g.model, pLogprobs) : null;
      out.prompt_token_ids = returnTokenIds && prompt ? prompt.tokens.map((t) => t.id) : null;
    }
    return out;
  };

  if (!common.stream) {
    await decodeChoices(g, input.signal);
    const res: Record<string, unknown> = {
      id: g.id,
      object: "text_completion",
      created: g.created,
      model: g.model.id,
      choices: g.choices.map(choiceBody),
    };
    if (q.systemFingerprint !== null || q.flavour === "vllm") res.system_fingerprint = q.systemFingerprint;
    res.usage = usageOf(g, q);
    if (q.flavour === "vllm") res.service_tier = null;
    if (q.timings) res.timings = timingsOf(g);
    return { kind: "json", status: 200, body: res };
  }

  const base = (choices: unknown[]) => {
    const chunk: Record<string, unknown> = {
      id: g.id,
      object: "text_completion",
      created: g.created,
      model: g.model.id,
      choices,
    };
    if (q.systemFingerprint !== null) chunk.system_fingerprint = q.systemFingerprint;
    return chunk;
  };
  // The chunks of one choice's token t.
  const chunksAt = (c: Generation["choices"][number], t: number): unknown[] => {
    const tok = c.choice.tokens[t];
    const last = t === c.choice.completionTokens - 1;
    if (!tok && !last) return [];
    const out: unknown[] = [];
    const choice: Record<string, unknown> = {
      index: c.choice.index,
      text: tok?.text ?? "",
      logprobs:
        tok && wantLogprobs
          ? completionLogprobs(
              [tok],
              q,
              topK,
              c.choice.tokens.slice(0, t).reduce((n, x) => n + x.text.length, 0),
            )
          : null,
      finish_reason: last && !q.separateFinishChunk ? c.choice.finishReason : null,
    };
    if (q.stopReason) choice.stop_reason = last ? c.choice.stopReason : null;
    if (tok || !last || !q.separateFinishChunk) out.push(base([choice]));
    if (last && q.separateFinishChunk)
      out.push({
        ...base([{ index: c.choice.index, text: "", logprobs: null, finish_reason: c.choice.finishReason }]),
        ...(q.usagePerChoice ? { usage: usageOf(g, q, c), timings: timingsOf(g) } : {}),
      });
    return out;
  };
  const echoed = useEcho
    ? g.choices.map((c) =>
        base([
          {
            index: c.choice.index,
            text: g.prompts[c.prompt]?.text ?? "",
            logprobs: null,
            finish_reason: null,
          },
        ]),
      )
    : [];
  return sse(g, q, input.signal, common.includeUsage, base, echoed, chunksAt);
}

/** Logprobs for prompt tokens (echo / prompt_logprobs): the actual token and plausible others. */
function promptTokenLogprobs(tokens: readonly Token[], model: SimModel, topK: number): GenToken[] {
  const scored = scoredPositions(tokens, model);
  return tokens.map((t, i) => {
    const verdict = scored.get(i);
    if (verdict) {
      const own = verdict.find((v) => v.text === t.text);
      return { id: t.id, text: t.text, logprob: own?.logprob ?? -9, top: verdict };
    }
    const lp = -(0.01 + ((i * 7919) % 97) / 100);
    return {
      id: t.id,
      text: t.text,
      logprob: lp,
      top: [
        { id: t.id, text: t.text, logprob: lp },
        { id: 1300019, text: ".", logprob: lp - 3.1 },
        { id: 1300000 + 99 * 55, text: " The", logprob: lp - 5.2 },
      ].slice(0, Math.max(1, topK)),
    };
  });
}

function vllmPromptLogprobs(prompt: PromptRun, model: SimModel, k: number): unknown[] {
  const lps = promptTokenLogprobs(prompt.tokens, model, k < 0 ? 20 : k);
  return lps.map((t, i) => {
    if (i === 0) return null;
    const entries = [...t.top.slice(0, k < 0 ? 20 : k)];
    if (!entries.some((e) => e.id === t.id)) entries.push({ id: t.id, text: t.text, logprob: t.logprob });
    const sorted = [...t.top].sort((a, b) => b.logprob - a.logprob);
    const out: Record<string, { logprob: number; rank: number; decoded_token: string }> = {};
    for (const e of entries) {
      const rank = sorted.findIndex((s) => s.id === e.id);
      out[String(e.id)] = {
        logprob: e.logprob,
        rank: rank >= 0 ? rank + 1 : sorted.length + 1,
        decoded_token: e.text,
      };
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// POST /v1/chat/completions

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
      id: g.id,
      object: "chat.completion",
      created: g.created,
      model: g.model.id,
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
      id: g.id,
      object: "chat.completion.chunk",
      created: g.created,
      model: g.model.id,
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
