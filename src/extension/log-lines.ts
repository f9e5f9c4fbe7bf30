// Lines for the output channel, kept short: a model that loops can write an "answer" of 60 KB,
// and one such line would bury every other in the log.
import type { SearchResult } from "../core/index.js";

/** The longest line the output channel gets; the rest is counted, not written. */
export const MAX_LOG_LINE = 2000;
/** The longest answer a run's log line quotes. */
export const MAX_LOGGED_ANSWER = 200;

/** Cuts a line to `max` characters, saying how many were left out. */
export function capLine(line: string, max = MAX_LOG_LINE): string {
  return line.length > max ? `${line.slice(0, max)}… (${line.length - max} more characters)` : line;
}

/** The line a finished or cancelled run writes: its answer (cut), candidates, requests, time. */
export function runFinishedLine(runId: number, result: SearchResult): string {
  const answer = capLine(result.answer ?? "no answer", MAX_LOGGED_ANSWER);
  const requests = result.cost.policy.requests + result.cost.verifier.requests;
  return (
    `Run ${runId} ${result.aborted ? "cancelled" : "finished"}: ${answer} ` +
    `(${result.candidates.length} candidates, ${requests} requests, ${Math.round(result.cost.wallMs)} ms)`
  );
}
