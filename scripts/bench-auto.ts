// `npm run bench:auto`: does Auto spend compute well? On simworld's published world (policies
// and PRMs called in-process, no HTTP: see test/simworld/direct.ts), for the 0.5b and 7b policies
// with the strong PRM: `calibrate`'s analysis on a development set (its own problem seed) gives
// Auto a table of measured options (method × budget, accuracy, FLOPs per probe bucket); then, on
// the test set, Auto and the four fixed methods run at every budget, and the 72b policy's CoT
// (greedy) sets the bar. Writes bench/results/auto/{report.md, summary.json, accuracy-flops.svg,
// table-<policy>.json}. Resumable: runs are kept under bench/results/auto/runs/.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import {
  calibrationTable,
  compareAuto,
  comparisonMarkdown,
  type AutoComparisonRow,
} from "../src/cli/auto-analysis.js";
import { writeAtomic } from "../src/cli/bench/output.js";
import { accuracyPlot, type PlotPanel } from "../src/cli/bench/plot.js";
import { wilson } from "../src/cli/bench/report.js";
import { runBench } from "../src/cli/bench/runner.js";
import { RunStore, type RunRecord } from "../src/cli/bench/store.js";
import { mathGrading } from "../src/cli/grading.js";
import { DEFAULT_SEARCH_CONFIG, type CalibratedTable, type StrategyId } from "../src/core/index.js";
import { directPolicy, directVerifier } from "../test/simworld/direct.js";
import { generateProblems, POLICIES as SIM_POLICIES, PRMS } from "../test/simworld/index.js";

const LARGE = "sim-policy-72b";
const PRM = "sim-prm-qwen";
const METHODS = ["majority", "best-of-n", "beam", "dvts"] as const;

const o = new Command()
  .name("bench-auto")
  .option(
    "--count <k>",
    "test problems at the largest budgets (a multiple of 5 keeps the levels even)",
    Number,
    150,
  )
  .option("--dev-count <k>", "development problems at the largest budgets", Number, 300)
  .option("--seed <s>", "test problem-set seed", Number, 2026)
  .option("--dev-seed <s>", "development problem-set seed", Number, 2027)
  .option("--n <list>", "budgets", "4,16,64,256")
  .option("--seeds <k>", "sampling seeds per test problem (the calibration uses one)", Number, 2)
  .option(
    "--policies <list>",
    "policies (run one per process to use two cores; a last run with all writes the report)",
    "sim-policy-0.5b,sim-policy-7b",
  )
  .option("--out <dir>", "output folder", "bench/results/auto")
  .option("--dev-only", "only the calibration runs (e.g. to fill the store in several processes)")
  .parse()
  .opts<{
    count: number;
    devCount: number;
    seed: number;
    devSeed: number;
    n: string;
    out: string;
    policies: string;
    devOnly?: boolean;
    seeds: number;
  }>();

const POLICIES = o.policies.split(",");
const SEEDS = Array.from({ length: o.seeds }, (_, i) => i);

const budgets = o.n.split(",").map(Number);
/**
 * Problems at budget n: a search costs about n, so the small budgets get more problems for the
 * same compute (up to 8× at n ≤ 8, 4× at n = 16): there beam search and DVTS differ by a point or
 * two, and 300 runs cannot rank them (±2.8 points paired), neither on the development set nor on
 * the test set. The sets are prefixes of one seeded sequence, so the larger contain the smaller.
 */
const scaled = (count: number, n: number): number => count * Math.max(1, Math.min(8, Math.floor(64 / n)));
const search = {
  beamWidth: DEFAULT_SEARCH_CONFIG.beamWidth,
  maxSteps: DEFAULT_SEARCH_CONFIG.maxSteps,
  temperature: DEFAULT_SEARCH_CONFIG.temperature,
  aggregation: DEFAULT_SEARCH_CONFIG.aggregation,
  selection: DEFAULT_SEARCH_CONFIG.selection,
};
const world = { world: "published" as const };
const grading = mathGrading();
const params = (id: string): number | null =>
  [...SIM_POLICIES, ...PRMS].find((m) => m.id === id)?.params ?? null;

function problemSet(count: number, seed: number) {
  return generateProblems({ count, seed }).map((p) => ({
    id: p.id,
    problem: p.problem,
    answer: p.answer,
    level: p.level,
  }));
}

