// Reading simworld's solutions back against its ground truth, for the statistical tests of its
// policies and verifiers.
import { applyOp, truthValues, type Chain } from "../../simworld/world.js";

/** The value a step states: its `= v$`, or its `\boxed{v}` when it is the final answer. */
export function statedValue(step: string): { value: number; final: boolean } | null {
  const boxed = /\\boxed\{(-?\d+)\}/.exec(step);
  if (boxed) return { value: Number(boxed[1]), final: true };
  const eq = [...step.matchAll(/=\s*(-?\d+)\$/g)].pop();
  return eq ? { value: Number(eq[1]), final: false } : null;
}

/** Per operation step: did it apply the problem's operation to the value it started from? */
export function stepCorrectness(chain: Chain, steps: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let value = chain.start;
  let op = 0;
  for (const step of steps) {
    const stated = statedValue(step);
    if (!stated) continue;
    if (stated.final) {
      if (op < chain.ops.length) out.push(false); // jumped to an answer with operations left
      break;
    }
    const next = chain.ops[op];
    if (!next) break;
    out.push(stated.value === applyOp(value, next));
    value = stated.value;
    op++;
  }
  return out;
}

/** Ground truth per step: still on track (its stated value is the true value so far). */
export function onTrack(chain: Chain, steps: readonly string[]): boolean[] {
  const truth = truthValues(chain);
  let ok = true;
  let op = 0;
  return steps.map((step) => {
    const stated = statedValue(step);
    ok =
      ok &&
      stated !== null &&
      (stated.final
        ? op === chain.ops.length && stated.value === truth[truth.length - 1]
        : stated.value === truth[op]);
    if (stated && !stated.final) op++;
    return ok;
  });
}

/** Probability that a random right step outscores a random wrong one. */
export function auroc(scores: readonly number[], labels: readonly boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}
