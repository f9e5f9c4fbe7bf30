// Numbers as the panel shows them: cost line, elapsed time, FLOPs. Pure, for tests.
import type { Cost } from "../src/core/types.js";

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

const FLOP_UNITS: [number, string][] = [
  [1e18, "EFLOP"],
  [1e15, "PFLOP"],
  [1e12, "TFLOP"],
  [1e9, "GFLOP"],
];

export function formatFlops(flops: number): string {
  if (!flops) return "FLOPs unknown";
  for (const [scale, unit] of FLOP_UNITS)
    if (flops >= scale) return `≈ ${(flops / scale).toFixed(1)} ${unit}`;
  return `≈ ${flops.toExponential(1)} FLOP`;
}

/** "12.3 s · 45 requests (policy 37, verifier 8) · 12.3k tokens · ≈ 3.2 PFLOP" */
export function costLine(cost: Cost, elapsedMs: number): string {
  const requests = cost.policy.requests + cost.verifier.requests;
  const tokens =
    cost.policy.promptTokens +
    cost.policy.completionTokens +
    cost.verifier.promptTokens +
    cost.verifier.completionTokens;
  const failures = cost.policy.failures + cost.verifier.failures;
  const retries = cost.policy.retries + cost.verifier.retries;
  const parts = [
    formatSeconds(elapsedMs),
    `${requests} requests (policy ${cost.policy.requests}, verifier ${cost.verifier.requests})`,
    `${formatCount(tokens)} tokens`,
    formatFlops(cost.flops || cost.policy.flops + cost.verifier.flops),
  ];
  if (failures) parts.push(`${failures} failed`);
  if (retries) parts.push(`${retries} retried`);
  return parts.join(" · ");
}