/** Runs this session computed (the rest came from the stores). */
let computedRuns = 0;

/** Seconds spent computing a store's runs, summed over the sessions that added to it. */
function storedSeconds(dir: string): number {
  const file = join(dir, "timing.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { seconds: number }).seconds : 0;
}

async function runs(
  dir: string,
  policyModel: string,
  strategies: StrategyId[],
  ns: number[],
  problemsAt: (n: number) => ReturnType<typeof problemSet>,
  extra: { earlyStop?: boolean; table?: CalibratedTable | null; seeds?: number[] },
): Promise<RunRecord[]> {
  const verifier = directVerifier(PRM, world);
  const store = RunStore.open(dir, {
    policy: policyModel,
    verifier: `vllm-pooling:${PRM}`,
    search: { ...search, ...(extra.earlyStop === false ? { earlyStop: false } : {}) },
    ...(extra.table
      ? {
          strategyTable: {
            policy: extra.table.policy,
            verifier: extra.table.verifier,
            plans: extra.table.plans,
          },
        }
      : {}),
  });
  const started = Date.now();
  let ran = 0;
  try {
    for (const n of ns) {
      const outcome = await runBench({
        problems: problemsAt(n),
        strategies,
        budgets: [n],
        seeds: extra.seeds ?? [0],
        search: { ...search, ...(extra.earlyStop === false ? { earlyStop: false } : {}) },
        policy: directPolicy(policyModel, world),
        verifier,
        answerKey: grading.answerKey,
        grade: grading.grade,
        store,
        concurrency: 4,
        policyConcurrency: 64,
        verifierConcurrency: 64,
        policyParams: params(policyModel),
        verifierParams: params(PRM),
        strategyTable: extra.table ?? null,
      });
      ran += outcome.done - outcome.skipped;
      computedRuns += outcome.done - outcome.skipped;
    }
    return store.records();
  } finally {
    store.close();
    // The report states how long the stored figures took, also when it is regenerated from them.
    if (ran > 0)
      writeAtomic(
        join(dir, "timing.json"),
        JSON.stringify({ seconds: storedSeconds(dir) + (Date.now() - started) / 1000 }) + "\n",
      );
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const sci = (x: number): string => x.toExponential(2);

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(o.out, { recursive: true });
  const top = Math.max(...budgets.map((n) => scaled(1, n)));
  const allTest = problemSet(o.count * top, o.seed);
  const allDev = problemSet(o.devCount * top, o.devSeed);
  const testAt = (n: number) => allTest.slice(0, scaled(o.count, n));
  const devAt = (n: number) => allDev.slice(0, scaled(o.devCount, n));
  const test = testAt(Math.max(...budgets));
  const sizes = (at: (n: number) => unknown[], k = 1): string =>
    budgets.map((n) => `${(at(n).length * k).toLocaleString("en-US")} at n = ${n}`).join(", ");
  const stores: string[] = [];
  const store = (name: string): string => {
    stores.push(join(o.out, "runs", name));
    return stores.at(-1)!;
  };
  const summary: Record<string, unknown>[] = [];
  const sections: string[] = [];
  const panels: PlotPanel[] = [];
  // The 72b's CoT on every test problem (greedy: one sample, seed-free), so each cell compares
  // with it on its own problems.
  const large = await runs(store(LARGE), LARGE, ["greedy"], [1], () => testAt(Math.min(...budgets)), {});
  const cot = (ids?: Set<string>): { accuracy: number; flops: number; problems: number } => {
    const at = large.filter((r) => !ids || ids.has(r.problemId));
    return {
      accuracy: at.filter((r) => r.correct).length / at.length,
      flops: at.reduce((a, r) => a + r.cost.flops, 0) / at.length,
      problems: at.length,
    };
  };
  const { accuracy: largeCot, flops: largeFlops } = cot();
  let headline = "";
  for (const policyModel of POLICIES) {
    process.stderr.write(`${policyModel}: calibrating on ${sizes(devAt)} development problems…\n`);
    const devRecords = await runs(
      store(`${policyModel}.dev`),
      policyModel,
      ["auto", ...METHODS],
      budgets,
      devAt,
      {
        earlyStop: false,
      },
    );
    const { table } = calibrationTable(
      devRecords,
      METHODS,
      search,
      { policy: policyModel, verifier: `vllm-pooling:${PRM}` },
      new Date(0),
    );
    writeAtomic(join(o.out, `table-${policyModel}.json`), JSON.stringify(table, null, 2) + "\n");
    if (o.devOnly) continue;
    process.stderr.write(`${policyModel}: Auto and the fixed methods on ${sizes(testAt)} test problems…\n`);
    const fixed = await runs(store(policyModel), policyModel, [...METHODS], budgets, testAt, {
      seeds: SEEDS,
    });
    const autoRuns = await runs(store(`${policyModel}.auto`), policyModel, ["auto"], budgets, testAt, {
      table,
      seeds: SEEDS,
    });
    // The oracle's buckets: Auto's probe on each test problem, as calibrate sees it (Auto with a
    // table may skip the probe where it is not worth its samples).
    const probed = await runs(store(`${policyModel}.probe`), policyModel, ["auto"], budgets, testAt, {
      earlyStop: false,
      seeds: SEEDS,
    });
    const rows = compareAuto([...fixed, ...autoRuns], METHODS, probed);
    for (const r of rows) summary.push(summaryRow(policyModel, r));
    sections.push(
      `## ${policyModel} with the strong PRM (${PRM})\n\n${comparisonMarkdown(rows)}\n\n${verdicts(rows, [...fixed, ...autoRuns])}\n\n${spending(autoRuns)}`,
    );
    const panel = flopsPanel(policyModel, [...fixed, ...autoRuns]);
    // The bar the paper's headline sets: the 72b policy's CoT, one point at its FLOPs.
    panel.series.push({ label: "72b CoT", points: [{ x: largeFlops, y: largeCot }] });
    panels.push(panel);
    if (policyModel === "sim-policy-0.5b") headline = beatsLarge(fixed, cot);
  }
  if (o.devOnly) return;
  const ticks = [1e12, 1e13, 1e14, 1e15, 1e16];
  writeAtomic(
    join(o.out, "accuracy-flops.svg"),
    accuracyPlot(panels, {
      title: "Accuracy against FLOPs per problem (published world, strong PRM)",
      columns: 2,
      xAxis: { label: "mean FLOPs per problem (log scale)", ticks, format: (x) => x.toExponential(0) },
    }),
  );
  writeAtomic(join(o.out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  const [lo, hi] = wilson(Math.round(0.5 * test.length * SEEDS.length), test.length * SEEDS.length);
  const minutes = (seconds: number): string => (seconds / 60).toFixed(1);
  const computed = stores.reduce((a, d) => a + storedSeconds(d), 0);
  const session = (Date.now() - started) / 1000;
  const report = [
    "# bench:auto — does Auto spend compute well?",
    "",
    `Generated by \`npm run bench:auto\` (scripts/bench-auto.ts) on simworld's **published world** (calibrated to ` +
      `Liu et al. 2025's CoT and majority-vote figures, so its agreement with them is by construction; test/simworld/README.md). ` +
      `Test problems (seed ${o.seed}, even over the 5 levels): ${sizes(testAt)}, ${SEEDS.length} sampling seed(s) each (runs per cell: ${sizes(testAt, SEEDS.length)}); ` +
      `a search costs about n, so the small budgets get more problems for the same compute. ` +
      `Auto uses a table calibrated (as \`tts-reasoner calibrate\` does) on other problems (seed ${o.devSeed}, one sampling seed): ${sizes(devAt)}; ` +
      `fixed methods: ${METHODS.join(", ")} (beam width ${search.beamWidth}, T = ${search.temperature}, aggregation ${search.aggregation}, ` +
      `selection ${search.selection}). Models called in-process (no HTTP, no latency). Computing the stored runs took ${minutes(computed)} min ` +
      `(summed over the run stores, on a 2-core machine shared with other work; stores filled in parallel count separately)` +
      `${computedRuns ? `; this session computed ${computedRuns.toLocaleString("en-US")} of them in ${minutes(session)} min` : "; this report was regenerated from them, nothing rerun"}. FLOPs = 2 × parameters × tokens, policy and PRM, mean per problem. "Best fixed" is the single ` +
      `most accurate method at that budget in hindsight (ties to fewer FLOPs); the "oracle" picks the best method per difficulty bucket in hindsight, the buckets from Auto's probe ` +
      `on each test problem as calibrate sees it (a table-free Auto run).`,
    "",
    `Resolution: at 50% accuracy the 95% interval on ${test.length * SEEDS.length} runs (n = ${Math.max(...budgets)}) is ${pct(lo)}–${pct(hi)} (±${(50 * (hi - lo)).toFixed(1)} points); ` +
      `for a 3-point difference to fall outside it, a cell needs about 4,300 problem-runs (1.96·√(0.25/N) ≤ 1.5 points). ` +
      `At this machine's pace (a search at n = 256 takes a few tenths of a second of one core, and there are 6 searches per test ` +
      `problem and 5 per development problem at each budget, for 2 policies) that is hours at n = 64 and 256, so the sets above ` +
      `were what fitted. Auto and the fixed methods run on the same problems, so each comparison below carries its paired 95% ` +
      `interval (only problems where exactly one is right move it), which is narrower than the unpaired one, but still wider than 1 point.`,
    "",
    headline,
    "",
    `The 72b policy's CoT (greedy), on each budget's test problems: ${budgets
      .map((n) => {
        const c = cot(new Set(testAt(n).map((p) => p.id)));
        return `${pct(c.accuracy)} on the ${c.problems.toLocaleString("en-US")} of n = ${n}`;
      })
      .join(
        ", ",
      )}; ${sci(largeFlops)} FLOPs per problem (the plot's point: all ${large.length.toLocaleString("en-US")}).`,
    "",
    ...sections.flatMap((s) => [s, ""]),
    "![accuracy against FLOPs](accuracy-flops.svg)",
    "",
  ].join("\n");
  writeAtomic(join(o.out, "report.md"), report);
  process.stdout.write(report + "\n");
}

function summaryRow(policy: string, r: AutoComparisonRow): Record<string, unknown> {
  return {
    policy,
    n: r.n,
    auto: r.auto.accuracy,
    bestFixed: r.bestFixed.accuracy,
    bestFixedMethod: r.bestFixed.method,
    oracle: r.oracle.accuracy,
    autoFlops: r.auto.meanFlops,
    bestFixedFlops: r.bestFixed.meanFlops,
    oracleFlops: r.oracle.meanFlops,
    autoSamplesSaved: r.auto.budgetSaved,
  };
}

/** The "Done when" checks, per budget, said plainly. */
/**
 * The 95% interval of Auto's accuracy minus a fixed method's on the same problems (paired:
 * only the problems where exactly one of them is right move it), in points.
 */
function pairedHalfWidth(records: readonly RunRecord[], method: StrategyId, n: number): number {
  const fixed = new Map(
    records
      .filter((r) => r.strategy === method && r.n === n)
      .map((r) => [`${r.problemId}|${r.seed}`, r.correct]),
  );
  const auto = records.filter(
    (r) => r.strategy === "auto" && r.n === n && fixed.has(`${r.problemId}|${r.seed}`),
  );
  if (!auto.length) return NaN;
  const diffs = auto.map((r) => Number(r.correct) - Number(fixed.get(`${r.problemId}|${r.seed}`)));
  const mean = diffs.reduce((a, x) => a + x, 0) / diffs.length;
  const variance = diffs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, diffs.length - 1);
  return 100 * 1.96 * Math.sqrt(variance / diffs.length);
}

function verdicts(rows: readonly AutoComparisonRow[], records: readonly RunRecord[]): string {
  return rows
    .map((r) => {
      const d = 100 * (r.auto.accuracy - r.bestFixed.accuracy);
      const ci = pairedHalfWidth(records, r.bestFixed.method, r.n);
      const od = 100 * (r.oracle.accuracy - r.auto.accuracy);
      const cheaper =
        r.auto.accuracy >= r.bestFixed.accuracy
          ? r.auto.meanFlops <= r.bestFixed.meanFlops
            ? "yes"
            : "NO"
          : "n/a";
      return (
        `- n = ${r.n}: Auto − best fixed = ${d >= 0 ? "+" : ""}${d.toFixed(1)} ± ${ci.toFixed(1)} points (paired 95%; ${d >= -1 ? "ok" : "MISSED"}: ≥ −1); ` +
        `oracle − Auto = ${od.toFixed(1)} points (${od <= 2 ? "ok" : "MISSED"}: ≤ 2); ` +
        `reaches best fixed with no more FLOPs: ${cheaper} (${sci(r.auto.meanFlops)} vs ${sci(r.bestFixed.meanFlops)}).`
      );
    })
    .join("\n");
}

/** Where Auto's budget went: spent by policy and PRM, saved by early stopping or a cheaper option. */
function spending(autoRuns: readonly RunRecord[]): string {
  const ns = [...new Set(autoRuns.map((r) => r.n))].sort((a, b) => a - b);
  const lines = [
    "| n | policy FLOPs | PRM FLOPs | samples saved (mean) | runs that saved | chosen (method: runs) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const n of ns) {
    const at = autoRuns.filter((r) => r.n === n);
    const mean = (f: (r: RunRecord) => number): number =>
      at.reduce((a, r) => a + f(r), 0) / Math.max(1, at.length);
    const methods = new Map<string, number>();
    for (const r of at) if (r.auto) methods.set(r.auto.method, (methods.get(r.auto.method) ?? 0) + 1);
    lines.push(
      `| ${n} | ${sci(mean((r) => r.cost.policy.flops))} | ${sci(mean((r) => r.cost.verifier.flops))} | ` +
        `${mean((r) => r.auto?.budgetSaved ?? 0).toFixed(1)} | ${at.filter((r) => (r.auto?.budgetSaved ?? 0) > 0).length} | ` +
        `${[...methods].map(([m, k]) => `${m}: ${k}`).join(", ")} |`,
    );
  }
  return `Auto's budget, spent and saved:\n\n${lines.join("\n")}`;
}

function flopsPanel(policy: string, records: readonly RunRecord[]): PlotPanel {
  const series = (["auto", ...METHODS] as StrategyId[]).map((s) => ({
    label: s,
    points: budgets
      .map((n) => {
        const at = records.filter((r) => r.strategy === s && r.n === n);
        return at.length
          ? {
              x: at.reduce((a, r) => a + r.cost.flops, 0) / at.length,
              y: at.filter((r) => r.correct).length / at.length,
            }
          : null;
      })
      .filter((p): p is { x: number; y: number } => p !== null),
  }));
  return { title: policy, series };
}

/** The paper's headline on our world: does the 0.5b policy with search beat the 72b's CoT, and at what FLOPs? */
function beatsLarge(
  records: readonly RunRecord[],
  cot: (ids: Set<string>) => { accuracy: number; flops: number },
): string {
  const cells: {
    method: string;
    n: number;
    accuracy: number;
    flops: number;
    large: { accuracy: number; flops: number };
  }[] = [];
  for (const m of METHODS)
    for (const n of budgets) {
      const at = records.filter((r) => r.strategy === m && r.n === n);
      if (at.length)
        cells.push({
          method: m,
          n,
          accuracy: at.filter((r) => r.correct).length / at.length,
          flops: at.reduce((a, r) => a + r.cost.flops, 0) / at.length,
          large: cot(new Set(at.map((r) => r.problemId))),
        });
    }
  const beating = cells.filter((c) => c.accuracy > c.large.accuracy).sort((a, b) => a.flops - b.flops);
  const best = [...cells].sort((a, b) => b.accuracy - a.accuracy)[0]!;
  if (!beating.length)
    return (
      `**Headline:** the 0.5b policy with search does not beat the 72b policy's CoT (${pct(best.large.accuracy)} on the same problems) at any budget here; ` +
      `its best is ${best.method} at n = ${best.n}: ${pct(best.accuracy)} at ${sci(best.flops)} FLOPs (${(best.flops / best.large.flops).toFixed(1)}× the 72b's CoT).`
    );
  const c = beating[0]!;
  return (
    `**Headline:** the 0.5b policy with ${c.method} and the strong PRM at n = ${c.n} reaches ${pct(c.accuracy)}, beating the 72b policy's CoT ` +
    `on the same problems (${pct(c.large.accuracy)}), at ${sci(c.flops)} FLOPs per problem against the 72b's ${sci(c.large.flops)}: ${(c.flops / c.large.flops).toFixed(1)}× the FLOPs ` +
    `(policy and PRM counted; inference only, pretraining not).`
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
