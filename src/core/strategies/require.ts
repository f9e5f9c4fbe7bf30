import type { SearchContext } from "../run.js";

export function requireVerifier(ctx: SearchContext, strategy: string): void {
  if (!ctx.hasVerifier)
    throw new Error(
      `The ${strategy} strategy needs a verifier (PRM) to score steps, and none is configured. ` +
        `Set a verifier, or use majority vote, which needs none.`,
    );
}
