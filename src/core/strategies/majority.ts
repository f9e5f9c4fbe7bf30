import type { SearchContext, StrategyDescriptor } from "./context.js";

/** Self-consistency: n independent solutions, the most frequent answer wins. Needs no verifier. */
export async function majority(ctx: SearchContext): Promise<void> {
  const solutions = await ctx.expand(ctx.root, ctx.config.n, "solution", { score: false });
  for (const s of solutions) ctx.finish(s);
}

export const majorityStrategy: StrategyDescriptor = {
  id: "majority",
  run: majority,
  label: "Majority vote",
  description: "`n` solutions; the most frequent answer wins (self-consistency). Needs no verifier.",
  needsVerifier: false,
  needsContinuation: false,
  usesBeamWidth: false,
  usesBudget: true,
  layout: "list",
};
