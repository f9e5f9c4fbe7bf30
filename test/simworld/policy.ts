// The simulated policies: they read the solution written so far, take its last stated value as
// the truth (so an earlier mistake carries on), and write the remaining steps, each wrong with
// the model's per-step error rate. Every draw is keyed by the text written so far, so writing a
// solution in one request or step by step (same seed) gives the same steps.
import type { JudgeModel, Level, PolicyModel } from "./models.js";
import { stepErrorRate } from "./models.js";
import { trapOf, trapStrength, type Trap } from "./published.js";
import { rngFor, type Rng } from "./rng.js";
import {
  applyOp,
  equation,
  finalText,
  STEP_VARIANTS,
  stepText,
  type Chain,
  type Op,
  type OpKind,
} from "./world.js";

export interface SolutionState {
  /** Values stated so far, one per equation, in order. */
  values: number[];
  /** The value the next step starts from: the last stated one, or the chain's start. */
  current: number;
  /** A `\boxed{}` answer was already given. */
  finished: boolean;
}

const RESULT = /=\s*\$?\s*(-?\d+)/g;
const BOXED = /\\boxed\{\s*(-?\d+)\s*\}/;

/** The value a step states, if any: its boxed answer, else the result of its last equation. */
export function stepValue(step: string): { value: number; final: boolean } | null {
  const boxed = BOXED.exec(step);
  if (boxed) return { value: Number(boxed[1]), final: true };
  const results = [...step.matchAll(RESULT)];
  const last = results[results.length - 1];
  return last ? { value: Number(last[1]), final: false } : null;
}

export function readPartial(chain: Chain, partial: string): SolutionState {
  const values = [...partial.replace(/\\boxed\{[^}]*\}/g, "").matchAll(RESULT)].map((m) => Number(m[1]));
  return {
    values,
    current: values[values.length - 1] ?? chain.start,
    finished: BOXED.test(partial),
  };
}

