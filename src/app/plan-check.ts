// Refuses a plan (strategies × budgets × verifier) that cannot run, before any request is made,
// naming the cell and why; the codes are core/errors.ts's.
import { findStrategy, resolveSearchConfig, SearchError, type SearchConfig } from "../core/index.js";

export interface PlanGrid {
  strategies: readonly string[];
  budgets: readonly number[];
  /** The search knobs besides strategy and n. */
  search: Partial<SearchConfig>;
  hasVerifier: boolean;
}

/** `howToSetVerifier`: the front end's words for configuring one (flags, or a setting). */
export function checkPlan(grid: PlanGrid, howToSetVerifier: string): void {
  if (!grid.strategies.length)
    throw new SearchError("invalid-config", "No strategies to run: pass --strategies, e.g. majority,beam.");
  if (!grid.budgets.length)
    throw new SearchError("invalid-config", "No budgets to run: pass --n, e.g. 4,16,64.");
  for (const strategy of grid.strategies) {
    if (findStrategy(strategy)?.needsVerifier && !grid.hasVerifier)
      throw new SearchError(
        "needs-verifier",
        `Strategy ${strategy} needs a verifier (PRM), and none is configured: ${howToSetVerifier}, or use majority.`,
        "verifier",
      );
    for (const n of grid.budgets) resolveSearchConfig({ ...grid.search, strategy, n });
  }
}
