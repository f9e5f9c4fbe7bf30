// `npm run bench:sim`: the benchmark the README reports. On simworld's published world (or
// `--world classic`), exports a problem set with all five levels and runs majority vote,
// best-of-N, beam search and DVTS at n = 4, 16, 64, 256 for three simulated policies with the
// strong and the length-biased PRM. The models are called in-process (test/simworld/direct.ts);
// `--http` serves them from simworld with its realistic latency model instead (slow). Writes
// report.md (summary first) and accuracy.svg under bench/results/sim/. Resumable: the runs are
// kept under bench/results/sim/runs/.
import { setMaxListeners } from "node:events";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { writeAtomic } from "../src/cli/bench/output.js";
import { accuracyPlot, reportPanel } from "../src/cli/bench/plot.js";
import { ProgressBar } from "../src/cli/bench/progress.js";
import { buildReport, reportMarkdown, type BenchReport } from "../src/cli/bench/report.js";
import { runBench, type BenchProgress } from "../src/cli/bench/runner.js";
import { RunStore, type BenchSetup, type RunRecord } from "../src/cli/bench/store.js";
import type { BenchProblem } from "../src/cli/bench/data.js";
import { mathGrading } from "../src/cli/grading.js";
import { DEFAULT_SEARCH_CONFIG, type StrategyId, type Verifier } from "../src/core/index.js";
import { createPolicy, createVerifier } from "../src/endpoints/index.js";
import { directPolicy, directVerifier } from "../test/simworld/direct.js";
import { generateProblems, PRMS as SIM_PRMS, startSimworld } from "../test/simworld/index.js";

const POLICIES = ["sim-policy-0.5b", "sim-policy-7b", "sim-policy-72b"];
const PRMS = [
  { model: "sim-prm-qwen", label: "strong PRM (sim-prm-qwen)" },
  { model: "sim-prm-biased", label: "biased PRM (sim-prm-biased)" },
];
const PRM_STRATEGIES: StrategyId[] = ["best-of-n", "beam", "dvts"];
const STRATEGIES: StrategyId[] = ["majority", ...PRM_STRATEGIES];

const o = new Command()
  .name("bench-sim")
  .option("--count <k>", "problems (a multiple of 5 keeps the levels even)", Number, 100)
  .option("--n <list>", "budgets", "4,16,64,256")
  .option("--world <world>", "simworld's world: published or classic", "published")
  .option("--http", "serve the models from simworld over HTTP with its latency model (slow)")
  .option("--seed <s>", "problem-set seed", Number, 2025)
  .option(
    "--latency-scale <x>",
    "multiplies simworld's realistic latency model (time compression)",
    Number,
    0.05,
  )
  .option("--concurrency <k>", "searches in flight per policy", Number, 8)
  .option("--out <dir>", "output folder", "bench/results/sim")
  .parse()
  .opts<{
    count: number;
    n: string;
    world: "published" | "classic";
    http?: boolean;
    seed: number;
    latencyScale: number;
    concurrency: number;
    out: string;
  }>();
const BUDGETS = o.n.split(",").map(Number);
// The store does not record the world, so each world keeps its runs apart (the published
// world's in runs/, as the committed report was made).
if (o.world !== "published" && o.world !== "classic")
  throw new Error(`--world: "${String(o.world)}" is not published or classic`);
const RUNS = o.world === "published" ? "runs" : `runs-${o.world}`;

const search = {
  beamWidth: DEFAULT_SEARCH_CONFIG.beamWidth,
  maxSteps: DEFAULT_SEARCH_CONFIG.maxSteps,
  temperature: DEFAULT_SEARCH_CONFIG.temperature,
  aggregation: DEFAULT_SEARCH_CONFIG.aggregation,
  selection: DEFAULT_SEARCH_CONFIG.selection,
};

const pct = (x: number): string => (100 * x).toFixed(1);

