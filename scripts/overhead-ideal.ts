// The ideal wall time of a search under simworld's latency model (test/simworld/engine.ts), for
// the work the search actually asked for: a lower bound no controller could beat.
//
// simworld charges a request `requestMs + prefillTokens × prefill + decodeTokens × step` while
// it holds `sequences` of the engine's slots, where a decode step slows by up to 50% as the
// batch fills. Per round (a beam step; the requests that arrived between that round's first
// policy call and the next round's), per engine:
//   bound = max(the longest request, Σ sequences × duration / slots)
// (the round cannot end before its longest request, nor before its slot-time fits the slots).
// Each child is scored as soon as it returns, and the PRM is a separate engine, so the
// verifier overlaps the policy except for the last child's score:
//   round = max(policy bound + shortest PRM request, PRM bound)
// and the ideal is the sum over rounds.
import type { EngineWork } from "../test/simworld/engine.js";

export interface EngineSpec {
  prefillMsPerToken: number;
  decodeMsPerToken: number;
  /** The fixed cost of every request. */
  requestMs: number;
  slots: number;
}

function bound(items: readonly EngineWork[], e: EngineSpec): { bound: number; shortest: number } {
  if (!items.length) return { bound: 0, shortest: 0 };
  const sequences = items.reduce((s, w) => s + Math.min(w.sequences, e.slots), 0);
  // The fullest batch this round's work would make (simworld: load = (active − 1) / slots).
  const load = Math.max(0, Math.min(sequences, e.slots) - 1) / e.slots;
  const step = e.decodeMsPerToken * (1 + 0.5 * load);
  let longest = 0;
  let shortest = Infinity;
  let slotTime = 0;
  for (const w of items) {
    const ms = e.requestMs + w.prefillTokens * e.prefillMsPerToken + w.decodeTokens * step;
    longest = Math.max(longest, ms);
    shortest = Math.min(shortest, ms);
    slotTime += Math.min(w.sequences, e.slots) * ms;
  }
  return { bound: Math.max(longest, slotTime / e.slots), shortest };
}

/**
 * The ideal wall time in ms. `roundStarts`: when each round's first policy call was made
 * (performance.now(), ascending); work before the first start counts towards the first round.
 */
export function idealMs(
  work: readonly EngineWork[],
  roundStarts: readonly number[],
  models: { policy: string; verifier: string },
  policy: EngineSpec,
  verifier: EngineSpec,
): number {
  const rounds: EngineWork[][] = Array.from({ length: Math.max(1, roundStarts.length) }, () => []);
  for (const w of work) {
    let r = 0;
    while (r + 1 < roundStarts.length && roundStarts[r + 1]! <= w.at) r++;
    rounds[r]!.push(w);
  }
  let total = 0;
  for (const items of rounds) {
    const p = bound(
      items.filter((w) => w.model === models.policy),
      policy,
    );
    const v = bound(
      items.filter((w) => w.model === models.verifier),
      verifier,
    );
    total += Math.max(p.bound + v.shortest, v.bound);
  }
  return total;
}
