// A streamed search's progress as short lines a chat client can show before the answer: they go
// out as `reasoning_content` deltas, the field DeepSeek's API and vLLM's reasoning parsers stream
// a model's thinking in (clients that render it show it as thinking; others ignore the field, so
// the answer's `content` stays clean). At most one tally line per interval.
import type { SearchEvent } from "../core/index.js";

export const PROGRESS_INTERVAL_MS = 500;

export class ProgressLines {
  private finished = 0;
  private lastTallyAt = -Infinity;

  constructor(private readonly intervalMs = PROGRESS_INTERVAL_MS) {}

  /** The line this event is worth, if any; `now` in ms (the event's own `t` works). */
  line(e: SearchEvent, now = e.t): string | null {
    switch (e.type) {
      case "run-started":
        return `Searching: ${e.config.strategy}, n = ${e.config.n}, policy ${e.policy}${e.verifier ? `, verifier ${e.verifier}` : ""}.`;
      case "strategy-chosen":
        return `Auto chose ${e.decision.method}: ${e.decision.reason}`;
      case "path-finished":
        this.finished++;
        return null;
      case "answer-tally": {
        const top = e.tally[0];
        if (!top || now - this.lastTallyAt < this.intervalMs) return null;
        this.lastTallyAt = now;
        const others = e.tally.length - 1;
        return `${this.finished} solution${this.finished === 1 ? "" : "s"} finished; leading answer ${top.answer} (${top.votes} vote${top.votes === 1 ? "" : "s"}${others ? `, ${others} other answer${others === 1 ? "" : "s"}` : ""}).`;
      }
      case "early-stopped":
        return `Stopped early: ${e.reason}`;
      case "warning":
        return `Warning: ${e.message}`;
      default:
        return null;
    }
  }
}
