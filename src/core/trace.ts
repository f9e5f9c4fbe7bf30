import { isSearchEvent, type SearchEvent } from "./events.js";

/** A trace is the run's events, one JSON object per line. */
export function serializeEvent(event: SearchEvent): string {
  return JSON.stringify(event) + "\n";
}

export function serializeTrace(events: readonly SearchEvent[]): string {
  return events.map(serializeEvent).join("");
}

/** Parses a trace, naming the first bad line; blank lines are skipped. */
export function parseTrace(text: string): SearchEvent[] {
  const events: SearchEvent[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`Trace line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    if (!isSearchEvent(value)) throw new Error(`Trace line ${i + 1} is not a search event.`);
    events.push(value);
  });
  if (events[0]?.type !== "run-started") throw new Error("A trace must begin with a run-started event.");
  return events;
}
