// What the Auto strategy's runs say about strategy choice: per difficulty bucket (as Auto's own
// probe estimated it), which fixed method was most accurate. `calibrate` turns that into a
// strategy table; `bench:auto` compares Auto with the best fixed method and the per-bucket oracle.
import {
  chooseByCompute,
  DIFFICULTY_BUCKETS,
  optionKey,
  referenceOption,
  type CalibratedTable,
  type DifficultyBucket,
  type MeasuredOption,
  type SearchConfig,
  type StrategyId,
} from "../core/index.js";
import type { RunRecord } from "./bench/store.js";

type FixedMethod = Exclude<StrategyId, "auto">;

const item = (r: RunRecord): string => `${r.problemId}|n=${r.n}|seed=${r.seed}`;

/** The bucket Auto's probe gave each (problem, budget, seed). */
export function probeBuckets(records: readonly RunRecord[]): Map<string, DifficultyBucket> {
  const buckets = new Map<string, DifficultyBucket>();
  for (const r of records) if (r.strategy === "auto" && r.auto?.bucket) buckets.set(item(r), r.auto.bucket);
  return buckets;
}

export interface MethodScore {
  method: StrategyId;
  runs: number;
  correct: number;
  accuracy: number;
  meanTokens: number;
  meanFlops: number;
}

const tokens = (r: RunRecord): number =>
  r.cost.policy.promptTokens +
  r.cost.policy.completionTokens +
  r.cost.verifier.promptTokens +
  r.cost.verifier.completionTokens;

function score(method: StrategyId, runs: readonly RunRecord[]): MethodScore {
  const correct = runs.filter((r) => r.correct).length;
  const mean = (f: (r: RunRecord) => number): number =>
    runs.length ? runs.reduce((a, r) => a + f(r), 0) / runs.length : 0;
  return {
    method,
    runs: runs.length,
    correct,
    accuracy: runs.length ? correct / runs.length : 0,
    meanTokens: mean(tokens),
    meanFlops: mean((r) => r.cost.flops),
  };
}

/** Most accurate first; equal accuracy goes to the cheaper method (fewer FLOPs, then tokens). */
function byMerit(a: MethodScore, b: MethodScore): number {
  return b.accuracy - a.accuracy || a.meanFlops - b.meanFlops || a.meanTokens - b.meanTokens;
}

/** Each fixed method's score on the runs whose item falls in each bucket. */
export function scoresByBucket(
  records: readonly RunRecord[],
  buckets: Map<string, DifficultyBucket>,
  methods: readonly FixedMethod[],
): Record<DifficultyBucket, MethodScore[]> {
  const out = { easy: [], medium: [], hard: [] } as Record<DifficultyBucket, MethodScore[]>;
  for (const bucket of DIFFICULTY_BUCKETS)
    for (const method of methods) {
      const runs = records.filter((r) => r.strategy === method && buckets.get(item(r)) === bucket);
      if (runs.length) out[bucket].push(score(method, runs));
    }
  for (const bucket of DIFFICULTY_BUCKETS) out[bucket].sort(byMerit);
  return out;
}

/**
 * Fewer (problem, budget, seed) items than this in a bucket decide nothing: one or two problems
 * are noise, so the bucket keeps the built-in plan.
 */
export const MIN_BUCKET_ITEMS = 3;

/** The calibrated table: per bucket with enough runs, the best method in hindsight. */
export function calibrationTable(
  records: readonly RunRecord[],
  methods: readonly FixedMethod[],
  search: Pick<SearchConfig, "beamWidth" | "aggregation" | "selection">,
  pair: { policy: string; verifier: string },
  now: Date,
): { table: CalibratedTable; scores: Record<DifficultyBucket, MethodScore[]> } {
  const scores = scoresByBucket(records, probeBuckets(records), methods);
  const budgets = [...new Set(records.map((r) => r.n))].sort((a, b) => a - b);
  const table: CalibratedTable = { version: 1, ...pair, createdAt: now.toISOString(), plans: {} };
  table.byBudget = measuredByBudget(records, methods);
  for (const bucket of DIFFICULTY_BUCKETS) {
    const best = scores[bucket][0];
    if (!best || best.runs < MIN_BUCKET_ITEMS) continue;
    table.plans[bucket] = {
      method: best.method as FixedMethod, // scoresByBucket scores fixed methods only
      beamWidth: search.beamWidth,
      aggregation: search.aggregation,
      selection: best.method === "majority" ? "majority" : search.selection,
      accuracy: best.accuracy,
      budgets,
    };
  }
  return { table, scores };
}

/**
 * Per Auto budget N and bucket (Auto's probe at N): every method at every budget n ≤ N, measured
 * on the same (problem, seed) items, with its accuracy and mean FLOPs (auto/compute.ts chooses
 * from them). Buckets with fewer than MIN_BUCKET_ITEMS items are left out.
 */
