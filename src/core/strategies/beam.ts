import type { SearchContext } from "../run.js";
import type { PathNode } from "../types.js";
import { requireContinuation, requireVerifier } from "./require.js";

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
 * `finishedBeamsShrink` (OpenR / compute-optimal-tts): each finished path takes one of the n/M
 * slots, and the search stops when all n/M have finished.
 */
export async function beam(ctx: SearchContext): Promise<void> {
  requireVerifier(ctx, "beam");
  requireContinuation(ctx, "beam");
  const { n, beamWidth, maxSteps, finishedBeamsShrink, dedupe } = ctx.config;
  const slots = n / beamWidth;
  let finished = 0;
  // Ended paths become candidates as they arrive: the first n of them, as search-and-learn keeps.
  const collect = (paths: PathNode[], all: boolean): PathNode[] =>
    paths.filter((p) => {
      if (p.status === "failed") return false;
      if (!(all || p.ended || !p.text)) return true;
      if (finished++ < n) ctx.finish(p);
      else ctx.prune(p);
      return false;
    });

  let live = await ctx.expand(ctx.root, n, maxSteps === 1 ? "solution" : "step");
  for (let round = 1; ; round++) {
    live = collect(live, round >= maxSteps);
    const keep = finishedBeamsShrink ? slots - finished : slots;
    if (!live.length || keep <= 0 || finished >= n || round >= maxSteps) break;

    const ranked = rank(ctx, live, dedupe);
    const kept = ranked.slice(0, keep);
    for (const p of live) if (!kept.includes(p)) ctx.prune(p);

    const last = round === maxSteps - 1;
    const perBeam = (i: number): number =>
      finishedBeamsShrink ? beamWidth : Math.floor(n / kept.length) + (i < n % kept.length ? 1 : 0);
    const children = await Promise.all(
      kept.map((p, i) => ctx.expand(p, perBeam(i), last ? "solution" : "step")),
    );
    live = children.flat();
  }
  for (const p of live) ctx.prune(p);
}

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
