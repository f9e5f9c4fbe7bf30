import type { Usage } from "../../core/index.js";
import { readLogprobs, type TokenLogprob } from "./logprobs.js";
import { asArray, asNumber, asString, isObject, type Json } from "./shape.js";
import { addUsage, NO_USAGE, parseUsage, receivedUsage } from "./usage.js";

/**
 * Why a sample stopped, as far as the server says:
 * - `stop-string`: a stop string matched (vLLM `stop_reason`, SGLang `matched_stop`, llama.cpp
 *   native `stop_type: "word"`);
 * - `eos`: the model ended its text (the same fields, null or a token id; `stop_type: "eos"`);
 * - `stop`: one of the two, the server does not say which (OpenAI, llama.cpp /v1, Ollama);
 * - `length`: the token limit; `other`: anything else (content filter, abort).
 */
export type StopCause = "stop-string" | "eos" | "stop" | "length" | "other";

/** One sample of a response, whatever the endpoint. */
export interface Choice {
  index: number;
  text: string;
  stop: StopCause;
  logprobs: TokenLogprob[];
}

export interface ParsedResponse {
  choices: Choice[];
  usage?: Usage;
}

/** Maps OpenAI-style `finish_reason` plus vLLM `stop_reason` / SGLang `matched_stop`. */
export function stopCause(choice: Json): StopCause {
  const finish = asString(choice.finish_reason);
  if (finish === "length") return "length";
  if (finish !== "stop" && finish !== "eos" && finish !== undefined) return "other";
  for (const key of ["stop_reason", "matched_stop"]) {
    if (key in choice) {
      const v = choice[key];
      if (typeof v === "string") return "stop-string";
      if (v === null || typeof v === "number") return "eos";
    }
  }
  return finish === "eos" ? "eos" : "stop";
}

/** `/v1/chat/completions` (not streamed). */
export function parseChatResponse(body: unknown): ParsedResponse {
  const b = isObject(body) ? body : {};
  const choices = asArray(b.choices)
    .filter(isObject)
    .map((c, i): Choice => {
      const message = isObject(c.message) ? c.message : {};
      return {
        index: asNumber(c.index) ?? i,
        text: asString(message.content) ?? "",
        stop: stopCause(c),
        logprobs: readLogprobs(c.logprobs),
      };
    });
  return { choices, usage: parseUsage(b) };
}

/** `/v1/completions` (not streamed). */
export function parseCompletionResponse(body: unknown): ParsedResponse {
  const b = isObject(body) ? body : {};
  const choices = asArray(b.choices)
    .filter(isObject)
    .map((c, i): Choice => ({
      index: asNumber(c.index) ?? i,
      text: asString(c.text) ?? "",
      stop: stopCause(c),
      logprobs: readLogprobs(c.logprobs),
    }));
  return { choices, usage: parseUsage(b) };
}

/**
 * Folds streamed chunks of `/v1/chat/completions` or `/v1/completions` into choices: deltas
 * grouped by `choices[].index` (n > 1 interleaves), the finishing chunk's `finish_reason` and
 * `stop_reason`/`matched_stop`, and the usage: the sum of every chunk's `usage`, because
 * llama-server sends one per choice (a `choices: []` chunk each on chat, on the finishing chunk
 * on completions) where vLLM and OpenAI send one for all. Other usage-like fields (llama.cpp
 * `timings`) count only when no chunk has a `usage`.
 */
export class StreamedChoices {
  private readonly byIndex = new Map<number, { text: string; finish: Json; logprobs: TokenLogprob[] }>();
  private usage?: Usage;
  private fallbackUsage?: Usage;
  private tokens = 0;

  event(payload: unknown): void {
    if (!isObject(payload)) return;
    const usage = parseUsage(payload);
    if (isObject(payload.usage) && usage) this.usage = addUsage(this.usage ?? NO_USAGE, usage);
    else this.fallbackUsage = usage ?? this.fallbackUsage;
    for (const c of asArray(payload.choices)) {
      if (!isObject(c)) continue;
      const index = asNumber(c.index) ?? 0;
      let slot = this.byIndex.get(index);
      if (!slot) this.byIndex.set(index, (slot = { text: "", finish: {}, logprobs: [] }));
      // Deltas when streamed; a whole `message` (or `text`) from a server that did not stream.
      const part = isObject(c.delta) ? c.delta : isObject(c.message) ? c.message : undefined;
      const text = (part ? asString(part.content) : asString(c.text)) ?? "";
      const logprobs = readLogprobs(c.logprobs);
      slot.text += text;
      slot.logprobs.push(...logprobs);
      this.tokens += logprobs.length || (text ? 1 : 0);
      if (c.finish_reason !== null && c.finish_reason !== undefined) slot.finish = c;
    }
  }

  /** Every sample got its finish reason. */
  complete(): boolean {
    return (
      this.byIndex.size > 0 && [...this.byIndex.values()].every((s) => s.finish.finish_reason !== undefined)
    );
  }

