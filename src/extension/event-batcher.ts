// Coalesces a run's events into one message per interval, so a run with n=64 over 40 steps sends
// a few messages a second instead of thousands, and the editor stays responsive.
import type { SearchEvent } from "../core/index.js";

export interface EventBatch {
  runId: number;
  /** Index of the first event in its run. */
  seq: number;
  events: SearchEvent[];
}

export type Timer = (fn: () => void, ms: number) => { cancel(): void };

export const realTimer: Timer = (fn, ms) => {
  const h = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(h) };
};

export class EventBatcher {
  private pending: EventBatch | null = null;
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly send: (batch: EventBatch) => void,
    private readonly intervalMs = 100,
    private readonly schedule: Timer = realTimer,
    /** A batch this large is sent at once rather than waiting for the interval. */
    private readonly maxEvents = 5000,
  ) {}

  push(runId: number, seq: number, event: SearchEvent): void {
    if (
      this.pending &&
      (this.pending.runId !== runId || this.pending.seq + this.pending.events.length !== seq)
    )
      this.flush();
    if (!this.pending) this.pending = { runId, seq, events: [] };
    this.pending.events.push(event);
    // The end of a run goes out at once, so the answer never waits for the timer.
    if (event.type === "run-finished" || this.pending.events.length >= this.maxEvents) this.flush();
    else this.timer ??= this.schedule(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const batch = this.pending;
    this.pending = null;
    if (batch?.events.length) this.send(batch);
  }

  /** Drops what is pending: a snapshot that already contains it is being sent instead. */
  discard(): void {
    this.timer?.cancel();
    this.timer = null;
    this.pending = null;
  }
}
