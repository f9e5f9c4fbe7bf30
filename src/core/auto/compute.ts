import type { DifficultyBucket } from "./difficulty.js";
import type { CalibratedTable, MeasuredOption } from "./plan.js";

/**
 * Accuracies closer than this count as equal, so the cheaper option wins. Zero: only exact ties
 * (a development set's figures are noisy either way, and a looser tie trades accuracy for FLOPs
 * where the larger budget was measured as better).
 */
export const ACCURACY_TIE = 0;

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
 * The options of all buckets at this budget pooled, each bucket weighted by its runs: what a
 * choice without a probe can expect. Only options measured in every bucket count.
 */
export function pooledOptions(table: CalibratedTable | null, budget: number): MeasuredOption[] | null {
  // One calibrated budget's buckets: a bucket missing there is not filled from a smaller budget,
  // whose options stop at that budget.
  const key = calibratedBudget(table, budget);
  const buckets = key === null ? null : table?.byBudget?.[String(key)];
  const perBucket = Object.values(buckets ?? {}).filter((o): o is MeasuredOption[] => !!o?.length);
  if (!perBucket.length) return null;
  const byKey = new Map<string, MeasuredOption>();
  const seen = new Map<string, number>();
  for (const o of perBucket.flat()) {
    const key = `${o.method}@${o.n}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const p = byKey.get(key);
    if (!p) {
      byKey.set(key, { ...o });
      continue;
    }
    const runs = p.runs + o.runs;
    byKey.set(key, {
      ...p,
      accuracy: (p.accuracy * p.runs + o.accuracy * o.runs) / runs,
      flops: (p.flops * p.runs + o.flops * o.runs) / runs,
      runs,
    });
  }
  // An option measured in some buckets only has no pooled accuracy to compare.
  return [...byKey.entries()].filter(([key]) => seen.get(key) === perBucket.length).map(([, o]) => o);
}

/**
 * Whether knowing the bucket is worth a probe: not when the probe would take more than an
 * eighth of the budget (at n = 4 it is half, and the method left with 2 samples loses more than
 * the bucket gains), nor when every bucket picks the same option anyway.
 */
export function probeWorthIt(table: CalibratedTable | null, budget: number, probe: number): boolean {
  if (probe * 8 > budget) return false;
  const key = calibratedBudget(table, budget);
  const buckets = key === null ? {} : (table?.byBudget?.[String(key)] ?? {});
  const picks = Object.values(buckets).map((o) => {
    const c = o && chooseByCompute(o, budget);
    return c ? `${c.method}@${c.n}` : null;
  });
  return new Set(picks.filter((p) => p !== null)).size > 1;
}

/** The largest budget the table was calibrated at that is not above this one, or null. */
export function calibratedBudget(table: CalibratedTable | null, budget: number): number | null {
  const fits = Object.keys(table?.byBudget ?? {})
    .map(Number)
    .filter((b) => b <= budget);
  return fits.length ? Math.max(...fits) : null;
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
