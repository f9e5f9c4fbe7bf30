import { SearchError } from "../errors.js";
import type { SearchContext, StrategyDescriptor } from "./context.js";

/** Refuses a strategy the endpoints cannot serve, before any call: what it needs and what to do. */
export function requireCapabilities(ctx: SearchContext, strategy: StrategyDescriptor): void {
  if (strategy.needsVerifier && !ctx.hasVerifier)
    throw new SearchError(
      "needs-verifier",
      `The ${strategy.id} strategy needs a verifier (PRM) to score steps, and none is configured. ` +
        `Set a verifier, or use majority vote, which needs none.`,
      "verifier",
    );
  if (strategy.needsContinuation && !ctx.policyCanContinue)
    throw new SearchError(
      "needs-continuation",
      `The ${strategy.id} strategy writes solutions step by step and needs a policy server that can continue ` +
        `a partial solution (vLLM, SGLang, llama.cpp, Ollama, or a completions endpoint with a chat template); ` +
        `this policy only writes whole solutions. Use best-of-n or majority vote, or change the policy's API style.`,
      "policy",
    );
}
