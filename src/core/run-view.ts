import type { SearchConfig } from "./config.js";
import { emptyCost } from "./cost.js";
import type { SearchEvent } from "./events.js";
import type { AutoDecision, Cost, PathNode, Problem, SearchResult, TallyEntry } from "./types.js";

/**
 * The state of a run as its events tell it. The panel, the CLI's live view and trace replay all
 * fold the same events through `applyEvent`, so a saved trace shows exactly what was lived.
 */
export interface RunView {
  problem: Problem | null;
  config: SearchConfig | null;
  policy: string | null;
  verifier: string | null;
  nodes: Record<string, PathNode>;
  /** Node ids in the order they were added. */
  order: string[];
  answers: Record<string, string | null>;
  tally: TallyEntry[];
  cost: Cost;
  warnings: string[];
  /** Auto's choice, once made. */
  decision: AutoDecision | null;
  /** Set when Auto stopped early on a settled vote. */
  earlyStop: { reason: string; budgetSaved: number } | null;
  result: SearchResult | null;
  /** Time of the last event, ms since start. */
  t: number;
}

export function emptyRunView(): RunView {
  return {
    problem: null,
    config: null,
    policy: null,
    verifier: null,
    nodes: {},
    order: [],
    answers: {},
    tally: [],
    cost: emptyCost(),
    warnings: [],
    decision: null,
    earlyStop: null,
    result: null,
    t: 0,
  };
}

/** Applies one event in place and returns the view. Unknown node ids are ignored. */
export function applyEvent(view: RunView, e: SearchEvent): RunView {
  view.t = e.t;
  switch (e.type) {
    case "run-started":
      Object.assign(view, emptyRunView(), {
        problem: e.problem,
        config: e.config,
        policy: e.policy,
        verifier: e.verifier,
      });
      break;
    case "node-added":
      view.nodes[e.node.id] = { ...e.node };
      view.order.push(e.node.id);
      break;
    case "node-scored": {
      const n = view.nodes[e.id];
      if (n) Object.assign(n, { stepScores: e.stepScores, score: e.score });
      break;
    }
    case "node-pruned":
      setStatus(view, e.id, "pruned");
      break;
    case "node-failed": {
      const n = setStatus(view, e.id, "failed");
      if (n) n.error = e.error;
      break;
    }
    case "path-finished":
      setStatus(view, e.id, "finished");
      view.answers[e.id] = e.answer;
      break;
    case "answer-tally":
      view.tally = e.tally;
      break;
    case "cost":
      view.cost = e.cost;
      break;
    case "warning":
      view.warnings.push(e.message);
      break;
    case "strategy-chosen":
      view.decision = e.decision;
      break;
    case "early-stopped":
      view.earlyStop = { reason: e.reason, budgetSaved: e.budgetSaved };
      break;
    case "run-finished":
      view.result = e.result;
      view.tally = e.result.tally;
      view.cost = e.result.cost;
      break;
  }
  return view;
}

function setStatus(view: RunView, id: string, status: PathNode["status"]): PathNode | undefined {
  const n = view.nodes[id];
  if (n) n.status = status;
  return n;
}

/** The paths whose scoring failed, by cause, in the order the causes came: what the user is told. */
export function failedPaths(view: RunView): { message: string; paths: number }[] {
  const byMessage = new Map<string, number>();
  for (const id of view.order) {
    const n = view.nodes[id];
    if (n?.status === "failed") byMessage.set(n.error ?? "", (byMessage.get(n.error ?? "") ?? 0) + 1);
  }
  return [...byMessage].map(([message, paths]) => ({ message: message || "no reason given", paths }));
}

export function replay(events: readonly SearchEvent[]): RunView {
  return events.reduce(applyEvent, emptyRunView());
}