export function measuredByBudget(
  records: readonly RunRecord[],
  methods: readonly FixedMethod[],
): NonNullable<CalibratedTable["byBudget"]> {
  const buckets = probeBuckets(records);
  const budgets = [...new Set(records.map((r) => r.n))].sort((a, b) => a - b);
  const byItem = new Map<string, RunRecord>();
  for (const r of records) byItem.set(`${r.problemId}|${r.strategy}|n=${r.n}|seed=${r.seed}`, r);
  const out: NonNullable<CalibratedTable["byBudget"]> = {};
  for (const N of budgets) {
    for (const bucket of DIFFICULTY_BUCKETS) {
      const items = records.filter(
        (r) => r.strategy === "auto" && r.n === N && buckets.get(item(r)) === bucket,
      );
      if (items.length < MIN_BUCKET_ITEMS) continue;
      const options: MeasuredOption[] = [];
      const outcomes = new Map<string, Map<string, boolean>>();
      for (const method of methods)
        for (const n of budgets.filter((b) => b <= N)) {
          const runs = items
            .map((a) => byItem.get(`${a.problemId}|${method}|n=${n}|seed=${a.seed}`))
            .filter((r): r is RunRecord => r !== undefined);
          if (!runs.length) continue;
          const s = score(method, runs);
          const option: MeasuredOption = {
            method,
            n,
            accuracy: s.accuracy,
            flops: s.meanFlops || 2 * s.meanTokens,
            runs: s.runs,
          };
          options.push(option);
          outcomes.set(optionKey(option), new Map(runs.map((r) => [`${r.problemId}|${r.seed}`, r.correct])));
        }
      (out[String(N)] ??= {})[bucket] = withPairing(options, outcomes);
    }
  }
  return out;
}

/**
 * Each option's paired outcomes against the reference (the most accurate, the most FLOPs of
 * equals) on the items both ran: what auto/compute.ts's non-inferiority test reads.
 */
function withPairing(
  options: MeasuredOption[],
  outcomes: Map<string, Map<string, boolean>>,
): MeasuredOption[] {
  const reference = referenceOption(options);
  if (!reference) return options;
  const against = optionKey(reference);
  const ref = outcomes.get(against)!;
  return options.map((o) => {
    if (optionKey(o) === against) return o;
    let better = 0;
    let worse = 0;
    for (const [item, correct] of outcomes.get(optionKey(o))!) {
      const r = ref.get(item);
      if (r === undefined || r === correct) continue;
      if (correct) better++;
      else worse++;
    }
    return { ...o, paired: { against, better, worse } };
  });
}

export interface AutoComparisonRow {
  n: number;
  auto: MethodScore & { budgetSaved: number };
  /** The one fixed method with the best accuracy at this budget, chosen in hindsight. */
  bestFixed: MethodScore;
  /** Per probe bucket, the best fixed method in hindsight; its runs pooled. */
  oracle: {
    accuracy: number;
    meanTokens: number;
    meanFlops: number;
    choice: Partial<Record<DifficultyBucket, StrategyId>>;
  };
  /** Share of Auto's runs per bucket, and the method Auto chose most in each. */
  autoChoices: Partial<Record<DifficultyBucket, { runs: number; method: StrategyId }>>;
}

/**
 * Per budget: Auto against the best single fixed method and the per-bucket oracle. The oracle's
 * buckets come from `bucketRuns` (Auto runs that always probe, as calibrate's do) when given,
 * else from Auto's own runs.
 */
