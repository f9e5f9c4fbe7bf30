import type { SearchConfig } from "./config.js";
import type { ErrorCode, ErrorRole } from "./errors.js";
import type { AutoDecision, Cost, PathNode, Problem, SearchResult, TallyEntry } from "./types.js";

/**
 * The one event stream of a run. The panel, the CLI, the trace file and the tests all consume
 * it; `t` is milliseconds since the run started, so a trace replays at the pace it was lived.
 */
export type SearchEvent =
  | {
      type: "run-started";
      t: number;
      problem: Problem;
      config: SearchConfig;
      policy: string;
      verifier: string | null;
    }
  | { type: "node-added"; t: number; node: PathNode }
  | { type: "node-scored"; t: number; id: string; stepScores: number[]; score: number }
  | { type: "node-pruned"; t: number; id: string }
  | { type: "node-failed"; t: number; id: string; error: string }
  | { type: "path-finished"; t: number; id: string; answer: string | null }
  | { type: "answer-tally"; t: number; tally: TallyEntry[] }
  | { type: "cost"; t: number; cost: Cost }
  | { type: "warning"; t: number; message: string; code?: ErrorCode; role?: ErrorRole }
  | { type: "strategy-chosen"; t: number; decision: AutoDecision }
  | { type: "early-stopped"; t: number; reason: string; budgetSaved: number }
  | { type: "run-finished"; t: number; result: SearchResult };

export type SearchEventType = SearchEvent["type"];

export const SEARCH_EVENT_TYPES: readonly SearchEventType[] = [
  "run-started",
  "node-added",
  "node-scored",
  "node-pruned",
  "node-failed",
  "path-finished",
  "answer-tally",
  "cost",
  "warning",
  "strategy-chosen",
  "early-stopped",
  "run-finished",
];

export function isSearchEvent(value: unknown): value is SearchEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { type?: unknown; t?: unknown };
  return (
    typeof v.type === "string" &&
    (SEARCH_EVENT_TYPES as readonly string[]).includes(v.type) &&
    typeof v.t === "number"
  );
}