/** Steps of a solution: paragraphs separated by blank lines, trimmed, empty ones dropped. */
export function solutionSteps(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The identity of a problem for keying draws: the chain itself, however it was worded. */
export function problemKey(chain: Chain, problemText: string): string {
  if (!chain.known) return `text:${problemText.replace(/\s+/g, " ").trim()}`;
  return `chain:${chain.start}|${chain.ops.map((o) => `${o.kind}${o.k}`).join(",")}`;
}

export type StepKind = "op" | "final" | "early";

export interface WrittenStep {
  text: string;
  kind: StepKind;
  /** The step does what the problem says to the value it starts from. */
  correct: boolean;
  value: number;
}

export interface Continuation {
  /** The text to append to the prompt (starting with the separator it needs). */
  text: string;
  steps: WrittenStep[];
}

export interface WriteRequest {
  model: PolicyModel | JudgeModel;
  chain: Chain;
  problem: string;
  partial: string;
  temperature: number;
  /** Extra key for the draws: empty for greedy decoding, [seed or nonce, choice index] when sampling. */
  sampleKey: readonly (string | number)[];
}

type ErrorKind = "slip" | "operand" | "operation" | "early";
const ERROR_KINDS: ErrorKind[] = ["slip", "operand", "operation", "early"];
const ERROR_WEIGHTS = [0.45, 0.25, 0.15, 0.15];

const WRONG_OPERATION: Record<OpKind, OpKind> = {
  add: "sub",
  sub: "add",
  mul: "add",
  div: "sub",
  mod: "div",
  square: "mul",
};

function slip(rng: Rng, right: number): number {
  const digits = String(right);
  if (digits.length >= 2 && rng.next() < 0.3) {
    const i = rng.int(0, digits.length - 2);
    const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
    if (swapped !== digits && !swapped.startsWith("0")) return Number(swapped);
  }
  const wrong = right + rng.pick([-10, -2, -1, 1, 2, 10]);
  return wrong >= 0 && wrong !== right ? wrong : right + 1;
}

function misread(rng: Rng, k: number): number {
  const digits = String(k);
  if (digits.length >= 2 && digits[0] !== digits[digits.length - 1] && rng.next() < 0.5) {
    const reversed = Number([...digits].reverse().join(""));
    if (reversed > 0) return reversed;
  }
  return k + (k > 2 && rng.next() < 0.5 ? -1 : 1);
}

/** One operation step, right or wrong. */
function writeOpStep(
  rng: Rng,
  op: Op,
  a: number,
  errorRate: number,
  unit: string | null,
  variant: number,
): WrittenStep {
  const right = applyOp(a, op);
  if (rng.next() >= errorRate)
    return { text: stepText(op, a, op.k, right, unit, variant), kind: "op", correct: true, value: right };
  let kind = ERROR_KINDS[rng.weighted(ERROR_WEIGHTS)] ?? "slip";
  if (kind === "operand" && op.kind === "square") kind = "slip";
  switch (kind) {
    case "slip": {
      const r = slip(rng, right);
      return { text: stepText(op, a, op.k, r, unit, variant), kind: "op", correct: false, value: r };
    }
    case "operand": {
      const k = misread(rng, op.k);
      const r = Math.max(0, applyOp(a, { kind: op.kind, k }));
      const text = stepText(op, a, op.k, r, unit, variant).replace(
        equation(op.kind, a, op.k, r),
        equation(op.kind, a, k, r),
      );
      return { text, kind: "op", correct: r === right, value: r };
    }
    case "operation": {
      const wrongKind = WRONG_OPERATION[op.kind];
      const k = op.kind === "square" ? 2 : op.k;
      const r = Math.max(0, applyOp(a, { kind: wrongKind, k }));
      const text = stepText(op, a, op.k, r, unit, variant).replace(
        equation(op.kind, a, op.k, r),
        equation(wrongKind, a, k, r),
      );
      return { text, kind: "op", correct: r === right, value: r };
    }
    case "early":
      // Jumps to the answer without doing the rest: a short, wrong solution.
      return { text: finalText(a, variant), kind: "early", correct: false, value: a };
  }
}

/** The problem's systematic mistake: the step told as `op`, done as `wrong`. */
function writeTrapStep(op: Op, wrong: Op, a: number, unit: string | null, variant: number): WrittenStep {
  const r = applyOp(a, wrong);
  const text = stepText(op, a, op.k, r, unit, variant).replace(
    equation(op.kind, a, op.k, r),
    equation(wrong.kind, a, wrong.k, r),
  );
  return { text, kind: "op", correct: r === applyOp(a, op), value: r };
}

/** Normalised solution text, so that draws do not depend on how a client joined the steps. */
function normalise(text: string): string {
  return solutionSteps(text).join("\n\n");
}

/** What goes between the partial solution and the first new step. */
function separator(partial: string): { sep: string; unfinished: boolean } {
  if (!partial.trim()) return { sep: "", unfinished: false };
  if (/\n[ \t]*\n[ \t]*$/.test(partial)) return { sep: "", unfinished: false };
  const lastLine = partial.trimEnd().split("\n").pop() ?? "";
  const endsWithNewline = /\n[ \t]*$/.test(partial);
  if (stepValue(lastLine) || /[.!?$]\s*$/.test(lastLine))
    return { sep: endsWithNewline ? "\n" : "\n\n", unfinished: false };
  if (/:\s*$/.test(lastLine)) return { sep: endsWithNewline ? "" : " ", unfinished: false };
  // The last step stops mid-sentence: finish it with the next equation.
  return { sep: /\s$/.test(partial) ? "" : " ", unfinished: true };
}

/** Writes the rest of the solution after `partial`. Empty when it already has a final answer. */
export function writeContinuation(req: WriteRequest): Continuation {
  const { chain, partial } = req;
  const state = readPartial(chain, partial);
  if (state.finished) return { text: "", steps: [] };
  const level = chain.level as Level;
  const errorRate = stepErrorRate(req.model, level, req.temperature);
  const key = problemKey(chain, req.problem);
  const shape = req.model.published;
  // The published world: the problem's systematic mistake, and how often this policy makes it.
  const trap: Trap | null = shape ? trapOf(chain, key) : null;
  const trapShare = shape && trap ? trapStrength(shape, req.model.id, level, key) : 0;
  const { sep, unfinished } = separator(partial);
  const steps: WrittenStep[] = [];
  let written = normalise(partial);
  let text = sep;
  let value = state.current;
  for (let i = state.values.length; i <= chain.ops.length; i++) {
    const rng = rngFor(req.model.id, key, written, ...req.sampleKey);
    const variant = req.temperature > 0 ? rng.int(0, STEP_VARIANTS - 1) : 0;
    const op = chain.ops[i];
    let step: WrittenStep;
    if (!op) step = { text: finalText(value, variant), kind: "final", correct: true, value };
    else if (trap?.index === i && rng.next() < trapShare)
      step = writeTrapStep(op, trap.op, value, chain.unit, variant);
    else step = writeOpStep(rng, op, value, errorRate, chain.unit, variant);
    if (unfinished && i === state.values.length && step.kind === "op") {
      // Only the equation: the partial already began the sentence.
      const eq = /\$[^$]*=[^$]*\$/.exec(step.text)?.[0] ?? step.text;
      step = { ...step, text: eq + "." };
    }
    steps.push(step);
    text += (steps.length > 1 ? "\n\n" : "") + step.text;
    written = normalise(partial + sep + text.slice(sep.length));
    value = step.value;
    if (step.kind !== "op") break;
  }
  return { text, steps };
}
