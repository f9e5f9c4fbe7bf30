// Counts the HTTP requests (retries included) and the reported tokens of one policy or verifier
// call, wherever they are sent, for the run's cost.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Usage } from "../core/index.js";
import { addUsage } from "./adapters/usage.js";

/** The HTTP requests one policy or verifier call has sent so far, retries included. */
interface RequestTally {
  requests: number;
  retries: number;
  /** Tokens the server reported for the requests that answered, whether or not the call succeeds. */
  usage: Usage;
  /** Tokens received by attempts that failed mid-stream (their retries may have succeeded). */
  lost: Usage;
}

const tallies = new AsyncLocalStorage<RequestTally>();

/**
 * Runs one policy or verifier call and reports the HTTP requests it really sent (every request
 * and retry of every client it used, also those made on its behalf, like a template render),
 * so the run's cost counts requests rather than calls. A failed call's error carries the same
 * counts for the scheduler. Counted where each request is sent, so no route can forget one.
 */
export async function countRequests<T extends { usage: Usage }>(
  call: () => Promise<T>,
): Promise<T & { requests: number; retries: number }> {
  const none = { promptTokens: 0, completionTokens: 0 };
  const tally: RequestTally = { requests: 0, retries: 0, usage: { ...none }, lost: { ...none } };
  const outer = tallies.getStore();
  try {
    const value = await tallies.run(tally, call);
    // Attempts cut off before a retry succeeded were generated all the same.
    const usage = addUsage(value.usage, tally.lost);
    return { ...value, usage, requests: tally.requests, retries: tally.retries };
  } catch (e) {
    // A failed call's requests still cost tokens: the scheduler counts them as spent.
    if (e && typeof e === "object")
      Object.assign(e, {
        requests: tally.requests,
        retries: tally.retries,
        usage: addUsage(tally.usage, tally.lost),
      });
    throw e;
  } finally {
    if (outer) {
      outer.requests += tally.requests;
      outer.retries += tally.retries;
      outer.usage = addUsage(outer.usage, tally.usage);
      outer.lost = addUsage(outer.lost, tally.lost);
    }
  }
}

/** Adds what an attempt cut off mid-stream had received to the call in progress. */
export function tallyReceived(usage: Usage | undefined): void {
  const tally = tallies.getStore();
  if (tally && usage) tally.lost = addUsage(tally.lost, usage);
}

/** Counts one request of the call in progress (none outside `countRequests`). */
export function tallyRequest(attempt: number): void {
  const tally = tallies.getStore();
  if (!tally) return;
  tally.requests++;
  if (attempt > 0) tally.retries++;
}

/** Adds the tokens an answered request reported to the call in progress. */
export function tallyUsage(usage: Usage): void {
  const tally = tallies.getStore();
  if (tally) tally.usage = addUsage(tally.usage, usage);
}

/** The tokens a parsed body reports, read by the route's reader; a reader that throws reports none. */
export function readUsage(
  read: ((body: unknown) => Usage | undefined) | undefined,
  value: unknown,
): Usage | undefined {
  try {
    return read?.(value);
  } catch {
    return undefined;
  }
}
