import type { Usage } from "../../core/index.js";
import { asNumber, isObject } from "./shape.js";

/**
 * Token counts from any server's response: OpenAI-style `usage` (prompt/completion tokens),
 * Ollama native `prompt_eval_count`/`eval_count`, llama.cpp native `tokens_evaluated`/
 * `tokens_predicted` or `timings`. Undefined when the body has none.
 */
export function parseUsage(body: unknown): Usage | undefined {
  if (!isObject(body)) return undefined;
  const u = body.usage;
  if (isObject(u)) {
    const prompt = asNumber(u.prompt_tokens) ?? asNumber(u.input_tokens);
    const completion = asNumber(u.completion_tokens) ?? asNumber(u.output_tokens);
    if (prompt !== undefined || completion !== undefined)
      return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0 };
  }
  const evalPrompt = asNumber(body.prompt_eval_count);
  const evalCompletion = asNumber(body.eval_count);
  if (evalPrompt !== undefined || evalCompletion !== undefined)
    return { promptTokens: evalPrompt ?? 0, completionTokens: evalCompletion ?? 0 };
  const evaluated = asNumber(body.tokens_evaluated);
  const predicted = asNumber(body.tokens_predicted);
  if (evaluated !== undefined || predicted !== undefined)
    return { promptTokens: evaluated ?? 0, completionTokens: predicted ?? 0 };
  const t = body.timings;
  if (isObject(t) && (asNumber(t.prompt_n) !== undefined || asNumber(t.predicted_n) !== undefined))
    return {
      promptTokens: (asNumber(t.prompt_n) ?? 0) + (asNumber(t.cache_n) ?? 0),
      completionTokens: asNumber(t.predicted_n) ?? 0,
    };
  return undefined;
}

export function addUsage(a: Usage, b: Usage | undefined): Usage {
  return b
    ? {
        promptTokens: a.promptTokens + b.promptTokens,
        completionTokens: a.completionTokens + b.completionTokens,
      }
    : a;
}

export const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0 };

/**
 * What an attempt cut off mid-stream cost, from what did arrive: the server's own counts where
 * it sent any, else one completion token per token event (servers stream token by token; a
 * server that batches tokens is undercounted, never overcounted). Prompt tokens only as the
 * server counted them: a client-side guess would mix estimates into measured cost, so a stream
 * cut before its usage chunk counts its prompt as 0.
 */
export function receivedUsage(reported: Usage | undefined, tokenEvents: number): Usage {
  return {
    promptTokens: reported?.promptTokens ?? 0,
    completionTokens: Math.max(reported?.completionTokens ?? 0, tokenEvents),
  };
}
