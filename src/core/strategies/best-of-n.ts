import type { SearchContext } from "../run.js";
import { requireVerifier } from "./require.js";

/**
 * Best-of-N: n independent solutions, each scored step by step as soon as it arrives; the
 * answer is picked by the configured selection (weighted vote by default).
 */
export async function bestOfN(ctx: SearchContext): Promise<void> {
  requireVerifier(ctx, "best-of-n");
  const solutions = await ctx.expand(ctx.root, ctx.config.n, "solution");
  for (const s of solutions) if (s.status !== "failed") ctx.finish(s);
}
