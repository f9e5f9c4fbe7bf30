import type { SearchContext, StrategyDescriptor } from "./context.js";

/**
 * Best-of-N: n independent solutions, each scored step by step as soon as it arrives; the
 * answer is picked by the configured selection (weighted vote by default).
 */
export async function bestOfN(ctx: SearchContext): Promise<void> {
  const solutions = await ctx.expand(ctx.root, ctx.config.n, "solution");
  for (const s of solutions) if (s.status !== "failed") ctx.finish(s);
}

export const bestOfNStrategy: StrategyDescriptor = {
  id: "best-of-n",
  run: bestOfN,
  label: "Best-of-N",
  description: "`n` solutions, each scored step by step; the answer by the answer-selection rule.",
  needsVerifier: true,
  needsContinuation: false,
  usesBeamWidth: false,
  usesBudget: true,
  layout: "list",
};
