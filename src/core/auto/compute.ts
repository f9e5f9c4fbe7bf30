import type { DifficultyBucket } from "./difficulty.js";
import type { CalibratedTable, FixedStrategyId } from "./table.js";

/** What `calibrate` measured for one method at one budget on the problems of one bucket. */
export interface MeasuredOption {
  method: FixedStrategyId;
  /** The budget (samples) the method ran with. */
  n: number;
  accuracy: number;
  /** Mean FLOPs per problem (policy + verifier); tokens × 2 where parameter counts are unknown. */
  flops: number;
  runs: number;
}

/**
 * Accuracies closer than this count as equal, so the cheaper option wins: half a point, below
 * what any development set can resolve.
 */
export const ACCURACY_TIE = 0.005;

/**
 * The compute-optimal choice (Snell et al. 2024 §3; Liu et al. 2025 §3): of the options that fit
 * the budget, the one expected to be most accurate; among those as accurate, the cheapest.
 * Null when nothing measured fits.
 */
export function chooseByCompute(
  options: readonly MeasuredOption[],
  budget: number,
  tie = ACCURACY_TIE,
): MeasuredOption | null {
  const fit = options.filter((o) => o.n <= budget && o.runs > 0);
  if (!fit.length) return null;
  const best = Math.max(...fit.map((o) => o.accuracy));
  return [...fit].filter((o) => o.accuracy >= best - tie).sort((a, b) => a.flops - b.flops || a.n - b.n)[0]!;
}

/**
 * The options a table measured for a bucket, as Auto's probe sees it at this budget: those of the
 * largest calibrated budget not above it (the probe, and so the buckets, depend on the budget).
 */
export function measuredOptions(
  table: CalibratedTable | null,
  bucket: DifficultyBucket,
  budget: number,
): MeasuredOption[] | null {
  const byBudget = table?.byBudget;
  if (!byBudget) return null;
  const fits = Object.keys(byBudget)
    .map(Number)
    .filter((b) => b <= budget)
    .sort((a, b) => b - a);
  for (const b of fits) {
    const options = byBudget[String(b)]?.[bucket];
    if (options?.length) return options;
  }
  return null;
}
