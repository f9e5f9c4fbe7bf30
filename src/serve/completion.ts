// A finished search as the OpenAI chat completion a client expects: the chosen solution as the
// assistant message, `usage` summing every policy and verifier token, and a `tts` field with the
// answer, the tally and the strategy used. The streamed form is the same text, chunked by step.
import { joinSteps, type Candidate, type Cost, type SearchResult } from "../core/index.js";

export interface CompletionMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Every token the search spent, policy and verifier (a PRM reads its prompts: prompt tokens). */
export function usageOf(cost: Cost): Usage {
  const prompt = cost.policy.promptTokens + cost.verifier.promptTokens;
  const completion = cost.policy.completionTokens + cost.verifier.completionTokens;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/**
 * The solutions returned, best first: the chosen one, then (for `n` > 1) the best-scored
 * solution of each next answer in the tally. Fewer than asked when fewer answers were found.
 */
export function returnedCandidates(result: SearchResult, count: number): Candidate[] {
  if (!result.chosen) return [];
  const out = [result.chosen];
  for (const entry of result.tally) {
    if (out.length >= count) break;
    if (entry.group === result.chosen.group) continue;
    const best = result.candidates
      .filter((c) => c.group === entry.group)
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
    if (best) out.push(best);
  }
  return out;
}

/** The extra field: what the search found and spent, beyond what the OpenAI schema holds. */
export function ttsField(result: SearchResult, warnings: readonly string[]): Record<string, unknown> {
  const { chosen, decision, budgetSaved } = result;
  return {
    answer: result.answer,
    // Auto's choice when Auto ran: the strategy actually used.
    strategy: decision?.method ?? result.strategy,
    requested: result.strategy,
    score: chosen?.score ?? null,
    stepScores: chosen?.stepScores ?? null,
    tally: result.tally.map((t) => ({ answer: t.answer, votes: t.votes, scoreSum: t.scoreSum })),
    candidates: result.candidates.length,
    cost: result.cost,
    ...(decision ? { decision } : {}),
    ...(budgetSaved !== undefined ? { budgetSaved } : {}),
    warnings,
  };
}

export function completionBody(
  meta: CompletionMeta,
  result: SearchResult,
  returned: readonly Candidate[],
  delimiter: string,
  warnings: readonly string[],
): Record<string, unknown> {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: returned.map((c, index) => ({
      index,
      message: { role: "assistant", content: joinSteps(c.steps, delimiter), refusal: null },
      logprobs: null,
      finish_reason: "stop",
    })),
    usage: usageOf(result.cost),
    tts: ttsField(result, warnings),
  };
}

/** One `chat.completion.chunk`; `extra` adds top-level fields (usage, tts). */
export function chunk(
  meta: CompletionMeta,
  choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: choices.map((c) => ({ ...c, logprobs: null })),
    ...extra,
  };
}

/** The content deltas of a solution: one per step, the delimiter after all but the last. */
export function stepDeltas(candidate: Candidate, delimiter: string): string[] {
  return candidate.steps.map((s, i) => (i < candidate.steps.length - 1 ? s + delimiter : s));
}
