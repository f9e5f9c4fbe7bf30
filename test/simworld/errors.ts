// Errors a handler raises; each flavour turns them into its own error body.

export type ErrorKind =
  "invalid_request" | "not_found" | "server" | "unavailable" | "rate_limit" | "auth" | "context";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind: ErrorKind,
    readonly param: string | null = null,
    /** Extra fields some servers add to the error object (llama.cpp: n_prompt_tokens, n_ctx). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, message, "invalid_request", param);
}
