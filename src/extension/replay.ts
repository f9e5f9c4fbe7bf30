// Paces a saved trace for replay: events keep their relative timing, compressed so that a long
// run replays in at most `maxMs` (the panel is the same reducer either way).
import type { SearchEvent } from "../core/index.js";

/** Milliseconds after the replay starts at which each event is applied. */
export function replayTimes(events: readonly SearchEvent[], maxMs = 8000): number[] {
  const last = events.reduce((m, e) => Math.max(m, e.t), 0);
  const scale = last > maxMs ? maxMs / last : 1;
  let prev = 0;
  // Times in a trace never go backwards in effect: an out-of-order t waits for the one before.
  return events.map((e) => (prev = Math.max(prev, Math.round(e.t * scale))));
}
