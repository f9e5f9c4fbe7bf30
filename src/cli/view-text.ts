// Plain-text pictures of a RunView, shared by the live view and `trace`.
import type { Cost, PathNode, RunView, TallyEntry } from "../core/index.js";

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Model output is untrusted: terminal control sequences in it could rewrite the screen or the
 * title, so every C0/C1 control except newline and tab is shown as a visible escape.
 */
export function safeText(s: string): string {
  return s.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** JSON for a terminal: JSON.stringify escapes C0 controls; this escapes DEL and C1 as well. */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
  );
}

/** One line, at most `width` characters, newlines shown as ⏎. */
export function oneLine(s: string, width: number): string {
  const flat = safeText(s)
    .replace(/\s*\n\s*/g, " ⏎ ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length <= width ? flat : flat.slice(0, Math.max(0, width - 1)) + "…";
}

export function formatCount(x: number): string {
  if (x >= 1e15) return `${(x / 1e15).toFixed(2)}P`;
  if (x >= 1e12) return `${(x / 1e12).toFixed(2)}T`;
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  return String(Math.round(x));
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function costLine(cost: Cost): string {
  const p = cost.policy;
  const v = cost.verifier;
  const parts = [
    formatMs(cost.wallMs),
    `policy ${p.requests} req, ${formatCount(p.promptTokens)}+${formatCount(p.completionTokens)} tok`,
  ];
  if (v.requests) parts.push(`verifier ${v.requests} req, ${formatCount(v.promptTokens)} tok`);
  if (p.failures + v.failures) parts.push(`${p.failures + v.failures} failed`);
  if (p.retries + v.retries) parts.push(`${p.retries + v.retries} retries`);
  parts.push(cost.flops ? `${cost.flops.toExponential(2).replace("e+", "e")} FLOPs` : "FLOPs unknown");
  return parts.join(" · ");
}

export interface TreeCounts {
  nodes: number;
  /** Live leaves: the frontier the search stands on (kept inner nodes are not counted). */
  active: number;
  pruned: number;
  finished: number;
  failed: number;
  /** Deepest step reached: the number of rounds of a step-level search. */
  depth: number;
}

/** Counts the nodes of the tree by status, the root left out. */
export function treeCounts(view: RunView): TreeCounts {
  const c: TreeCounts = { nodes: 0, active: 0, pruned: 0, finished: 0, failed: 0, depth: 0 };
  const parents = new Set(view.order.map((id) => view.nodes[id]?.parentId));
  for (const id of view.order) {
    const n = view.nodes[id];
    if (!n || n.parentId === null) continue;
    c.nodes++;
    if (n.status !== "active") c[n.status]++;
    else if (!parents.has(n.id)) c.active++;
    c.depth = Math.max(c.depth, n.depth);
  }
  return c;
}

/** The path from the root to a node, root excluded. */
export function pathTo(view: RunView, node: PathNode): PathNode[] {
  const chain: PathNode[] = [];
  for (let n: PathNode | undefined = node; n && n.parentId !== null; n = view.nodes[n.parentId])
    chain.push(n);
  return chain.reverse();
}

/** The best-scored live or finished paths (the leaves the search stands on), best first. */
export function bestPaths(view: RunView, k: number): PathNode[] {
  const hasChild = new Set<string>();
  for (const id of view.order) {
    const parent = view.nodes[id]?.parentId;
    if (parent) hasChild.add(parent);
  }
  return view.order
    .map((id) => view.nodes[id]!)
    .filter(
      (n) =>
        n.parentId !== null && (n.status === "finished" || (n.status === "active" && !hasChild.has(n.id))),
    )
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1))
    .slice(0, k);
}

export function scoreText(score: number | undefined): string {
  return score === undefined ? "  -  " : score.toFixed(3);
}

export function tallyLines(tally: readonly TallyEntry[], k: number, width: number): string[] {
  const total = tally.reduce((a, e) => a + e.votes, 0);
  return tally.slice(0, k).map((e, i) => {
    const bar = "█".repeat(Math.max(1, Math.round((10 * e.votes) / Math.max(1, total))));
    const head = `${i === 0 ? "▶" : " "} ${String(e.votes).padStart(3)} votes  Σscore ${e.scoreSum.toFixed(2).padStart(6)}  `;
    return head + `${bar.padEnd(10)} ` + oneLine(e.answer, Math.max(10, width - head.length - 12));
  });
}
