// The simulated verifiers. A step is right when the solution is still on track after it: for a
// world problem, its stated value equals the true value at that point (so every step after the
// first mistake is wrong, as Math-Shepherd and PRM800K label them); for a problem from outside
// the world, its equation is right and starts from the previous step's value. A verifier turns
// that label into a score with its own noise, keyed by the text so far (a step's score depends
// on nothing after it, as in a causal PRM).
import type { VerifierQuality } from "./models.js";
import { problemKey, solutionSteps, stepValue } from "./policy.js";
import { trapOf, trappedChain } from "./published.js";
import { rngFor } from "./rng.js";
import { countTokens } from "./tokens.js";
import { chainAnswer, truthValues, type Chain } from "./world.js";

const EQUATION = /(-?\d+)\s*(\+|-|\\times|\\cdot|\\div|\\bmod|\*|\/)\s*(-?\d+)\s*=\s*(-?\d+)/;
const EQUATION_ALL = new RegExp(EQUATION.source, "g");
const SQUARE = /(-?\d+)\s*\^\s*\{?2\}?\s*=\s*(-?\d+)/;

function equationHolds(step: string, from: number | null): boolean | null {
  const sq = SQUARE.exec(step);
  if (sq) return Number(sq[1]) ** 2 === Number(sq[2]) && (from === null || Number(sq[1]) === from);
  const all = [...step.matchAll(EQUATION_ALL)];
  const m = all[all.length - 1];
  if (!m) return null;
  const a = Number(m[1]);
  const k = Number(m[3]);
  const r = Number(m[4]);
  const op = m[2];
  let right: number;
  if (op === "+") right = a + k;
  else if (op === "-") right = a - k;
  else if (op === "\\times" || op === "\\cdot" || op === "*") right = a * k;
  else if (op === "\\bmod") right = k ? ((a % k) + k) % k : NaN;
  else right = k ? a / k : NaN;
  return right === r && (from === null || a === from);
}

/**
 * Right (true) or wrong (false) for each step; null for a step that states nothing (prose),
 * which counts as right until a mistake has been made.
 */
export function labelSteps(chain: Chain, steps: readonly string[]): (boolean | null)[] {
  const truth = truthValues(chain);
  const labels: (boolean | null)[] = [];
  let onTrack = true;
  let index = 0;
  // Outside the world the start is not known for sure: the first step may start anywhere.
  let previous: number | null = chain.known ? chain.start : null;
  for (const step of steps) {
    const stated = stepValue(step);
    if (!stated) {
      labels.push(onTrack ? null : false);
      continue;
    }
    let right: boolean;
    if (chain.known) {
      right = stated.final
        ? stated.value === chainAnswer(chain) && index >= chain.ops.length
        : stated.value === truth[index];
    } else {
      right = stated.final
        ? stated.value === previous
        : (equationHolds(step, previous) ?? stated.value === previous);
    }
    onTrack = onTrack && right;
    labels.push(onTrack);
    if (!stated.final) index++;
    previous = stated.value;
  }
  return labels;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export interface ScoreRequest {
  verifier: string;
  quality: VerifierQuality;
  chain: Chain;
  problem: string;
  steps: readonly string[];
}

/**
 * The published world: 1 for a step on the track of the problem's systematic mistake (and off
 * the true one), else 0. A verifier that misses the trap scores such steps as right.
 */
function trapped(
  chain: Chain,
  key: string,
  steps: readonly string[],
  labels: readonly (boolean | null)[],
): number[] {
  const trap = trapOf(chain, key);
  if (!trap) return steps.map(() => 0);
  const believed = labelSteps(trappedChain(chain, trap), steps);
  return labels.map((l, i) => (l === false && believed[i] === true ? 1 : 0));
}

/** One score in (0, 1) per step. */
export function scoreSteps(req: ScoreRequest): number[] {
  const steps = req.steps.map((s) => s.trim());
  const labels = labelSteps(req.chain, steps);
  const key = problemKey(req.chain, req.problem);
  const q = req.quality;
  const fooled = q.trapDetection === undefined ? null : trapped(req.chain, key, steps, labels);
  return steps.map((_, i) => {
    const label = labels[i];
    const upTo = steps.slice(0, i + 1).join("\n\n");
    let logit = label === null ? (q.good + q.bad) / 2 : label ? q.good : q.bad;
    // A trapped step looks right to a verifier that misses the trap.
    if (fooled?.[i]) logit = q.bad + (1 - (q.trapDetection ?? 1)) * (q.good - q.bad);
    logit += q.sd * rngFor("score", req.verifier, key, upTo).normal();
    if (q.lengthBias) logit += q.lengthBias * Math.max(0, 1 - countTokens(upTo) / (q.lengthScale ?? 160));
    return sigmoid(logit);
  });
}

/** Steps of a solution written as paragraphs, or as `Step k:` lines. */
export function judgedSteps(solution: string): string[] {
  const paragraphs = solutionSteps(solution);
  if (paragraphs.length === 1 && /^\s*Step \d+:/m.test(solution))
    return solution
      .split(/\n(?=\s*Step \d+:)/)
      .map((s) => s.trim())
      .filter(Boolean);
  return paragraphs;
}
