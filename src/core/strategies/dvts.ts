import type { SearchContext, StrategyDescriptor } from "./context.js";
import type { Candidate, PathNode } from "../types.js";

/**
 * Diverse verifier tree search (search-and-learn `_dvts`): n/M independent subtrees. Each round,
 * every live subtree samples M next steps and keeps only its best by aggregated score. A subtree
 * ends when its chosen step ends the solution, when fewer than M children came back, or at
 * `maxSteps` (whose round generates to the end). Its candidates are its last M siblings, so the
 * run returns n candidates grouped by subtree.
 */
export async function dvts(
  ctx: SearchContext,
  /** Auto: sees each candidate as it finishes, to stop between waves of subtrees. */
  onFinish?: (c: Candidate) => void,
  /** Auto's later waves number their subtrees after the earlier ones'. */
  firstSubtree = 0,
): Promise<void> {
  const { n, beamWidth: m, maxSteps } = ctx.config;
  const finish = (p: PathNode): void => {
    const c = ctx.finish(p);
    onFinish?.(c);
  };
  const subtrees = Array.from({ length: n / m }, (_, i) => grow(ctx, firstSubtree + i, m, maxSteps, finish));
  await Promise.all(subtrees);
}

async function grow(
  ctx: SearchContext,
  subtree: number,
  m: number,
  maxSteps: number,
  finish: (p: PathNode) => void,
): Promise<void> {
  let head: PathNode = ctx.root;
  for (let round = 0; round < maxSteps; round++) {
    const last = round === maxSteps - 1;
    const children = (await ctx.expand(head, m, last ? "solution" : "step", { subtree })).filter(
      (c) => c.status !== "failed",
    );
    if (!children.length) {
      ctx.warn(`DVTS subtree ${subtree + 1} ended early: no step came back.`);
      return;
    }
    const best = children.reduce((a, b) => ((b.score ?? 0) > (a.score ?? 0) ? b : a));
    if (last || best.ended || !best.text || children.length < m) {
      for (const c of children) finish(c);
      return;
    }
    for (const c of children) if (c !== best) ctx.prune(c);
    head = best;
  }
}

export const dvtsStrategy: StrategyDescriptor = {
  id: "dvts",
  run: (ctx) => dvts(ctx),
  label: "DVTS",
  description:
    "Diverse verifier tree search: n/beamWidth independent subtrees, each keeping its best child per step.",
  needsVerifier: true,
  needsContinuation: true,
  usesBeamWidth: true,
  usesBudget: true,
  layout: "tree",
};
