// The ideal wall time of a search under simworld's latency model (test/simworld/engine.ts), for
// the work the search actually asked for: what a controller that adds nothing would get.
//
// simworld runs each sequence (a choice of a policy request, an input of a /pooling request) on
// a slot of its engine, first come first served: `requestMs + prefillTokens × prefill`, then
// `decodeTokens × step`, where the step is fixed when decoding starts and slows by up to 50% as
// the batch fills. Requests belong to the round (a beam step: the requests that arrived between
// its first policy call and the next round's) in which they arrived. The ideal schedule of a
// round sends all its policy sequences at its start, in the order the engine got them, scores
// each child on the PRM's engine the moment it returns (the shortest scores for the children
// that return last: the best pairing), and ends with its last score. The ideal sums the rounds.
// `bound` is the looser estimate earlier stops used: per round the larger of the longest
// sequence and the slot-time over the slots (every step at the fullest batch's pace, as if the
// lengths were known), plus the shortest score.
import type { EngineWork } from "../test/simworld/engine.js";

export interface EngineSpec {
  prefillMsPerToken: number;
  decodeMsPerToken: number;
  /** The fixed cost of every request. */
  requestMs: number;
  slots: number;
}

interface Sequence {
  arrive: number;
  work: EngineWork;
}

/** When each sequence ends on an engine of `e.slots` slots, first come first served. */
export function schedule(seqs: readonly Sequence[], e: EngineSpec): number[] {
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]!.arrive - seqs[b]!.arrive);
  const ends = new Array<number>(seqs.length).fill(0);
  // Pending events in time order: a sequence's prefill ends, or it ends and frees its slot.
  const events: { t: number; kind: "decode" | "free"; i: number }[] = [];
  const at = (t: number, kind: "decode" | "free", i: number): void => {
    let k = events.length;
    while (k > 0 && events[k - 1]!.t > t) k--;
    events.splice(k, 0, { t, kind, i });
  };
  let active = 0;
  let now = 0;
  for (let next = 0; ;) {
    const admit =
      next < order.length && active < e.slots ? Math.max(now, seqs[order[next]!]!.arrive) : Infinity;
    const event = events[0];
    if (event && event.t <= admit) {
      events.shift();
      now = event.t;
      const w = seqs[event.i]!.work;
      if (event.kind === "decode") {
        const step = e.decodeMsPerToken * (1 + (0.5 * Math.max(0, active - 1)) / e.slots);
        at(now + w.decodeTokens * step, "free", event.i);
      } else {
        ends[event.i] = now;
        active--;
      }
    } else if (admit < Infinity) {
      now = admit;
      const i = order[next++]!;
      active++;
      at(now + e.requestMs + seqs[i]!.work.prefillTokens * e.prefillMsPerToken, "decode", i);
    } else return ends;
  }
}

/** One round's ideal: its policy sequences from its start, each child scored as it returns. */
function roundIdeal(policy: EngineWork[], verifier: EngineWork[], p: EngineSpec, v: EngineSpec): number {
  const policyEnds = schedule(
    policy.map((work) => ({ arrive: 0, work })),
    p,
  ).sort((a, b) => a - b);
  const last = policyEnds.at(-1) ?? 0;
  // The longest scores for the children that return first.
  const scores = [...verifier].sort((a, b) => b.prefillTokens - a.prefillTokens);
  const scored = schedule(
    scores.map((work, j) => ({ arrive: policyEnds[Math.min(j, policyEnds.length - 1)] ?? 0, work })),
    v,
  );
  return Math.max(last, ...scored);
}

function bound(items: readonly EngineWork[], e: EngineSpec): { bound: number; shortest: number } {
  if (!items.length) return { bound: 0, shortest: 0 };
  const load = Math.max(0, Math.min(items.length, e.slots) - 1) / e.slots;
  const step = e.decodeMsPerToken * (1 + 0.5 * load);
  let longest = 0;
  let shortest = Infinity;
  let slotTime = 0;
  for (const w of items) {
    const ms = e.requestMs + w.prefillTokens * e.prefillMsPerToken + w.decodeTokens * step;
    longest = Math.max(longest, ms);
    shortest = Math.min(shortest, ms);
    slotTime += ms;
  }
  return { bound: Math.max(longest, slotTime / e.slots), shortest };
}

/**
 * The ideal wall time and the lower bound, in ms. `roundStarts`: when each round's first policy
 * call was made (performance.now(), ascending); work before the first start counts towards the
 * first round.
 */
export function idealMs(
  work: readonly EngineWork[],
  roundStarts: readonly number[],
  models: { policy: string; verifier: string },
  policy: EngineSpec,
  verifier: EngineSpec,
): { ideal: number; bound: number } {
  const rounds: EngineWork[][] = Array.from({ length: Math.max(1, roundStarts.length) }, () => []);
  for (const w of work) {
    let r = 0;
    while (r + 1 < roundStarts.length && roundStarts[r + 1]! <= w.at) r++;
    rounds[r]!.push(w);
  }
  let ideal = 0;
  let lower = 0;
  for (const items of rounds) {
    const pw = items.filter((w) => w.model === models.policy);
    const vw = items.filter((w) => w.model === models.verifier);
    ideal += roundIdeal(pw, vw, policy, verifier);
    const pb = bound(pw, policy);
    const vb = bound(vw, verifier);
    lower += Math.max(pb.bound + vb.shortest, vb.bound);
  }
  return { ideal, bound: lower };
}