export function compareAuto(
  records: readonly RunRecord[],
  methods: readonly FixedMethod[],
  bucketRuns: readonly RunRecord[] = records,
): AutoComparisonRow[] {
  const budgets = [...new Set(records.map((r) => r.n))].sort((a, b) => a - b);
  const buckets = probeBuckets(bucketRuns);
  return budgets.map((n) => {
    const atN = records.filter((r) => r.n === n);
    const autoRuns = atN.filter((r) => r.strategy === "auto");
    const auto = {
      ...score("auto", autoRuns),
      budgetSaved: autoRuns.length
        ? autoRuns.reduce((a, r) => a + (r.auto?.budgetSaved ?? 0), 0) / autoRuns.length
        : 0,
    };
    const fixed = methods
      .map((m) =>
        score(
          m,
          atN.filter((r) => r.strategy === m),
        ),
      )
      .sort(byMerit);
    const perBucket = scoresByBucket(atN, buckets, methods);
    const choice: Partial<Record<DifficultyBucket, StrategyId>> = {};
    const pooled: RunRecord[] = [];
    for (const bucket of DIFFICULTY_BUCKETS) {
      const best = perBucket[bucket][0];
      if (!best) continue;
      choice[bucket] = best.method;
      pooled.push(...atN.filter((r) => r.strategy === best.method && buckets.get(item(r)) === bucket));
    }
    const oracle = score("auto", pooled); // pooled runs of the methods the oracle picked
    const autoChoices: AutoComparisonRow["autoChoices"] = {};
    for (const bucket of DIFFICULTY_BUCKETS) {
      const inBucket = autoRuns.filter((r) => r.auto?.bucket === bucket);
      if (!inBucket.length) continue;
      const counts = new Map<StrategyId, number>();
      for (const r of inBucket) counts.set(r.auto!.method, (counts.get(r.auto!.method) ?? 0) + 1);
      const method = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      autoChoices[bucket] = { runs: inBucket.length, method };
    }
    return {
      n,
      auto,
      bestFixed: fixed[0]!,
      oracle: {
        accuracy: oracle.accuracy,
        meanTokens: oracle.meanTokens,
        meanFlops: oracle.meanFlops,
        choice,
      },
      autoChoices,
    };
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const sci = (x: number): string => x.toExponential(2);

/** The calibration as a markdown table: accuracy of each method per bucket, the pick in bold. */
export function calibrationMarkdown(
  scores: Record<DifficultyBucket, MethodScore[]>,
  methods: readonly FixedMethod[],
): string {
  const lines = [
    `| bucket | runs | ${methods.join(" | ")} | pick |`,
    `| --- | --- | ${methods.map(() => "---").join(" | ")} | --- |`,
  ];
  for (const bucket of DIFFICULTY_BUCKETS) {
    const s = scores[bucket];
    if (!s.length) {
      lines.push(`| ${bucket} | 0 | ${methods.map(() => "–").join(" | ")} | built-in |`);
      continue;
    }
    const cell = (m: FixedMethod): string => {
      const x = s.find((y) => y.method === m);
      return x ? pct(x.accuracy) : "–";
    };
    const pick =
      s[0]!.runs < MIN_BUCKET_ITEMS ? `built-in (under ${MIN_BUCKET_ITEMS} runs)` : `**${s[0]!.method}**`;
    lines.push(`| ${bucket} | ${s[0]!.runs} | ${methods.map(cell).join(" | ")} | ${pick} |`);
  }
  return lines.join("\n");
}

/** What Auto will pick with this table: per budget and bucket, the cheapest of the most accurate options. */
export function computeChoicesMarkdown(table: CalibratedTable): string {
  const lines = [
    "| Auto's budget | bucket | pick (n) | accuracy | mean FLOPs | options measured |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const [budget, buckets] of Object.entries(table.byBudget ?? {}).sort(
    (a, b) => Number(a[0]) - Number(b[0]),
  ))
    for (const bucket of DIFFICULTY_BUCKETS) {
      const options = buckets[bucket];
      const pick = options && chooseByCompute(options, Number(budget));
      if (!options || !pick) continue;
      lines.push(
        `| ${budget} | ${bucket} | ${pick.method} (${pick.n}) | ${pct(pick.accuracy)} | ${sci(pick.flops)} | ${options.length} |`,
      );
    }
  return lines.length > 2 ? lines.join("\n") : "No bucket had enough runs to measure options.";
}

/** The Auto comparison as a markdown table. */
export function comparisonMarkdown(rows: readonly AutoComparisonRow[]): string {
  const lines = [
    "| n | Auto | best fixed (hindsight) | oracle per bucket (hindsight) | Auto mean tokens / FLOPs | best fixed tokens / FLOPs | oracle tokens / FLOPs | Auto samples saved | Auto's choices (bucket: runs → method) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const choices = DIFFICULTY_BUCKETS.filter((b) => r.autoChoices[b])
      .map((b) => `${b}: ${r.autoChoices[b]!.runs} → ${r.autoChoices[b]!.method}`)
      .join("; ");
    const oracleChoice = DIFFICULTY_BUCKETS.filter((b) => r.oracle.choice[b])
      .map((b) => `${b}→${r.oracle.choice[b]}`)
      .join(", ");
    lines.push(
      `| ${r.n} | ${pct(r.auto.accuracy)} | ${pct(r.bestFixed.accuracy)} (${r.bestFixed.method}) | ${pct(r.oracle.accuracy)} (${oracleChoice}) | ` +
        `${Math.round(r.auto.meanTokens)} / ${sci(r.auto.meanFlops)} | ${Math.round(r.bestFixed.meanTokens)} / ${sci(r.bestFixed.meanFlops)} | ` +
        `${Math.round(r.oracle.meanTokens)} / ${sci(r.oracle.meanFlops)} | ${r.auto.budgetSaved.toFixed(1)} | ${choices || "no probe"} |`,
    );
  }
  return lines.join("\n");
}
