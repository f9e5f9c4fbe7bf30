import type { SearchContext, StrategyDescriptor } from "./context.js";
import type { Candidate, PathNode } from "../types.js";

/**
 * Step-level beam search (Snell et al. 2024; search-and-learn `beam_search`).
 *
 * Round 0 samples n first steps. Each round keeps the top n/M live paths by aggregated PRM
 * score, prunes the rest, and samples n next steps spread over the kept paths (M each when
 * none are lost to dedupe). A path whose step ends the solution is finished. The round at
 * `maxSteps` generates to the end of the solution.
 *
 * Default (search-and-learn): finished paths do not take beam slots — the live set is refilled
 * to n every round and finished paths accumulate; the first n of them are the candidates.
 * `finishedBeamsShrink` (OpenR / compute-optimal-tts): see `shrinkingBeam`.
 */
export async function beam(
  ctx: SearchContext,
  /**
   * Auto: asked after each round with the candidates finished so far and the slots still open;
   * true ends the search there (the vote is settled; Auto records it).
   */
  settled?: (finished: readonly Candidate[], open: number) => boolean,
): Promise<void> {
  if (ctx.config.finishedBeamsShrink) return shrinkingBeam(ctx);
  const { n, beamWidth, maxSteps, dedupe } = ctx.config;
  const slots = n / beamWidth;
  let finished = 0;
  const candidates: Candidate[] = [];
  // Ended paths become candidates as they arrive: the first n of them, as search-and-learn keeps.
  const collect = (paths: PathNode[], all: boolean): PathNode[] =>
    paths.filter((p) => {
      if (p.status === "failed") return false;
      if (!(all || p.ended || !p.text)) return true;
      if (finished++ < n) candidates.push(ctx.finish(p));
      else ctx.prune(p);
      return false;
    });

  let live = await ctx.expand(ctx.root, n, firstMode(maxSteps));
  for (let round = 1; ; round++) {
    live = collect(live, round >= maxSteps);
    if (!live.length || finished >= n || round >= maxSteps) break;
    if (candidates.length && settled?.(candidates, n - finished)) break;

    const kept = rank(ctx, live, dedupe).slice(0, slots);
    for (const p of live) if (!kept.includes(p)) ctx.prune(p);

    const mode = round === maxSteps - 1 ? "solution" : "step";
    const perBeam = (i: number): number => Math.floor(n / kept.length) + (i < n % kept.length ? 1 : 0);
    const children = await Promise.all(kept.map((p, i) => ctx.expand(p, perBeam(i), mode)));
    live = children.flat();
  }
  for (const p of live) ctx.prune(p);
}

/**
 * OpenR's beam search (compute-optimal-tts `SearchTree.beam_search`): each round ranks all new
 * children, ended or not, and keeps the top k = n/M − (paths finished so far). Kept paths that
 * ended are finished and take their slot for good; the others sample M next steps each. Ended
 * paths outside the top k are pruned, so the run returns n/M candidates, not n.
 */
async function shrinkingBeam(ctx: SearchContext): Promise<void> {
  const { n, beamWidth, maxSteps, dedupe } = ctx.config;
  const slots = n / beamWidth;
  let finished = 0;
  let children = await ctx.expand(ctx.root, n, firstMode(maxSteps));
  for (let round = 1; ; round++) {
    const usable = children.filter((p) => p.status !== "failed");
    const top = rank(ctx, usable, dedupe).slice(0, slots - finished);
    for (const p of usable) if (!top.includes(p)) ctx.prune(p);
    const next: PathNode[] = [];
    for (const p of top) {
      if (round >= maxSteps || p.ended || !p.text) {
        ctx.finish(p);
        finished++;
      } else next.push(p);
    }
    if (!next.length || finished >= slots) {
      for (const p of next) ctx.prune(p);
      break;
    }
    const mode = round === maxSteps - 1 ? "solution" : "step";
    children = (await Promise.all(next.map((p) => ctx.expand(p, beamWidth, mode)))).flat();
  }
}

const firstMode = (maxSteps: number): "step" | "solution" => (maxSteps === 1 ? "solution" : "step");

/** Live paths best first; with dedupe, a path repeating an earlier path's full text is dropped. */
function rank(ctx: SearchContext, live: PathNode[], dedupe: boolean): PathNode[] {
  const sorted = [...live].sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  if (!dedupe) return sorted;
  const seen = new Set<string>();
  return sorted.filter((p) => {
    const key = ctx.stepsOf(p).join("\n");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const beamStrategy: StrategyDescriptor = {
  id: "beam",
  run: (ctx) => beam(ctx),
  label: "Beam search",
  description:
    "Step-level beam search: keep the best n/beamWidth paths each round, sample beamWidth next steps from each.",
  needsVerifier: true,
  needsContinuation: true,
  usesBeamWidth: true,
  usesBudget: true,
  layout: "tree",
};
