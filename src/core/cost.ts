import type { CallReport } from "./policy.js";
import type { Cost, RoleCost, Usage } from "./types.js";

export function emptyRoleCost(): RoleCost {
  return { requests: 0, failures: 0, retries: 0, promptTokens: 0, completionTokens: 0, flops: 0 };
}

export function emptyCost(): Cost {
  return { policy: emptyRoleCost(), verifier: emptyRoleCost(), wallMs: 0, flops: 0 };
}

/**
 * Reads a parameter count from a model name such as `Qwen2.5-Math-7B-Instruct`,
 * `llama3.2:1b` or `sim-policy-0.5b`; also `8x7B` mixtures (total parameters). Null if none.
 */
export function paramsFromModelName(model: string): number | null {
  const m = /(?:^|[^a-z0-9.])(?:(\d+)x)?(\d+(?:\.\d+)?)\s*([bm])(?![a-z])/i.exec(model);
  if (!m) return null;
  const experts = m[1] ? Number(m[1]) : 1;
  const scale = m[3]!.toLowerCase() === "b" ? 1e9 : 1e6;
  return experts * Number(m[2]) * scale;
}

/**
 * Adds one call to a role's cost. FLOPs are 2 × parameters × tokens (Snell et al. §7). A failed
 * call passes its error: endpoints set a numeric `retries` (and `requests`, and the `usage`
 * of its requests: what the server reported, and what cut-off streams delivered) on errors.
 */
export function addCall(
  cost: RoleCost,
  report: CallReport | null,
  params: number | null,
  error?: unknown,
  /** The call was cut off by the run's abort: its requests were made, but nothing failed. */
  aborted = false,
): void {
  if (!report) {
    if (!aborted) cost.failures++;
    const { retries, requests, usage } = (error ?? {}) as {
      retries?: unknown;
      requests?: unknown;
      usage?: Partial<Usage>;
    };
    cost.requests += typeof requests === "number" ? requests : 1;
    if (typeof retries === "number") cost.retries += retries;
    // Tokens the server reported for the requests of a call that then failed were spent all the same.
    const prompt = typeof usage?.promptTokens === "number" ? usage.promptTokens : 0;
    const completion = typeof usage?.completionTokens === "number" ? usage.completionTokens : 0;
    cost.promptTokens += prompt;
    cost.completionTokens += completion;
    if (params) cost.flops += 2 * params * (prompt + completion);
    return;
  }
  cost.requests += report.requests ?? 1;
  cost.retries += report.retries ?? 0;
  cost.promptTokens += report.usage.promptTokens;
  cost.completionTokens += report.usage.completionTokens;
  if (params) cost.flops += 2 * params * (report.usage.promptTokens + report.usage.completionTokens);
}

export function totalFlops(cost: Cost): number {
  return cost.policy.flops + cost.verifier.flops;
}

/** Adds a second run's cost to a first (a code run's test samples to its solutions). */
export function addCost(into: Cost, more: Cost): void {
  for (const role of ["policy", "verifier"] as const) {
    const a = into[role];
    const b = more[role];
    a.requests += b.requests;
    a.failures += b.failures;
    a.retries += b.retries;
    a.promptTokens += b.promptTokens;
    a.completionTokens += b.completionTokens;
    a.flops += b.flops;
  }
  into.flops += more.flops;
}
