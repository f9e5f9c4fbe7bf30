// The project's math grader, for grading bench and calibrate answers against gold ones.
import { gradeAnswer, mathAnswerKey } from "../core/answers/index.js";
import type { AnswerKey } from "../core/index.js";

export interface Grading {
  /** Extracts answers and groups equivalent ones for voting. */
  answerKey: AnswerKey;
  /** Is a predicted answer equal to the gold one? */
  grade(gold: string, predicted: string): boolean;
}

export function mathGrading(): Grading {
  return { answerKey: mathAnswerKey, grade: (gold, predicted) => gradeAnswer(gold, predicted).equal };
}
