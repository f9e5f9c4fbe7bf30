// From run settings to live endpoints, and the project's math grader for bench grading.
import { gradeAnswer, mathAnswerKey } from "../core/answers/index.js";
import type { AnswerKey, Policy, Verifier } from "../core/index.js";
import { createPolicy, createVerifier, type EndpointDeps } from "../endpoints/index.js";
import type { RunSettings } from "./config.js";

export interface Endpoints {
  policy: Policy;
  verifier: Verifier | null;
}

/** Connects to the policy and (unless `none`) the verifier; endpoint errors name their URL. */
export async function connect(
  run: Pick<RunSettings, "policy" | "verifier">,
  deps: EndpointDeps = {},
): Promise<Endpoints> {
  const [policy, verifier] = await Promise.all([
    createPolicy(run.policy, deps),
    run.verifier ? createVerifier(run.verifier, deps) : Promise.resolve(null),
  ]);
  return { policy, verifier };
}

export interface Grading {
  /** Extracts answers and groups equivalent ones for voting. */
  answerKey: AnswerKey;
  /** Is a predicted answer equal to the gold one? */
  grade(gold: string, predicted: string): boolean;
}

export function mathGrading(): Grading {
  return { answerKey: mathAnswerKey, grade: (gold, predicted) => gradeAnswer(gold, predicted).equal };
}
