import type { Problem, ScoreResult, Verifier, VerifierKind } from "../../core/index.js";
import { NO_USAGE } from "../adapters/usage.js";
import type { EndpointClient } from "../client.js";
import { countRequests } from "../request-count.js";

/**
 * What every verifier over HTTP shares: no steps cost no request, and each score call reports
 * the HTTP requests it really sent (`countRequests`), so the run's cost counts requests, not calls.
 */
export abstract class HttpVerifier implements Verifier {
  abstract readonly kind: VerifierKind;
  /** Parameter count the server reports (llama.cpp `meta.n_params`), for FLOPs. */
  parameters?: number;

  constructor(
    protected readonly client: EndpointClient,
    readonly model: string,
  ) {}

  score(problem: Problem, steps: readonly string[], signal?: AbortSignal): Promise<ScoreResult> {
    if (!steps.length) return Promise.resolve({ scores: [], usage: NO_USAGE });
    return countRequests(() => this.scoreSteps(problem, steps, signal));
  }

  /** Scores at least one step. */
  protected abstract scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult>;
}
