// Counts the HTTP requests (retries included) and the reported tokens of one policy or verifier
// call, wherever they are sent, for the run's cost.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Usage } from "../core/index.js";

/** The HTTP requests one policy or verifier call has sent so far, retries included. */
interface RequestTally {
  requests: number;
  retries: number;
  /** Tokens the server reported for the requests that answered, whether or not the call succeeds. */
  usage: Usage;
}

const tallies = new AsyncLocalStorage<RequestTally>();

/**
 * Runs one policy or verifier call and reports the HTTP requests it really sent (every request
 * and retry of every client it used, also those made on its behalf, like a template render),
 * so the run's cost counts requests rather than calls. A failed call's error carries the same
 * counts for the scheduler. Counted where each request is sent, so no route can forget one.
 */
export async function countRequests<T extends object>(
  call: () => Promise<T>,
): Promise<T & { requests: number; retries: number }> {
  const tally: RequestTally = { requests: 0, retries: 0, usage: { promptTokens: 0, completionTokens: 0 } };
  const outer = tallies.getStore();
  try {
    const value = await tallies.run(tally, call);
    return { ...value, requests: tally.requests, retries: tally.retries };
  } catch (e) {
    // A failed call's answered requests still cost tokens: the scheduler counts them as spent.
    if (e && typeof e === "object")
      Object.assign(e, { requests: tally.requests, retries: tally.retries, usage: { ...tally.usage } });
    throw e;
  } finally {
    if (outer) {
      outer.requests += tally.requests;
      outer.retries += tally.retries;
      outer.usage.promptTokens += tally.usage.promptTokens;
      outer.usage.completionTokens += tally.usage.completionTokens;
    }
  }
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
  if (!tally) return;
  tally.usage.promptTokens += usage.promptTokens;
  tally.usage.completionTokens += usage.completionTokens;
}
