import type { SearchContext } from "../run.js";

/** Step-level search continues partial solutions; a whole-solution endpoint cannot. */
export function requireContinuation(ctx: SearchContext, strategy: string): void {
  if (!ctx.policyCanContinue)
    throw new Error(
      `The ${strategy} strategy writes solutions step by step and needs a policy server that can continue ` +
        `a partial solution (vLLM, SGLang, llama.cpp, Ollama, or a completions endpoint with a chat template); ` +
        `this policy only writes whole solutions. Use best-of-n or majority vote, or change the policy's API style.`,
    );
}

export function requireVerifier(ctx: SearchContext, strategy: string): void {
  if (!ctx.hasVerifier)
    throw new Error(
      `The ${strategy} strategy needs a verifier (PRM) to score steps, and none is configured. ` +
        `Set a verifier, or use majority vote, which needs none.`,
    );
}
