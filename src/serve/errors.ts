// The errors `serve` answers, in the OpenAI envelope (`{"error": {message, type, param, code}}`)
// that clients such as the `openai` SDK parse, with the status each cause gets.
import { errorCodeOf, type SearchResult } from "../core/index.js";
import { isEndpointTimeout } from "../endpoints/index.js";

export type ServeErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "requests"
  | "upstream_error"
  | "server_error";

export class ServeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ServeErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
    /** Seconds a client should wait before trying again (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ServeError";
  }
}

export const badRequest = (message: string, param: string | null = null): ServeError =>
  new ServeError(400, message, "invalid_request_error", "invalid_request", param);

export function envelope(e: ServeError): {
  error: { message: string; type: string; param: string | null; code: string | null };
} {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

/** A failed upstream: 504 when it timed out, else 502. */
export function upstreamError(message: string, timedOut: boolean): ServeError {
  return timedOut
    ? new ServeError(504, message, "upstream_error", "upstream_timeout")
    : new ServeError(502, message, "upstream_error", "upstream_failed");
}

/** What connecting (or anything else thrown before a search) comes to. */
export function errorOf(e: unknown): ServeError {
  if (e instanceof ServeError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const code = errorCodeOf(e);
  if (code === "endpoint") return upstreamError(message, isEndpointTimeout(e));
  if (code === "invalid-config" || code === "needs-verifier" || code === "needs-continuation")
    return new ServeError(400, message, "invalid_request_error", code);
  return new ServeError(500, message, "server_error", "internal_error");
}

/**
 * A finished search that has no solution to return, as an error; null when it has one. A run
 * whose every path failed at a server is the upstream's failure (502/504), one the strategy
 * cannot run a bad request (400).
 */
export function resultError(result: SearchResult): ServeError | null {
  if (result.chosen) return null;
  const message = result.error ?? "The search finished without a solution.";
  const code = result.errorCode;
  if (code === "invalid-config" || code === "needs-verifier" || code === "needs-continuation")
    return new ServeError(400, message, "invalid_request_error", code);
  const failures = result.failures ?? [];
  if (code === "endpoint" || failures.some((f) => f.code === "endpoint"))
    return upstreamError(
      message,
      // 504 only when every failure was a timeout.
      failures.length ? failures.every((f) => isEndpointTimeout(f.message)) : isEndpointTimeout(message),
    );
  return new ServeError(500, message, "server_error", code ?? "no_solution");
}