interface Session {
  finishedAt: string;
  minutes: number;
  runs: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const sim = o.http
    ? await startSimworld({
        flavour: "vllm",
        port: 0,
        latency: "realistic",
        latencyScale: o.latencyScale,
        seed: 7,
        world: o.world,
      })
    : null;
  mkdirSync(o.out, { recursive: true });
  const exported = generateProblems({ count: o.count, seed: o.seed });
  writeFileSync(join(o.out, "problems.jsonl"), exported.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const problems: BenchProblem[] = exported.map((p) => ({
    id: p.id,
    problem: p.problem,
    answer: p.answer,
    level: p.level,
  }));
  const grading = mathGrading();
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });

  // One progress line over all benches; majority vote needs no PRM, so it runs once per policy
  // and its runs count for both PRMs' tables.
  const runsPerPolicy = problems.length * BUDGETS.length * (1 + PRM_STRATEGIES.length * PRMS.length);
  const parts = new Map<string, BenchProgress>();
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true);
  const progress = (id: string, p: BenchProgress): void => {
    parts.set(id, p);
    const sum = (k: keyof BenchProgress): number => [...parts.values()].reduce((a, x) => a + x[k], 0);
    bar.update({
      total: runsPerPolicy * POLICIES.length,
      done: sum("done"),
      skipped: sum("skipped"),
      failed: sum("failed"),
      inFlight: sum("inFlight"),
      correct: sum("correct"),
    });
  };

  const records = new Map<string, RunRecord[]>();
  const runSetup = async (
    id: string,
    policyModel: string,
    verifier: Verifier | null,
    verifierModel: string | null,
    strategies: StrategyId[],
  ): Promise<void> => {
    const setup: BenchSetup = {
      policy: policyModel,
      verifier: verifierModel && `vllm-pooling:${verifierModel}`,
      search,
    };
    const store = RunStore.open(join(o.out, RUNS, id), setup);
    try {
      const policy = sim
        ? await createPolicy({ baseUrls: [sim.url], model: policyModel, apiStyle: "auto", concurrency: 256 })
        : directPolicy(policyModel, { world: o.world });
      await runBench({
        problems,
        strategies,
        budgets: BUDGETS,
        seeds: [0],
        search,
        policy,
        verifier,
        answerKey: grading.answerKey,
        grade: grading.grade,
        store,
        concurrency: o.concurrency,
        policyConcurrency: 64,
        verifierConcurrency: 64,
        // As a user would set verifier.parametersBillions: these PRM names carry no size.
        verifierParams: SIM_PRMS.find((m) => m.id === verifierModel)?.params ?? null,
        signal: controller.signal,
        onProgress: (p) => progress(id, p),
      });
      records.set(id, store.records());
    } finally {
      store.close();
    }
  };

  const verifiers = new Map<string, Verifier | null>();
  for (const prm of PRMS)
    verifiers.set(
      prm.model,
      sim
        ? await createVerifier({
            baseUrls: [sim.url],
            model: prm.model,
            kind: "vllm-pooling",
            concurrency: 256,
          })
        : directVerifier(prm.model, { world: o.world }),
    );
  // The three policies have their own simulated engines, so they run side by side.
  await Promise.all(
    POLICIES.map(async (policy) => {
      await runSetup(`${policy}--majority`, policy, null, null, ["majority"]);
      for (const prm of PRMS)
        await runSetup(
          `${policy}--${prm.model}`,
          policy,
          verifiers.get(prm.model)!,
          prm.model,
          PRM_STRATEGIES,
        );
      sim?.requests.splice(0); // simworld keeps every request; a long bench needs none of them
    }),
  );
  bar.finish();
  await sim?.close();
  // Wall time is kept per session that ran searches, so a resumed bench reports the sum.
  const ranNow = [...parts.values()].reduce((a, p) => a + p.done - p.skipped, 0);
  const timingPath = join(o.out, RUNS, "timing.json"); // next to the runs it times
  const sessions = existsSync(timingPath)
    ? (JSON.parse(readFileSync(timingPath, "utf8")) as { sessions: Session[] }).sessions
    : [];
  if (ranNow) {
    sessions.push({
      finishedAt: new Date().toISOString(),
      minutes: (Date.now() - started) / 60_000,
      runs: ranNow,
    });
    writeAtomic(timingPath, JSON.stringify({ sessions }, null, 1) + "\n");
  }
  if (controller.signal.aborted) {
    process.stderr.write("Interrupted; rerun to finish (finished runs are kept).\n");
    process.exitCode = 130;
    return;
  }

  const reports: { policy: string; prm: (typeof PRMS)[number]; report: BenchReport }[] = [];
  for (const policy of POLICIES)
    for (const prm of PRMS) {
      const rs = [
        ...(records.get(`${policy}--majority`) ?? []),
        ...(records.get(`${policy}--${prm.model}`) ?? []),
      ];
      reports.push({
        policy,
        prm,
        report: buildReport(rs, {
          title: `${policy} with the ${prm.label}`,
          strategies: STRATEGIES,
          budgets: BUDGETS,
        }),
      });
    }
  writeAtomic(
    join(o.out, "accuracy.svg"),
    accuracyPlot(
      reports.map((r) => reportPanel(r.report, `${r.policy} · ${r.prm.model}`)),
      {
        title: `simworld: accuracy against budget (${problems.length} problems, levels 1–5)`,
        columns: PRMS.length,
      },
    ),
  );
  writeAtomic(join(o.out, "report.md"), summary(reports, problems.length, sessions));
  process.stderr.write(
    `bench:sim ran ${ranNow} searches in ${((Date.now() - started) / 60_000).toFixed(1)} min; wrote ${join(o.out, "report.md")}\n`,
  );
}