  result(): ParsedResponse {
    const choices = [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, s]): Choice => ({
        index,
        text: s.text,
        stop: stopCause(s.finish),
        logprobs: s.logprobs,
      }));
    return { choices, usage: this.usage ?? this.fallbackUsage };
  }

  /** Tokens received so far, for an attempt that ends without a result (see receivedUsage). */
  received(): Usage {
    return receivedUsage(this.usage ?? this.fallbackUsage, this.tokens);
  }
}

/** llama.cpp native `/completion` (one object, or the last of its streamed objects). */
export function llamaStopCause(body: Json): StopCause {
  switch (asString(body.stop_type)) {
    case "word":
      return "stop-string";
    case "eos":
      return "eos";
    case "limit":
      return "length";
    default:
      return body.stop === true ? "stop" : "other";
  }
}

export function parseLlamaCompletion(body: unknown): ParsedResponse {
  const b = isObject(body) ? body : {};
  // With n_cmpl > 1 newer builds answer with an array of results.
  if (Array.isArray(body)) {
    const parts = body.filter(isObject).map((x) => parseLlamaCompletion(x));
    return {
      choices: parts.flatMap((p, i) => p.choices.map((c) => ({ ...c, index: i }))),
      usage: parts.reduce<Usage | undefined>(
        (u, p) =>
          p.usage
            ? {
                promptTokens: (u?.promptTokens ?? 0) + p.usage.promptTokens,
                completionTokens: (u?.completionTokens ?? 0) + p.usage.completionTokens,
              }
            : u,
        undefined,
      ),
    };
  }
  return {
    choices: [
      {
        index: asNumber(b.index) ?? 0,
        text: asString(b.content) ?? "",
        stop: llamaStopCause(b),
        logprobs: readLogprobs(b.completion_probabilities),
      },
    ],
    usage: parseUsage(b),
  };
}

/** Folds llama.cpp native `/completion` stream events (`content` deltas, last one has `stop`). */
export class StreamedLlamaCompletion {
  private readonly byIndex = new Map<number, { text: string; last: Json; logprobs: TokenLogprob[] }>();
  private tokens = 0;

  event(payload: unknown): void {
    if (!isObject(payload)) return;
    const index = asNumber(payload.index) ?? 0;
    let slot = this.byIndex.get(index);
    if (!slot) this.byIndex.set(index, (slot = { text: "", last: {}, logprobs: [] }));
    const text = asString(payload.content) ?? "";
    const logprobs = readLogprobs(payload.completion_probabilities);
    slot.text += text;
    slot.logprobs.push(...logprobs);
    slot.last = payload;
    this.tokens += logprobs.length || (text ? 1 : 0);
  }

  /** Tokens received so far, for an attempt that ends without a result (see receivedUsage). */
  received(): Usage {
    return receivedUsage(this.result().usage, this.tokens);
  }

  /** Every sample's last event says `stop: true`. */
  complete(): boolean {
    return this.byIndex.size > 0 && [...this.byIndex.values()].every((s) => s.last.stop === true);
  }

  result(): ParsedResponse {
    const slots = [...this.byIndex.entries()].sort(([a], [b]) => a - b);
    let usage: Usage | undefined;
    for (const [, s] of slots) {
      const u = parseUsage(s.last);
      if (u)
        usage = {
          promptTokens: (usage?.promptTokens ?? 0) + u.promptTokens,
          completionTokens: (usage?.completionTokens ?? 0) + u.completionTokens,
        };
    }
    return {
      choices: slots.map(([index, s]) => ({
        index,
        text: s.text,
        stop: llamaStopCause(s.last),
        logprobs: s.logprobs,
      })),
      usage,
    };
  }
}

/** Ollama native `/api/generate` (one object, or NDJSON lines whose last has `done: true`). */
export function ollamaStopCause(body: Json): StopCause {
  const reason = asString(body.done_reason);
  if (reason === "length") return "length";
  if (reason === "stop" || body.done === true) return "stop";
  return "other";
}

export class StreamedOllamaGenerate {
  private text = "";
  private last: Json = {};
  private logprobs: TokenLogprob[] = [];
  private tokens = 0;

  event(payload: unknown): void {
    if (!isObject(payload)) return;
    const text = asString(payload.response) ?? "";
    const logprobs = readLogprobs(payload.logprobs);
    this.text += text;
    this.logprobs.push(...logprobs);
    this.last = payload;
    this.tokens += logprobs.length || (text ? 1 : 0);
  }

  /** Tokens received so far, for an attempt that ends without a result (see receivedUsage). */
  received(): Usage {
    return receivedUsage(parseUsage(this.last), this.tokens);
  }

  complete(): boolean {
    return this.last.done === true;
  }

  result(): ParsedResponse {
    return {
      choices: [{ index: 0, text: this.text, stop: ollamaStopCause(this.last), logprobs: this.logprobs }],
      usage: parseUsage(this.last),
    };
  }
}
