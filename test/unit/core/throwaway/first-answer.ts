// A throwaway strategy, written as docs/ARCHITECTURE.md "Adding things" says: one file, and one
// line in the registry (here the test's `METHODS.push`, in add-strategy.test.ts).
import type { SearchContext, StrategyDescriptor } from "../../../../src/core/index.js";

/** Two whole solutions, scored; both are candidates. */
async function firstAnswer(ctx: SearchContext): Promise<void> {
  const paths = await ctx.expand(ctx.root, 2, "solution");
  for (const p of paths) if (p.status !== "failed") ctx.finish(p);
}

export const firstAnswerStrategy: StrategyDescriptor = {
  id: "first-answer",
  run: firstAnswer,
  label: "First answer",
  description: "Two scored solutions (a test's throwaway strategy).",
  needsVerifier: true,
  needsContinuation: false,
  usesBeamWidth: false,
  usesBudget: true,
  layout: "list",
};
