// `tts-reasoner bench`: every strategy × budget × seed on a problem set, graded, resumable.
import { setMaxListeners } from "node:events";
import type { Command } from "commander";
import { findStrategy, strategyIds, type StrategyId } from "../../core/index.js";
import { addSettingOptions, runSettings, settingsFromOptions } from "../config.js";
import { connect, unstreamed } from "../../app/connect.js";
import { mathGrading } from "../grading.js";
import { readProblems } from "./data.js";
import { writeBenchOutputs } from "./output.js";
import { ProgressBar } from "./progress.js";
import { reportMarkdown } from "./report.js";
import { runBench } from "./runner.js";
import { benchCode } from "./code.js";
import { benchSetup, describeSetup, RunStore } from "./store.js";

export function parseList<T>(raw: string, what: string, item: (s: string) => T): T[] {
  const parts = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new Error(`${what} is empty.`);
  return [...new Set(parts.map(item))];
}

export function parseBudgets(raw: string): number[] {
  return parseList(raw, "--n", (s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--n: "${s}" is not a whole number ≥ 1 (e.g. --n 4,16,64).`);
    return n;
  });
}

export function parseStrategies(raw: string): StrategyId[] {
  return parseList(raw, "--strategies", (s) => {
    if (!findStrategy(s))
      throw new Error(`--strategies: "${s}" is not a strategy; use ${strategyIds().join(", ")}.`);
    return s;
  });
}

/** `0,1,2`, a range `0-4`, or a count `3` (seeds 0, 1, 2). */
export function parseSeeds(raw: string): number[] {
  const t = raw.trim();
  const bad = (): Error =>
    new Error(`--seeds: "${raw}" is not a seed count (3), a range (0-4) or a list (0,1,2).`);
  if (/^\d+$/.test(t)) {
    const k = Number(t);
    if (k < 1) throw bad();
    return Array.from({ length: k }, (_, i) => i);
  }
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(t);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b < a) throw bad();
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  return parseList(t, "--seeds", (s) => {
    if (!/^\d+$/.test(s)) throw bad();
    return Number(s);
  });
}

/** A flag's parser: a whole number ≥ 1, or an error that names the flag. */
export function positiveInt(flag: string) {
  return (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: "${s}" is not a whole number ≥ 1.`);
    return n;
  };
}

interface BenchFlags extends Record<string, unknown> {
  data: string;
  out: string;
  strategies: string;
  n: string;
  seeds: string;
  limit?: number;
  concurrency: number;
  title?: string;
  kind: string;
}

export function registerBench(program: Command): void {
  const cmd = program
    .command("bench")
    .description(
      "Run every strategy × budget × seed on a problem set, grade each answer, and write results.json, " +
        "report.md and accuracy.svg into --out. Rerun with the same --out to resume: finished runs are kept.",
    )
    .requiredOption(
      "--data <file.jsonl>",
      "problem set: JSON lines with problem, answer, optional level and id",
    )
    .requiredOption("--out <dir>", "output folder (holds runs.jsonl, the resumable store)")
    .option("--strategies <list>", "comma-separated strategies", "majority,best-of-n,beam,dvts")
    .option("--n <list>", "comma-separated budgets", "4,16,64")
    .option("--seeds <seeds>", "seed count (3), range (0-4) or list (0,1,2)", "1")
    .option("--limit <k>", "only the first k problems", positiveInt("--limit"))
    .option("--concurrency <k>", "searches in flight at once", positiveInt("--concurrency"), 4)
    .option("--title <text>", "report title")
    .option(
      "--kind <kind>",
      "math, or code: HumanEval/MBPP JSON lines through real execution (pass@1 by selection method and budget; --strategies is not used)",
      "math",
    );
  addSettingOptions(cmd, ["search.strategy", "search.n", "search.seed"]);
  cmd.action(async (opts: BenchFlags) => {
    const exit = await bench(opts);
    process.exitCode = exit;
  });
}

/** Runs the bench; resolves to the exit code (130 when interrupted, 1 when runs failed). */
export async function bench(opts: BenchFlags): Promise<number> {
  if (opts.kind === "code") {
    const {
      n: _b,
      data,
      out,
      strategies: _s,
      seeds,
      limit,
      concurrency,
      title,
      kind: _k,
      ...settingFlags
    } = opts;
    return benchCode({
      data,
      out,
      budgets: parseBudgets(opts.n),
      seeds: parseSeeds(seeds),
      ...(limit !== undefined ? { limit } : {}),
      concurrency,
      ...(title !== undefined ? { title } : {}),
      settingFlags,
    });
  }
  if (opts.kind !== "math") throw new Error(`--kind: "${opts.kind}" is not math or code.`);
  const { kind: _kind, ...mathOpts } = opts;
  opts = mathOpts as BenchFlags;
  const strategies = parseStrategies(opts.strategies);
  const budgets = parseBudgets(opts.n);
  const seeds = parseSeeds(opts.seeds);
  // Bench's --n is the list of budgets, not the search.n setting.
  const { n: _budgets, ...settingFlags } = opts;
  const run = runSettings(settingsFromOptions(settingFlags));
  const problems = readProblems(opts.data).slice(0, opts.limit ?? Infinity);
  const { strategy: _s, n: _n, seed: _seed, ...search } = run.search;
  // Nobody watches a bench's tokens: whole responses, one parse per call.
  const endpoints = await connect(unstreamed(run));
  const setup = benchSetup(run, { policy: endpoints.policy.model, verifier: endpoints.verifier?.model });
  const store = RunStore.open(opts.out, setup);
  const controller = new AbortController();
  // Every request in flight listens on this one signal; many at once is not a leak.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (): void => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(
      "\nStopping: runs in flight are dropped, finished ones are kept. Ctrl-C again to quit now.\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true);
  process.stderr.write(
    `bench: ${problems.length} problems × ${strategies.join(",")} × n=${budgets.join(",")} × ${seeds.length} seed(s); ` +
      `${describeSetup(setup)}; results in ${opts.out}\n`,
  );
  for (const note of store.resumeNotes()) process.stderr.write(`${note}\n`);
  try {
    const grading = mathGrading();
    const outcome = await runBench({
      ...run,
      ...endpoints,
      search,
      problems,
      strategies,
      budgets,
      seeds,
      answerKey: grading.answerKey,
      grade: grading.grade,
      store,
      concurrency: opts.concurrency,
      signal: controller.signal,
      onProgress: (p) => bar.update(p),
    });
    bar.finish();
    const title = opts.title ?? `Bench: ${setup.policy}${setup.verifier ? ` with ${setup.verifier}` : ""}`;
    const { report, files } = writeBenchOutputs(opts.out, setup, problems, store.records(), {
      title,
      strategies,
      budgets,
      seeds,
    });
    process.stdout.write(reportMarkdown(report, { heading: "##" }) + "\n");
    process.stderr.write(`Wrote ${files.join(", ")}\n`);
    if (outcome.aborted) {
      process.stderr.write(
        `Interrupted after ${outcome.done}/${outcome.total} runs; rerun the same command to finish.\n`,
      );
      return 130;
    }
    if (outcome.failed) {
      process.stderr.write(
        `${outcome.failed} runs failed (see "error" in results.json); rerunning retries them.\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    store.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
