// The virtual models `serve` offers: one name per strategy and budget (`tts/beam-16`,
// `tts/auto-64`; `tts/greedy` has no budget), read from the strategy registry, so a new strategy
// is served without a line here.
import { findStrategy, resolveSearchConfig, strategies, type SearchConfig } from "../core/index.js";

export const MODEL_PREFIX = "tts/";

/** What a model name asks for: a strategy, and the budget when the name gives one. */
export interface ModelChoice {
  strategy: string;
  n?: number;
}

/** `tts/beam-16` → beam at n = 16, `tts/beam` → beam at the server's n; null when not ours. */
export function parseModel(id: string): ModelChoice | null {
  if (!id.startsWith(MODEL_PREFIX)) return null;
  const name = id.slice(MODEL_PREFIX.length);
  if (findStrategy(name)) return { strategy: name };
  const m = /^(.+)-(\d{1,5})$/.exec(name);
  if (!m || !findStrategy(m[1]!)) return null;
  return { strategy: m[1]!, n: Number(m[2]) };
}

export interface Offer {
  /** The settings' search knobs (the budget a bare strategy name gets, the beam width). */
  search: SearchConfig;
  hasVerifier: boolean;
  /** False once the policy is known not to continue a partial solution; undefined: not known yet. */
  continuation?: boolean;
  /** The largest n a request may ask for. */
  maxBudget: number;
}

/** Budgets listed per strategy: powers of two from 4, the settings' n, and the cap itself. */
function budgets(offer: Offer): number[] {
  const list = new Set<number>([offer.search.n, offer.maxBudget]);
  for (let n = 4; n <= offer.maxBudget; n *= 2) list.add(n);
  return [...list].filter((n) => n >= 1 && n <= offer.maxBudget).sort((a, b) => a - b);
}

/** Whether the strategy can run on these endpoints at all. */
export function offered(strategy: string, offer: Offer): boolean {
  const s = findStrategy(strategy);
  if (!s) return false;
  if (s.needsVerifier && !offer.hasVerifier) return false;
  return !(s.needsContinuation && offer.continuation === false);
}

/** Every model name the settings allow, in the registry's order. */
export function modelIds(offer: Offer): string[] {
  const ids: string[] = [];
  for (const s of strategies()) {
    if (!offered(s.id, offer)) continue;
    if (!s.usesBudget) {
      ids.push(`${MODEL_PREFIX}${s.id}`);
      continue;
    }
    for (const n of budgets(offer)) {
      try {
        resolveSearchConfig({ ...offer.search, strategy: s.id, n });
        ids.push(`${MODEL_PREFIX}${s.id}-${n}`);
      } catch {
        // Not a multiple of the beam width: not offered by name (a `tts` object can still ask).
      }
    }
  }
  return ids;
}
