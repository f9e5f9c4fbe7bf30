// Waiting on conditions, never on the clock: every wait names what it waits for and gives up
// after a timeout with that name in the error.

export class WaitTimeout extends Error {}

export interface WaitOptions {
  /** How long to wait, in ms. */
  timeoutMs: number;
  /** Poll interval, in ms (default 100). */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than undefined/null/false, and returns that.
 * Errors thrown by `check` count as "not yet"; the last one is quoted in the timeout error.
 */
export async function waitUntil<T>(
  what: string,
  opts: WaitOptions,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message.split("\n")[0]})` : "";
      throw new WaitTimeout(`Timed out after ${opts.timeoutMs / 1000} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/**
 * Awaits `action` (typically a Playwright wait that has its own timeout) and, when it fails,
 * rethrows with `what` in front so the report says what was being waited for.
 */
export async function within<T>(what: string, action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new WaitTimeout(`While waiting for ${what}: ${message}`, { cause: err });
  }
}
