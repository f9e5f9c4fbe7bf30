// Times the grader and the step splitter on hostile inputs against plain inputs of equal length,
// measured in the same process: a ratio survives a loaded machine where a fixed time would not.
import { AnswerGrader } from "../../src/core/answers/index.js";
import { splitSteps } from "../../src/core/steps.js";
import { paragraphBefore, stepSpans } from "../../src/extension/step-ranges.js";
import { plainResponse, type HostileInput } from "./hostile.js";

export interface Measured {
  name: string;
  length: number;
  /** Milliseconds: the best of the tries (a pause of the machine only ever adds time). */
  gradeMs: number;
  splitMs: number;
  /** What was thrown, when something was. */
  error?: string;
}

const DELIMITERS = ["\n\n", "\n", ".", "Step", "$"];

function grade(text: string): void {
  // A fresh grader each time: its caches must not hide the work.
  const grader = new AnswerGrader();
  grader.grade("\\frac{5}{2}", text);
  grader.grade("5", text.slice(0, text.length >> 1));
}

function split(text: string): void {
  for (const d of DELIMITERS) splitSteps(text, d);
  stepSpans(text, 0, "\n\n");
  paragraphBefore(text);
}

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Median time of a plain response of `length` characters (after warming up the JIT and the CAS). */
export function plainTimes(length: number, runs = 9): { gradeMs: number; splitMs: number } {
  const text = plainResponse(length);
  for (let i = 0; i < 3; i++) {
    grade(text);
    split(text);
  }
  const g: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < runs; i++) {
    g.push(timed(() => grade(text)));
    s.push(timed(() => split(text)));
  }
  return { gradeMs: median(g), splitMs: median(s) };
}

/**
 * Times one input; when it looks over `limit` it is timed again, up to `tries` times, and the
 * best time counts (a slow input is slow every time; a busy machine is not).
 */
export function measure(
  input: HostileInput,
  limit: { gradeMs: number; splitMs: number } = { gradeMs: Infinity, splitMs: Infinity },
  tries = 5,
): Measured {
  let gradeMs = Infinity;
  let splitMs = Infinity;
  try {
    for (let t = 0; t < tries && gradeMs > limit.gradeMs; t++)
      gradeMs = Math.min(
        gradeMs,
        timed(() => grade(input.text)),
      );
    for (let t = 0; t < tries && splitMs > limit.splitMs; t++)
      splitMs = Math.min(
        splitMs,
        timed(() => split(input.text)),
      );
  } catch (e) {
    return { name: input.name, length: input.text.length, gradeMs, splitMs, error: String(e) };
  }
  return { name: input.name, length: input.text.length, gradeMs, splitMs };
}

/**
 * The most a hostile input may take: `factor` times the plain median, plus `slackMs` for the
 * bounded work of reading one extracted answer (up to 1000 characters, under the grader's limits).
 */
export function limitsFor(
  plain: { gradeMs: number; splitMs: number },
  factor = 25,
  slackMs = 60,
): { gradeMs: number; splitMs: number } {
  return { gradeMs: factor * plain.gradeMs + slackMs, splitMs: factor * plain.splitMs + slackMs / 3 };
}
