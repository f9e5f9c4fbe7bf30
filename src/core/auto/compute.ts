import type { DifficultyBucket } from "./difficulty.js";
import type { CalibratedTable, MeasuredOption } from "./plan.js";

/**
 * Without paired figures (a table from an older `calibrate`), accuracies closer than this count
 * as equal, so the cheaper option wins. Zero: only exact ties.
 */
export const ACCURACY_TIE = 0;

/**
 * A cheaper option counts as accurate as the reference when, on the development items both ran,
 * it is at most this much worse at a one-sided 95% bound (a paired non-inferiority test): a
 * development set of a few hundred items moves a bucket's accuracy by points, and an exact tie
 * there says nothing about which is better on new problems.
 */
export const NON_INFERIORITY_MARGIN = 0.01;
const Z_ONE_SIDED_95 = 1.645;

export const optionKey = (o: Pick<MeasuredOption, "method" | "n">): string => `${o.method}@${o.n}`;

/**
 * The option a cheaper one must match: the most accurate; of equals, the one that spends the most
 * (a cheaper option has to prove itself; an exact tie does not).
 */
export function referenceOption(options: readonly MeasuredOption[]): MeasuredOption | null {
  return [...options].sort((a, b) => b.accuracy - a.accuracy || b.flops - a.flops || b.n - a.n)[0] ?? null;
}

/** Whether `o` is as accurate as the reference: paired non-inferiority where measured. */
export function asAccurate(o: MeasuredOption, reference: MeasuredOption, tie = ACCURACY_TIE): boolean {
  if (optionKey(o) === optionKey(reference)) return true;
  if (o.paired?.against === optionKey(reference)) {
    const { better, worse } = o.paired;
    return worse - better + Z_ONE_SIDED_95 * Math.sqrt(better + worse) <= NON_INFERIORITY_MARGIN * o.runs;
  }
  return o.accuracy >= reference.accuracy - tie;
}

/**
 * The compute-optimal choice (Snell et al. 2024 §3; Liu et al. 2025 §3): of the options that fit
 * the budget, the one expected to be most accurate; among those as accurate (`asAccurate`), the
 * cheapest. Null when nothing measured fits.
 */
export function chooseByCompute(
  options: readonly MeasuredOption[],
  budget: number,
  tie = ACCURACY_TIE,
): MeasuredOption | null {
  const fit = options.filter((o) => o.n <= budget && o.runs > 0);
  const reference = referenceOption(fit);
  if (!reference) return null;
  return fit.filter((o) => asAccurate(o, reference, tie)).sort((a, b) => a.flops - b.flops || a.n - b.n)[0]!;
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
    // Paired counts add up only where every bucket compared with the same reference.
    const paired =
      p.paired && o.paired && p.paired.against === o.paired.against
        ? {
            against: p.paired.against,
            better: p.paired.better + o.paired.better,
            worse: p.paired.worse + o.paired.worse,
          }
        : undefined;
    byKey.set(key, {
      method: p.method,
      n: p.n,
      accuracy: (p.accuracy * p.runs + o.accuracy * o.runs) / runs,
      flops: (p.flops * p.runs + o.flops * o.runs) / runs,
      runs,
      ...(paired ? { paired } : {}),
    });
  }
  // An option measured in some buckets only has no pooled accuracy to compare.
  return [...byKey.entries()].filter(([key]) => seen.get(key) === perBucket.length).map(([, o]) => o);
}

/**
 * Whether knowing the bucket is worth a probe: not when the probe would take more than an
 * eighth of the budget (at n = 4 it is half, and the method left with 2 samples loses more than
 * the bucket gains), nor when the choice without it (the pooled options' pick) is, in every
 * bucket, as accurate as that bucket's own pick (`asAccurate` against the bucket's reference)
 * and costs no more than that pick plus what the probe would cost. Buckets whose picks differ
 * only between options the development set cannot tell apart buy nothing for the samples.
 */
export function probeWorthIt(table: CalibratedTable | null, budget: number, probe: number): boolean {
  if (probe * 8 > budget) return false;
  const key = calibratedBudget(table, budget);
  const buckets = key === null ? {} : (table?.byBudget?.[String(key)] ?? {});
  const pooled = pooledOptions(table, budget);
  const blind = pooled ? chooseByCompute(pooled, budget) : null;
  if (!blind) return true;
  return Object.values(buckets).some((options) => {
    const fit = (options ?? []).filter((o) => o.n <= budget && o.runs > 0);
    const reference = referenceOption(fit);
    const pick = chooseByCompute(fit, budget);
    if (!reference || !pick) return false;
    const same = fit.find((o) => optionKey(o) === optionKey(blind));
    if (!same || !asAccurate(same, reference)) return true;
    // A probe sample costs about a budget's share of the blind option's FLOPs.
    return same.flops - pick.flops > (probe / budget) * same.flops;
  });
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
 * Null when that budget did not see the bucket: a smaller budget's options stop at that budget
 * (a hard problem at n = 256 would get a method at n = 4), so the plan falls back to the table's
 * plan for the bucket or the built-in one.
 */
export function measuredOptions(
  table: CalibratedTable | null,
  bucket: DifficultyBucket,
  budget: number,
): MeasuredOption[] | null {
  const key = calibratedBudget(table, budget);
  const options = key === null ? null : table?.byBudget?.[String(key)]?.[bucket];
  return options?.length ? options : null;
}
