import type { Problem, ScoreResult } from "../../core/index.js";
import { asArray, isObject } from "../adapters/shape.js";
import { NO_USAGE, parseUsage } from "../adapters/usage.js";
import { HttpVerifier } from "./base.js";
import { EndpointError } from "../errors.js";

/**
 * A custom scorer behind a documented JSON contract. The URL is used as given (no `/v1` is
 * added or removed).
 *
 * Request: `POST <url>` with `{"model": string, "problem": string, "steps": string[]}`.
 * Response: `{"scores": number[]}` with one score in [0, 1] per step, in order; optionally
 * `"usage": {"prompt_tokens": n, "completion_tokens": n}`. Errors: any non-2xx status, with
 * `{"error": {"message": …}}` or `{"error": "…"}` for the message shown to the user.
 */
export class HttpScorerVerifier extends HttpVerifier {
  readonly kind = "http" as const;

  protected async scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    const body = { model: this.model, problem: problem.text, steps };
    const { value, url } = await this.client.json("", body, { signal, usage: parseUsage });
    const raw = isObject(value) ? asArray(value.scores) : [];
    const scores = raw.map((s) => (typeof s === "number" && s >= 0 && s <= 1 ? s : NaN));
    if (!isObject(value) || !Array.isArray(value.scores) || scores.some(Number.isNaN))
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: 'did not answer {"scores": [numbers between 0 and 1]}',
        hint: "A custom scorer must answer one score in [0, 1] per step (see the http verifier's contract).",
      });
    if (scores.length !== steps.length)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: `returned ${scores.length} scores for ${steps.length} steps`,
        hint: "A custom scorer must answer exactly one score per step it was sent.",
      });
    return { scores, usage: parseUsage(value) ?? NO_USAGE };
  }
}
