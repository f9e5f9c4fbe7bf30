// Writes a bench's outputs from its store: results.json (per problem, per run), report.md and
// accuracy.svg. Each file is written whole and renamed into place, so a reader never sees half.
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StrategyId } from "../../core/index.js";
import type { BenchProblem } from "./data.js";
import { accuracyPlot, reportPanel } from "./plot.js";
import { buildReport, reportMarkdown, type BenchReport } from "./report.js";
import type { BenchSetup, RunRecord } from "./store.js";

export const RESULTS_FILE = "results.json";
export const REPORT_FILE = "report.md";
export const PLOT_FILE = "accuracy.svg";

export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** results.json: the setup, then per problem its gold answer and every run's answer, grade and cost. */
export function resultsDocument(
  setup: BenchSetup,
  problems: readonly BenchProblem[],
  records: readonly RunRecord[],
): unknown {
  const byProblem = new Map<string, RunRecord[]>();
  for (const r of records) byProblem.set(r.problemId, [...(byProblem.get(r.problemId) ?? []), r]);
  return {
    setup,
    problems: problems
      .filter((p) => byProblem.has(p.id))
      .map((p) => ({
        id: p.id,
        level: p.level,
        gold: p.answer,
        runs: byProblem.get(p.id)!.map((r) => ({
          strategy: r.strategy,
          n: r.n,
          seed: r.seed,
          answer: r.answer,
          correct: r.correct,
          candidates: r.candidates,
          cost: r.cost,
          ...(r.auto ? { auto: r.auto } : {}),
          ...(r.error ? { error: r.error } : {}),
          ...(r.failures ? { failures: r.failures } : {}),
        })),
      })),
  };
}

export interface WrittenOutputs {
  report: BenchReport;
  files: string[];
}

export function writeBenchOutputs(
  dir: string,
  setup: BenchSetup,
  problems: readonly BenchProblem[],
  records: readonly RunRecord[],
  options: {
    title: string;
    strategies: readonly StrategyId[];
    budgets: readonly number[];
    seeds: readonly number[];
  },
): WrittenOutputs {
  // Only the runs of this grid: the store may hold more from an earlier, larger invocation.
  const ids = new Set(problems.map((p) => p.id));
  const mine = records.filter(
    (r) =>
      ids.has(r.problemId) &&
      options.strategies.includes(r.strategy) &&
      options.budgets.includes(r.n) &&
      options.seeds.includes(r.seed),
  );
  const report = buildReport(mine, options);
  const files = [join(dir, RESULTS_FILE), join(dir, REPORT_FILE), join(dir, PLOT_FILE)];
  writeAtomic(files[0]!, JSON.stringify(resultsDocument(setup, problems, mine), null, 1) + "\n");
  writeAtomic(files[1]!, reportMarkdown(report, { plot: PLOT_FILE }));
  writeAtomic(files[2]!, accuracyPlot([reportPanel(report)], { title: "Accuracy against budget" }));
  return { report, files };
}
