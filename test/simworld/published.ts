// The world calibrated to published results (`world: "published"`). Real policies do not fail
// independently step by step: some problems are out of a small model's reach, and a model makes
// the same problem-specific mistake again and again, so majority vote plateaus on a wrong answer
// (Liu et al. 2025, Table 5). Here every problem has one systematic mistake (its "trap": a
// plausible wrong operation at one step, the same for every policy) and each policy falls into
// it with a problem-specific probability, correlated across policies; on top of that, scattered
// slips as in the classic world. A strong PRM sees the trap for the mistake it is; a weak one
// (Math-Shepherd-class) or a length-biased one believes it, so search cannot climb out of it.
// The numbers are fitted so that the policies reproduce the published CoT and majority-vote
// figures; see README.md ("The published world") for each number's source.
import type { Level } from "./models.js";
import { normalCdf } from "./models.js";
import { rngFor } from "./rng.js";
import { applyOp, type Chain, type Op, type OpKind } from "./world.js";

/** A policy in the published world. */
export interface PublishedShape {
  /**
   * Per level 1..5: the probit of the median problem's trap strength (the share of samples that
   * make the problem's systematic mistake); the problem's own strength is Φ(trap + SPREAD·z).
   */
  trap: [number, number, number, number, number];
  /** Per level 1..5: scattered per-step error probability (temperature ≤ 1), as in the classic world. */
  slip: [number, number, number, number, number];
}

/** How far apart problems of one level are, on the probit scale of the trap strength. */
export const SPREAD = 1.4;
/** Correlation of a problem's difficulty between two policies (hard for one, hard for all). */
export const SHARED_DIFFICULTY = 0.8;

/**
 * Fitted (scripts/fit-published.ts prints the figures) to Liu et al. 2025, Table 5, MATH-500
 * CoT / majority@64: Qwen2.5-0.5B-Instruct 31.6 / 47.2, 1.5B 54.4 / 68.4, 7B 76.8 / 83.6,
 * 72B 83.8 / 87.2 (docs/reference/tts-algorithms.md §10).
 */
export const PUBLISHED_SHAPES: Record<string, PublishedShape> = {
  "sim-policy-0.5b": { trap: [-0.7, -0.32, 0.06, 0.45, 0.83], slip: [0.07, 0.09, 0.11, 0.13, 0.15] },
  "sim-policy-1.5b": { trap: [-1.4, -1.02, -0.64, -0.25, 0.13], slip: [0.035, 0.045, 0.055, 0.065, 0.075] },
  "sim-policy-7b": { trap: [-2.3, -1.9, -1.53, -1.15, -0.76], slip: [0.01, 0.013, 0.016, 0.02, 0.025] },
  "sim-policy-72b": { trap: [-2.5, -2.1, -1.72, -1.34, -0.95], slip: [0.006, 0.008, 0.011, 0.014, 0.017] },
};

/**
 * How much a verifier sees of a trap: 1 scores the trapped step (and everything after it) as
 * the mistake it is, 0 as a right step. Strong classifier PRMs (Qwen2.5-Math-PRM) catch
 * plausible mistakes; Math-Shepherd-style and length-biased PRMs do not (Liu et al. 2025 §4:
 * with them search falls below majority vote).
 */
export const TRAP_DETECTION: Record<string, number> = {
  "sim-prm-qwen": 0.9,
  "sim-prm-shepherd": 0,
  "sim-prm-biased": 0,
  "sim-judge-7b": 0.5,
};

/** A problem's difficulty for one policy: standard normal, correlated across policies. */
export function difficulty(modelId: string, problemKey: string): number {
  const shared = rngFor("difficulty", problemKey).normal();
  const own = rngFor("difficulty", modelId, problemKey).normal();
  return SHARED_DIFFICULTY * shared + Math.sqrt(1 - SHARED_DIFFICULTY ** 2) * own;
}

/** The share of samples of this policy that make the problem's systematic mistake. */
export function trapStrength(
  shape: PublishedShape,
  modelId: string,
  level: Level,
  problemKey: string,
): number {
  const mean = shape.trap[level - 1] ?? shape.trap[4];
  return normalCdf(mean + SPREAD * difficulty(modelId, problemKey));
}

const WRONG_OPERATION: Record<OpKind, OpKind> = {
  add: "sub",
  sub: "add",
  mul: "add",
  div: "mul",
  mod: "div",
  square: "mul",
};

export interface Trap {
  /** The operation step (0-based) where the mistake is made. */
  index: number;
  /** The operation done instead of the right one. */
  op: Op;
}

/**
 * The problem's systematic mistake: at one step (drawn per problem), the wrong operation with
 * the right operand, or the right operation with the operand off by one. Null when neither
 * changes the value (the step cannot be got wrong this way).
 */
export function trapOf(chain: Chain, problemKey: string): Trap | null {
  if (!chain.ops.length) return null;
  const index = rngFor("trap", problemKey).int(0, chain.ops.length - 1);
  const op = chain.ops[index]!;
  let value = chain.start;
  for (const o of chain.ops.slice(0, index)) value = applyOp(value, o);
  const right = applyOp(value, op);
  const k = op.kind === "square" ? 2 : op.k;
  const tries: Op[] = [{ kind: WRONG_OPERATION[op.kind], k }];
  if (op.kind !== "square") tries.push({ kind: op.kind, k: k + 1 });
  const trap = tries.find((t) => applyOp(value, t) !== right);
  return trap ? { index, op: trap } : null;
}

/** The chain as someone who believes the trap sees it (the trapped step done the trap's way). */
export function trappedChain(chain: Chain, trap: Trap): Chain {
  return { ...chain, ops: chain.ops.map((o, i) => (i === trap.index ? trap.op : o)) };
}
