// How many searches run at once: `maxActive` run, `maxQueued` more wait in order, and a request
// beyond that is refused at once (429) rather than left hanging. A waiting client that goes away
// leaves the queue.
import { AbortedError } from "../core/index.js";
import { ServeError } from "./errors.js";

/** Seconds a refused client is told to wait. */
export const RETRY_AFTER_SECONDS = 1;

export class SearchGate {
  private activeCount = 0;
  private readonly waiting: { admit: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
  ) {}

  get active(): number {
    return this.activeCount;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a turn; resolves with the function that ends it (call it exactly once). */
  async enter(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new AbortedError("The client went away.");
    if (this.activeCount < this.maxActive) {
      this.activeCount++;
      return this.release();
    }
    if (this.waiting.length >= this.maxQueued)
      throw new ServeError(
        429,
        `This server runs ${this.maxActive} search${this.maxActive === 1 ? "" : "es"} at once with ${this.maxQueued} waiting, and all are taken: try again shortly.`,
        "requests",
        "rate_limit_exceeded",
        null,
        RETRY_AFTER_SECONDS,
      );
    await new Promise<void>((resolve, reject) => {
      const entry = {
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new AbortedError("The client went away."));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
    return this.release();
  }

  private release(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // The turn passes straight to the next in line, so no newcomer slips in between.
      const next = this.waiting.shift();
      if (next) next.admit();
      else this.activeCount--;
    };
  }
}
