import type { SearchContext } from "../run.js";

/** Self-consistency: n independent solutions, the most frequent answer wins. Needs no verifier. */
export async function majority(ctx: SearchContext): Promise<void> {
  const solutions = await ctx.expand(ctx.root, ctx.config.n, "solution", { score: false });
  for (const s of solutions) ctx.finish(s);
}
