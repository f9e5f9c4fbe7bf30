// What /v1/completions (completions.ts) and /v1/chat/completions (chat.ts) share in every
// flavour: `Quirks`, where the servers differ (docs/reference/serving-apis.md §1: logprob shapes,
// `n`, echo, stop_reason, ids, usage, continuation of a partial assistant message, defaults), the
// request fields both read, sampling the choices, usage, timings and the streamed reply.
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
import { streamChoices } from "./sequences.js";
import { DONE, type Flavour, type Reply, type SimContext } from "./server.js";
import { tokenize, utf8Bytes, type Token } from "./tokens.js";

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

export type Body = Record<string, unknown>;

export function asBody(body: unknown): Body {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.");
  return body as Body;
}

export function num(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw badRequest(`\`${key}\` must be a number, got ${JSON.stringify(v)}.`, key);
  return v;
}

export function int(body: Body, key: string): number | undefined {
  const v = num(body, key);
  if (v !== undefined && !Number.isInteger(v))
    throw badRequest(`\`${key}\` must be an integer, got ${v}.`, key);
  return v;
}

export function bool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw badRequest(`\`${key}\` must be a boolean.`, key);
  return v;
}

export function stops(body: Body, key = "stop"): string[] {
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
export function sse(
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

/** The fields every completions and chat reply and chunk opens with, in the servers' order. */
export function responseHead(g: Generation, object: string): Record<string, unknown> {
  return { id: g.id, object, created: g.created, model: g.model.id };
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

// ---------------------------------------------------------------------------------------------
// Request reading shared by both endpoints.

export interface Common {
  model: SimModel;
  n: number;
  temperature: number;
  seed: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  stop: string[];
}

export function readCommon(body: Body, q: Quirks, sim: SimContext): Common {
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

export function checkContext(q: Quirks, promptTokens: number, maxTokens: number | null): void {
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