function summary(
  reports: { policy: string; prm: (typeof PRMS)[number]; report: BenchReport }[],
  count: number,
  sessions: Session[],
): string {
  const minutes = sessions.reduce((a, x) => a + x.minutes, 0);
  const wall =
    `Wall time: ${minutes.toFixed(1)} min` +
    (sessions.length > 1 ? ` over ${sessions.length} sessions (resumed)` : "") +
    ` on a 2-core machine shared with other jobs.`;
  const lines = [
    "# bench:sim — test-time scaling on simworld",
    "",
    `Generated by \`npm run bench:sim\` (scripts/bench-sim.ts): ${count} simworld problems ` +
      `(${count / 5} per level 1–5, seed ${o.seed}), one seed per run, strategies ${STRATEGIES.join(", ")} at ` +
      `n = ${BUDGETS.join(", ")} (beam width ${search.beamWidth}, T = ${search.temperature}, ` +
      `aggregation ${search.aggregation}, answer selection ${search.selection}; majority vote by votes). ` +
      `simworld's ${o.world} world` +
      (o.http
        ? `, served in-process over HTTP (vLLM flavour, realistic latency model scaled by ${o.latencyScale}); `
        : `, its models called in-process without HTTP or latency (test/simworld/direct.ts); `) +
      `${o.concurrency} searches in flight per policy, the three policies side by side. ` +
      `Majority vote uses no PRM, so its runs appear under both PRMs. ${wall} The time columns are ` +
      `wall time per search here: compare them within a table, not with real servers.`,
    "",
    "![accuracy against budget](accuracy.svg)",
    "",
    "## Which strategy wins where",
    "",
    "Best accuracy (%) per budget; ties joined with =.",
    "",
    `| policy | PRM | ${BUDGETS.map((n) => `n=${n}`).join(" | ")} |`,
    `| --- | --- | ${BUDGETS.map(() => "---").join(" | ")} |`,
  ];
  for (const { policy, prm, report } of reports)
    lines.push(
      `| ${policy} | ${prm.model} | ${BUDGETS.map((n) => {
        const w = report.winners.find((x) => x.n === n && x.level === "all");
        return w ? `${w.strategies.join(" = ")} (${pct(w.accuracy)})` : "–";
      }).join(" | ")} |`,
    );
  lines.push(
    "",
    "## Accuracy (%) by strategy and budget",
    "",
    `| policy | PRM | strategy | ${BUDGETS.map((n) => `n=${n}`).join(" | ")} | tokens/problem at n=${BUDGETS.at(-1)} |`,
    `| --- | --- | --- | ${BUDGETS.map(() => "--:").join(" | ")} | --: |`,
  );
  for (const { policy, prm, report } of reports)
    for (const strategy of STRATEGIES) {
      const cells = BUDGETS.map((n) => report.cells.find((c) => c.strategy === strategy && c.n === n)!);
      lines.push(
        `| ${policy} | ${prm.model} | ${strategy} | ${cells.map((c) => (c.runs ? pct(c.accuracy) : "–")).join(" | ")} | ` +
          `${Math.round(cells.at(-1)!.meanTokens)} |`,
      );
    }
  lines.push("", "## By difficulty: best strategy per level", "");
  lines.push(
    `| policy | PRM | n | ${[1, 2, 3, 4, 5].map((l) => `level ${l}`).join(" | ")} |`,
    `| --- | --- | --: | ${[1, 2, 3, 4, 5].map(() => "---").join(" | ")} |`,
  );
  for (const { policy, prm, report } of reports)
    for (const n of [BUDGETS[0]!, BUDGETS.at(-1)!])
      lines.push(
        `| ${policy} | ${prm.model} | ${n} | ${[1, 2, 3, 4, 5]
          .map((level) => {
            const w = report.winners.find((x) => x.n === n && x.level === level);
            return w ? `${w.strategies.join(" = ")} (${pct(w.accuracy)})` : "–";
          })
          .join(" | ")} |`,
      );
  lines.push("", "## Per setup", "");
  for (const { report } of reports) lines.push(reportMarkdown(report, { heading: "###" }), "");
  return lines.join("\n");
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
