// What stopped a search or a call, as a code the front ends choose their words and actions by;
// the message is for people and may change.
/**
 * - `needs-verifier`, `needs-continuation`: the strategy cannot run with these endpoints;
 * - `invalid-config`: a setting or search knob is out of range;
 * - `no-solution`: the search finished nothing (its failures say why);
 * - `endpoint`: a policy or verifier server failed (the role says which);
 * - `aborted`: the caller cancelled.
 */
export type ErrorCode =
  "needs-verifier" | "needs-continuation" | "invalid-config" | "no-solution" | "endpoint" | "aborted";

export const ERROR_CODES: readonly ErrorCode[] = [
  "needs-verifier",
  "needs-continuation",
  "invalid-config",
  "no-solution",
  "endpoint",
  "aborted",
];

/** The endpoint an error is about. */
export type ErrorRole = "policy" | "verifier";

export class SearchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly role?: ErrorRole,
  ) {
    super(message);
    this.name = "SearchError";
  }
}

/** The caller's signal fired: a run, a request or a wait was cancelled. */
export class AbortedError extends SearchError {
  constructor(message = "The run was cancelled.") {
    super("aborted", message);
    // The DOM's name for it, so code that knows only AbortSignal's errors recognizes it too.
    this.name = "AbortError";
  }
}

/** The code of anything thrown: ours by its `code`, the platform's aborts by their name. */
export function errorCodeOf(e: unknown): ErrorCode | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  return e.name === "AbortError" ? "aborted" : undefined;
}

export function errorRoleOf(e: unknown): ErrorRole | undefined {
  const role = e instanceof Error ? (e as { role?: unknown }).role : undefined;
  return role === "policy" || role === "verifier" ? role : undefined;
}

/** The one test for cancellation: an aborted error, or any error once the signal has fired. */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return errorCodeOf(error) === "aborted" || (signal?.aborted ?? false);
}
