// Math answers: extraction, normalization, equivalence and vote grouping (docs/reference/answer-grading.md).
import type { AnswerKey } from "../answer-key.js";
import { AnswerGrader, type GradeOptions, type GradeResult } from "./grader.js";
import { groupAnswers } from "./group.js";

export { AnswerGrader, type GradeOptions, type GradeResult } from "./grader.js";
export { extractAnswer, extractGold, type ExtractOptions } from "./extract.js";
export { normalizeAnswer } from "./normalize.js";
export { DEFAULT_LIMITS, type AnswerLimits } from "./limits.js";
export type { Verdict } from "./scalar.js";

let shared: AnswerGrader | null = null;
const defaultGrader = (): AnswerGrader => (shared ??= new AnswerGrader());

/** Grades a prediction (a whole response or a bare answer) against a reference answer. */
export function gradeAnswer(gold: string, pred: string, options?: GradeOptions): GradeResult {
  return (options ? new AnswerGrader(options) : defaultGrader()).grade(gold, pred);
}

/** Whether two already-extracted answers are equivalent, with the reason when limits decided it. */
export function answersEqual(
  a: string,
  b: string,
  options?: GradeOptions,
): { equal: boolean; reason?: string } {
  return (options ? new AnswerGrader(options) : defaultGrader()).compare(a, b);
}

/** An AnswerKey that votes with the math grader; each key keeps its own caches. */
export function createMathAnswerKey(options: GradeOptions = {}): AnswerKey {
  const grader = new AnswerGrader(options);
  return {
    extract: (solution) => grader.extract(solution),
    group: (answers) => groupAnswers(answers, grader),
  };
}

/** The default answer key of every search: math equivalence, last-number fallback on. */
export const mathAnswerKey: AnswerKey = {
  extract: (solution) => defaultGrader().extract(solution),
  group: (answers) => groupAnswers(answers, defaultGrader()),
};
