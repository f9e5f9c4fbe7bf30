import type { Problem, ScoreResult, Verifier, VerifierKind } from "../../core/index.js";
import { countRequests } from "../client.js";

/**
 * What every verifier over HTTP shares: each score call reports the HTTP requests it really
 * sent (`countRequests`), so the run's cost counts requests, not calls.
 */
export abstract class HttpVerifier implements Verifier {
  abstract readonly kind: VerifierKind;
  abstract readonly model: string;

  score(problem: Problem, steps: readonly string[], signal?: AbortSignal): Promise<ScoreResult> {
    return countRequests(() => this.scoreSteps(problem, steps, signal));
  }

  protected abstract scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult>;
}
