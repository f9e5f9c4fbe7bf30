// When a failed request is retried, after how long, and when its replica is taken out.
import type { EndpointError } from "./errors.js";
import { requestAborted } from "./http.js";
import type { ReplicaOutcome } from "./pool.js";

export const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);
const DOWN_STATUS = new Set([502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30_000;

/** Connection failures and gateway errors take a replica out for a while; others do not. */
export function failureOutcome(error: EndpointError): ReplicaOutcome {
  if (error.transport && error.transport !== "bad-response") return "down";
  return error.status !== undefined && DOWN_STATUS.has(error.status) ? "down" : "neutral";
}

/** `Retry-After` (seconds or an HTTP date) or OpenAI's `retry-after-ms`, capped. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const ms = Number(headers["retry-after-ms"]);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const raw = headers["retry-after"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(Math.max(0, seconds * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.min(Math.max(0, date - Date.now()), MAX_RETRY_AFTER_MS) : undefined;
}

/** Exponential backoff with jitter; the server's `Retry-After` wins when it gave one. */
export function retryDelay(attempt: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return retryAfter;
  const base = Math.min(8_000, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(requestAborted());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(requestAborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
