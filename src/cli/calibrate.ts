// `tts-reasoner calibrate`: runs Auto and the fixed methods at several budgets on a development
// set, buckets each problem by Auto's own difficulty probe, and writes a strategy table for this
// policy/verifier pair: the most accurate method per bucket, and every method's accuracy and
// FLOPs at every budget per bucket, from which Auto picks the cheapest of the most accurate.
// Auto uses it through the search.strategyTable setting. The runs are kept (resumable) next to
// the table.
import { setMaxListeners } from "node:events";
import type { Command } from "commander";
import { DEFAULT_SEARCH_CONFIG, findStrategy, type StrategyId } from "../core/index.js";
import { writeStrategyTable } from "../app/strategy-table.js";
import { calibrationMarkdown, calibrationTable, computeChoicesMarkdown } from "./auto-analysis.js";
import { parseBudgets, parseSeeds, parseStrategies, positiveInt } from "./bench/command.js";
import { readProblems } from "./bench/data.js";
import { ProgressBar } from "./bench/progress.js";
import { runBench } from "./bench/runner.js";
import { benchSetup, RunStore } from "./bench/store.js";
import { addSettingOptions, runSettings, settingsFromOptions } from "./config.js";
import { connect, unstreamed } from "../app/connect.js";
import { mathGrading } from "./grading.js";

interface CalibrateFlags extends Record<string, unknown> {
  data: string;
  out: string;
  methods: string;
  n: string;
  seeds: string;
  limit?: number;
  concurrency: number;
}

export function registerCalibrate(program: Command): void {
  const cmd = program
    .command("calibrate")
    .description(
      "Measure which method wins per difficulty bucket for the configured policy and verifier on a " +
        "development set, and write a strategy table for Auto (set search.strategyTable to use it).",
    )
    .requiredOption(
      "--data <dev.jsonl>",
      "development set: JSON lines with problem, answer, optional level and id",
    )
    .requiredOption("--out <table.json>", "the strategy table to write; runs are kept in <table.json>.runs/")
    .option("--methods <list>", "methods to compare", "majority,best-of-n,beam,dvts")
    .option("--n <list>", "comma-separated budgets", "4,16")
    .option("--seeds <seeds>", "seed count (3), range (0-4) or list (0,1,2)", "1")
    .option("--limit <k>", "only the first k problems", positiveInt("--limit"))
    .option("--concurrency <k>", "searches in flight at once", positiveInt("--concurrency"), 4);
  addSettingOptions(cmd, ["search.strategy", "search.n", "search.seed", "search.strategyTable"]);
  cmd.action(async (opts: CalibrateFlags) => {
    process.exitCode = await calibrate(opts);
  });
}

export async function calibrate(opts: CalibrateFlags): Promise<number> {
  const { n: _budgets, ...settingFlags } = opts;
  const run = runSettings(settingsFromOptions(settingFlags));
  const methods = parseStrategies(opts.methods).filter((m): m is Exclude<StrategyId, "auto"> => m !== "auto");
  const usable = run.verifier ? methods : methods.filter((m) => !findStrategy(m)?.needsVerifier);
  if (usable.length < methods.length)
    process.stderr.write(
      `No verifier is configured: calibrating ${usable.join(", ") || "nothing"} only (set --verifier to compare PRM methods).\n`,
    );
  if (!usable.length)
    throw new Error("No method left to calibrate: configure a verifier or include majority.");
  const budgets = parseBudgets(opts.n);
  const seeds = parseSeeds(opts.seeds);
  const problems = readProblems(opts.data).slice(0, opts.limit ?? Infinity);
  const { strategy: _s, n: _n, seed: _seed, ...search } = run.search;
  // Nobody watches a bench's tokens: whole responses, one parse per call.
  const endpoints = await connect(unstreamed(run));
  // Auto runs here only for its probe's bucket, before any table is read: no table in the setup.
  const plan = { ...run, strategyTable: null };
  const setup = benchSetup(plan, { policy: endpoints.policy.model, verifier: endpoints.verifier?.model });
  const pair = { policy: setup.policy, verifier: setup.verifier ?? "none" };
  const store = RunStore.open(`${opts.out}.runs`, setup);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onSignal = (): void => controller.abort();
  process.on("SIGINT", onSignal);
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true);
  process.stderr.write(
    `calibrate: ${problems.length} problems × auto,${usable.join(",")} × n=${budgets.join(",")} × ${seeds.length} seed(s) for ${pair.policy} with ${pair.verifier}\n`,
  );
  for (const note of store.resumeNotes()) process.stderr.write(`${note}\n`);
  try {
    const grading = mathGrading();
    const outcome = await runBench({
      ...plan,
      ...endpoints,
      problems,
      // Auto's runs give each problem its probe bucket, exactly as Auto would see it.
      strategies: ["auto", ...usable],
      budgets,
      seeds,
      search: { ...search, earlyStop: false },
      answerKey: grading.answerKey,
      grade: grading.grade,
      store,
      concurrency: opts.concurrency,
      signal: controller.signal,
      onProgress: (p) => bar.update(p),
    });
    bar.finish();
    if (outcome.aborted) {
      process.stderr.write("Interrupted; rerun the same command to finish (finished runs are kept).\n");
      return 130;
    }
    const full = { ...DEFAULT_SEARCH_CONFIG, ...search };
    // Only this grid's runs: the store may also hold runs of earlier calibrations (other budgets).
    const ids = new Set(problems.map((p) => p.id));
    const records = store
      .records()
      .filter(
        (r) =>
          ids.has(r.problemId) &&
          budgets.includes(r.n) &&
          seeds.includes(r.seed) &&
          (r.strategy === "auto" || (usable as StrategyId[]).includes(r.strategy)),
      );
    const { table, scores } = calibrationTable(records, usable, full, pair, new Date());
    writeStrategyTable(opts.out, table);
    process.stdout.write(
      `Accuracy per difficulty bucket (Auto's probe), n = ${budgets.join(", ")}:\n\n` +
        calibrationMarkdown(scores, usable) +
        `\n\nWhat Auto will pick by compute (the cheapest of the most accurate methods and budgets):\n\n` +
        computeChoicesMarkdown(table) +
        `\n\nWrote ${opts.out}. Use it with --strategy-table ${opts.out} (or the search.strategyTable setting).\n`,
    );
    return 0;
  } finally {
    store.close();
    process.off("SIGINT", onSignal);
  }
}
