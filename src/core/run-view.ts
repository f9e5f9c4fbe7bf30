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
  /**
   * Set when Auto stopped early on a settled vote: when it first did (`t`), the latest reason, and
   * the samples saved by all its stops together.
   */
  earlyStop: { reason: string; budgetSaved: number; t: number } | null;
  /** Tokens spent so far by each role over time, from the cost events (thinned: SPENDING_POINTS). */
  spending: SpendingPoint[];
  result: SearchResult | null;
  /** Time of the last event, ms since start. */
  t: number;
}

/** Tokens (prompt and completion) each role had spent by `t`, ms since the start. */
export interface SpendingPoint {
  t: number;
  policy: number;
  verifier: number;
}

/** Most points `spending` keeps: a long run halves its resolution rather than grow without end. */
export const SPENDING_POINTS = 512;

function addSpending(series: SpendingPoint[], t: number, cost: Cost): void {
  const point: SpendingPoint = {
    t,
    policy: cost.policy.promptTokens + cost.policy.completionTokens,
    verifier: cost.verifier.promptTokens + cost.verifier.completionTokens,
  };
  const last = series[series.length - 1];
  if (last && last.t === t) series[series.length - 1] = point;
  else series.push(point);
  if (series.length > SPENDING_POINTS) {
    // Keep every other point and the latest: the same events always leave the same points.
    let kept = 0;
    for (let i = 0; i < series.length; i++)
      if (i % 2 === 0 || i === series.length - 1) series[kept++] = series[i]!;
    series.length = kept;
  }
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
    spending: [],
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
      addSpending(view.spending, e.t, e.cost);
      break;
    case "warning":
      view.warnings.push(e.message);
      break;
    case "strategy-chosen":
      view.decision = e.decision;
      break;
    case "early-stopped":
      view.earlyStop = {
        reason: e.reason,
        budgetSaved: (view.earlyStop?.budgetSaved ?? 0) + e.budgetSaved,
        t: view.earlyStop?.t ?? e.t,
      };
      break;
    case "run-finished":
      view.result = e.result;
      view.tally = e.result.tally;
      view.cost = e.result.cost;
      addSpending(view.spending, e.t, e.result.cost);
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
