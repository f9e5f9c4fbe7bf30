// `npm run bench:auto`: how well Auto chooses. Starts simworld in-process (vLLM flavour,
// realistic latency, time-compressed), exports a problem set with all five levels, and for the
// 0.5b and 7b simulated policies with the strong PRM runs Auto and the four fixed methods at
// each budget. Prints, per budget: Auto's accuracy, the best single fixed method chosen in
// hindsight, the oracle that picks the best method per difficulty bucket in hindsight (buckets
// from Auto's own probe), and the mean compute of each. Writes bench/results/auto/report.md.
// Resumable: runs are kept under bench/results/auto/runs/.
import { setMaxListeners } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { compareAuto, comparisonMarkdown } from "../src/cli/auto-analysis.js";
import { writeAtomic } from "../src/cli/bench/output.js";
import { ProgressBar } from "../src/cli/bench/progress.js";
import { runBench, type BenchProgress } from "../src/cli/bench/runner.js";
import { RunStore, type BenchSetup } from "../src/cli/bench/store.js";
import { mathGrading } from "../src/cli/grading.js";
import { DEFAULT_SEARCH_CONFIG, type StrategyId } from "../src/core/index.js";
import { createPolicy, createVerifier } from "../src/endpoints/index.js";
import { generateProblems, PRMS, startSimworld } from "../test/simworld/index.js";

const POLICIES = ["sim-policy-0.5b", "sim-policy-7b"];
const PRM = "sim-prm-qwen";
const METHODS = ["majority", "best-of-n", "beam", "dvts"] as const;
const STRATEGIES: StrategyId[] = ["auto", ...METHODS];

const o = new Command()
  .name("bench-auto")
  .option("--count <k>", "problems (a multiple of 5 keeps the levels even)", Number, 40)
  .option("--seed <s>", "problem-set seed", Number, 2026)
  .option("--n <list>", "budgets", "4,16,64")
  .option("--latency-scale <x>", "multiplies simworld's realistic latency model", Number, 0.05)
  .option("--concurrency <k>", "searches in flight per policy", Number, 8)
  .option("--out <dir>", "output folder", "bench/results/auto")
  .parse()
  .opts<{ count: number; seed: number; n: string; latencyScale: number; concurrency: number; out: string }>();

const budgets = o.n.split(",").map(Number);
const search = {
  beamWidth: DEFAULT_SEARCH_CONFIG.beamWidth,
  maxSteps: DEFAULT_SEARCH_CONFIG.maxSteps,
  temperature: DEFAULT_SEARCH_CONFIG.temperature,
  aggregation: DEFAULT_SEARCH_CONFIG.aggregation,
  selection: DEFAULT_SEARCH_CONFIG.selection,
};

async function main(): Promise<void> {
  const started = Date.now();
  const sim = await startSimworld({
    flavour: "vllm",
    latency: "realistic",
    latencyScale: o.latencyScale,
    seed: 7,
  });
  mkdirSync(o.out, { recursive: true });
  const problems = generateProblems({ count: o.count, seed: o.seed });
  writeFileSync(join(o.out, "problems.jsonl"), problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  process.on("SIGINT", () => (controller.signal.aborted ? process.exit(130) : controller.abort()));
  const grading = mathGrading();
  const verifier = await createVerifier({
    baseUrls: [sim.url],
    model: PRM,
    kind: "vllm-pooling",
    concurrency: 256,
  });
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true);
  const parts = new Map<string, BenchProgress>();
  const total = POLICIES.length * problems.length * STRATEGIES.length * budgets.length;

  const sections: string[] = [];
  // The policies have their own simulated engines, so they run side by side.
  const results = await Promise.all(
    POLICIES.map(async (policyModel) => {
      const setup: BenchSetup = { policy: policyModel, verifier: `vllm-pooling:${PRM}`, search };
      const store = RunStore.open(join(o.out, "runs", policyModel), setup);
      try {
        const policy = await createPolicy({
          baseUrls: [sim.url],
          model: policyModel,
          apiStyle: "auto",
          concurrency: 256,
        });
        await runBench({
          problems: problems.map((p) => ({ id: p.id, problem: p.problem, answer: p.answer, level: p.level })),
          strategies: STRATEGIES,
          budgets,
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
          verifierParams: PRMS.find((m) => m.id === PRM)?.params ?? null,
          signal: controller.signal,
          onProgress: (p) => {
            parts.set(policyModel, p);
            const sum = (k: keyof BenchProgress): number => [...parts.values()].reduce((a, x) => a + x[k], 0);
            bar.update({
              total,
              done: sum("done"),
              skipped: sum("skipped"),
              failed: sum("failed"),
              inFlight: sum("inFlight"),
              correct: sum("correct"),
            });
          },
        });
        return { policyModel, records: store.records() };
      } finally {
        store.close();
      }
    }),
  );
  bar.finish();
  await sim.close();
  if (controller.signal.aborted) {
    process.stderr.write("Interrupted; rerun to finish (finished runs are kept).\n");
    process.exitCode = 130;
    return;
  }
  for (const { policyModel, records } of results)
    sections.push(
      `## ${policyModel} with the strong PRM (${PRM})\n\n${comparisonMarkdown(compareAuto(records, METHODS))}`,
    );
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const report = [
    "# bench:auto — does Auto choose well?",
    "",
    `Generated by \`npm run bench:auto\` (scripts/bench-auto.ts): ${problems.length} simworld problems ` +
      `(${problems.length / 5} per level 1–5, seed ${o.seed}), one seed, budgets n = ${budgets.join(", ")}; ` +
      `Auto with the built-in table and early stop, against ${METHODS.join(", ")} (beam width ${search.beamWidth}, ` +
      `T = ${search.temperature}, aggregation ${search.aggregation}, selection ${search.selection}). simworld in-process, ` +
      `vLLM flavour, realistic latency scaled by ${o.latencyScale}. This run: ${minutes} min on a 2-core machine ` +
      `(only runs not already stored were run). "Best fixed" is the single method with the best accuracy at that budget, ` +
      `chosen after the fact; the "oracle" picks the best method per difficulty bucket after the fact, with each problem's ` +
      `bucket taken from Auto's own probe at that budget. Compute is the mean per problem (policy + PRM tokens; FLOPs = 2 × parameters × tokens).`,
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
  writeAtomic(join(o.out, "report.md"), report);
  process.stdout.write(report + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
