import type { SearchContext, StrategyDescriptor } from "./context.js";

/** Greedy chain of thought: one solution at temperature 0, scored when a verifier is set. */
export async function greedy(ctx: SearchContext): Promise<void> {
  const [solution] = await ctx.expand(ctx.root, 1, "solution", { temperature: 0 });
  if (solution && solution.status !== "failed") ctx.finish(solution);
}

export const greedyStrategy: StrategyDescriptor = {
  id: "greedy",
  run: greedy,
  label: "Greedy",
  description: "One solution at temperature 0.",
  needsVerifier: false,
  needsContinuation: false,
  usesBeamWidth: false,
  usesBudget: false,
  layout: "list",
};
