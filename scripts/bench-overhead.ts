// `npm run bench:overhead`: how much the controller adds to what the servers allow. Runs beam
// (N = 16, 64, 256; M = 2, 4), DVTS and best-of-N with the product's default client settings
// (whole responses, as the CLI's --json, bench and calibrate ask; --stream for the panel's streams)
// against simworld (vLLM flavour, realistic latency model) and compares each run's wall time
// with the ideal schedule simworld's own latency model allows for the work actually done
// (the derivation is in overhead-ideal.ts and the README's "Performance" section). Prints
// wall / ideal per case and writes bench/results/overhead/results.json; then the CLI's own CPU
// per beam-64 run (overhead-cli-cpu.ts), against an earlier build with --baseline, written to
// cli-cpu.json beside it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { runSearch, type Policy, type StrategyId } from "../src/core/index.js";
import { createPolicy, createVerifier } from "../src/endpoints/index.js";
import { generateProblems, MODELS, startSimworld } from "../test/simworld/index.js";
import type { EngineWork } from "../test/simworld/engine.js";
import { idealMs, type EngineSpec } from "./overhead-ideal.js";
import { cliRun, type CliCpu } from "./overhead-cli-cpu.js";

const POLICY = "sim-policy-0.5b";
const PRM = "sim-prm-qwen";
const SLOTS = 32; // simworld's vLLM default

interface Case {
  name: string;
  strategy: StrategyId;
  n: number;
  beamWidth?: number;
}
const CASES: Case[] = [
  ...[16, 64, 256].flatMap((n) =>
    [4, 2].map((m) => ({ name: `beam N=${n} M=${m}`, strategy: "beam" as const, n, beamWidth: m })),
  ),
  { name: "dvts N=64 M=4", strategy: "dvts", n: 64, beamWidth: 4 },
  { name: "best-of-n N=64", strategy: "best-of-n", n: 64 },
];

const o = new Command()
  .name("bench-overhead")
  .option("--problems <k>", "problems per case", Number, 3)
  .option("--repeats <k>", "runs per problem (sampling seeds 1..k)", Number, 3)
  .option("--latency-scale <x>", "multiplies simworld's latency model", Number, 0.5)
  .option("--cases <substring>", "only the cases whose name contains this", "")
  .option("--out <dir>", "output folder", "bench/results/overhead")
  .option(
    "--stream",
    "stream policy tokens, as the VS Code panel does (default: whole responses, as the CLI's --json, bench and calibrate ask)",
  )
  .option("--cli-runs <k>", "CLI CPU: solve --json runs per CLI (0: skip)", Number, 5)
  .option("--baseline <dir>", "CLI CPU: also run the built CLI of this checkout (an earlier commit)")
  .parse()
  .opts<{
    problems: number;
    repeats: number;
    latencyScale: number;
    cases: string;
    out: string;
    cliRuns: number;
    baseline?: string;
    stream?: boolean;
  }>();

export interface CaseResult {
  case: string;
  wallMs: number;
  idealMs: number;
  ratio: number;
  /** The looser estimate earlier stops used (overhead-ideal.ts), and wall / bound. */
  boundMs: number;
  boundRatio: number;
  policyRequests: number;
  verifierRequests: number;
  rounds: number;
  cpuMs: number;
}

type Run = Omit<CaseResult, "case" | "ratio" | "boundRatio">;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function spec(model: string): EngineSpec {
  const m = MODELS.find((x) => x.id === model);
  if (!m) throw new Error(`simworld has no ${model}`);
  return {
    prefillMsPerToken: m.prefillMsPerToken * o.latencyScale,
    decodeMsPerToken: m.decodeMsPerToken * o.latencyScale,
    requestMs: 2 * o.latencyScale,
    slots: SLOTS,
  };
}

/** One search on a fresh server (an empty prefix cache), measured. */
async function runOnce(c: Case, problem: string, seed: number): Promise<Run> {
  const work: EngineWork[] = [];
  const sim = await startSimworld({
    flavour: "vllm",
    port: 0,
    latency: "realistic",
    latencyScale: o.latencyScale,
    seed: 7,
    onWork: (w) => work.push(w),
  });
  try {
    const policy = await createPolicy({
      baseUrls: [sim.url],
      model: POLICY,
      apiStyle: "auto",
      stream: o.stream === true,
    });
    const verifier = await createVerifier({ baseUrls: [sim.url], model: PRM, kind: "vllm-pooling" });
    // A round starts with the first policy call that continues a path of its depth: beam's
    // rounds are barriers, so every request until the next round's first call is this round's.
    const roundStarts = new Map<number, number>();
    const watched: Policy = Object.create(policy) as Policy;
    watched.expand = (req) => {
      if (!roundStarts.has(req.prefix.length)) roundStarts.set(req.prefix.length, performance.now());
      return policy.expand(req);
    };
    work.length = 0; // the probes of createPolicy/createVerifier are not the search's work
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await runSearch({
      problem: { id: "p", text: problem },
      policy: watched,
      verifier,
      config: { strategy: c.strategy, n: c.n, seed, ...(c.beamWidth ? { beamWidth: c.beamWidth } : {}) },
    });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (result.aborted) throw new Error(`${c.name}: the search was aborted`);
    const starts = [...roundStarts.values()].sort((a, b) => a - b);
    const ideal = idealMs(work, starts, { policy: POLICY, verifier: PRM }, spec(POLICY), spec(PRM));
    return {
      wallMs,
      idealMs: ideal.ideal,
      boundMs: ideal.bound,
      // HTTP requests as the run counted them (a batched /pooling request is one, though its
      // inputs are separate sequences in the work above).
      policyRequests: result.cost.policy.requests,
      verifierRequests: result.cost.verifier.requests,
      rounds: starts.length,
      cpuMs: (used.user + used.system) / 1000,
    };
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const problems = generateProblems({ count: o.problems, seed: 2025 }).map((p) => p.problem);
  const results: CaseResult[] = [];
  const pad = (s: string | number, w: number): string => String(s).padStart(w);
  process.stdout.write(
    `${"case".padEnd(16)} ${pad("wall ms", 8)} ${pad("ideal ms", 8)} ${pad("ratio", 6)} ` +
      `${pad("bound", 6)} ${pad("rounds", 6)} ${pad("policy/rd", 9)} ${pad("PRM/rd", 7)} ${pad("CPU ms", 7)}\n`,
  );
  // One untimed run first, so the first case does not pay for JIT warm-up.
  await runOnce(CASES[0]!, problems[0]!, 0);
  for (const c of CASES.filter((x) => x.name.includes(o.cases))) {
    const runs: Run[] = [];
    for (const p of problems)
      for (let seed = 1; seed <= o.repeats; seed++) runs.push(await runOnce(c, p, seed));
    // Medians per field; the ratio is the median of the runs' ratios.
    const m = (k: keyof Run): number => median(runs.map((r) => r[k]));
    const r: CaseResult = {
      case: c.name,
      wallMs: Math.round(m("wallMs")),
      idealMs: Math.round(m("idealMs")),
      ratio: Number(median(runs.map((x) => x.wallMs / x.idealMs)).toFixed(3)),
      boundMs: Math.round(m("boundMs")),
      boundRatio: Number(median(runs.map((x) => x.wallMs / x.boundMs)).toFixed(3)),
      policyRequests: m("policyRequests"),
      verifierRequests: m("verifierRequests"),
      rounds: m("rounds"),
      cpuMs: Math.round(m("cpuMs")),
    };
    results.push(r);
    process.stdout.write(
      `${c.name.padEnd(16)} ${pad(r.wallMs, 8)} ${pad(r.idealMs, 8)} ${pad(r.ratio.toFixed(2), 6)} ` +
        `${pad(r.boundRatio.toFixed(2), 6)} ` +
        `${pad(r.rounds, 6)} ${pad((r.policyRequests / r.rounds).toFixed(1), 9)} ` +
        `${pad((r.verifierRequests / r.rounds).toFixed(1), 7)} ${pad(r.cpuMs, 7)}\n`,
    );
  }
  const cpu = o.cliRuns > 0 ? await cliCpu(problems) : null;
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, "results.json");
  writeFileSync(file, JSON.stringify(results, null, 1) + "\n");
  if (cpu) writeFileSync(join(o.out, "cli-cpu.json"), JSON.stringify(cpu, null, 1) + "\n");
  process.stderr.write(
    `median of ${o.problems} problems × ${o.repeats} seeds per case, latency scale ${o.latencyScale}, ` +
      `${o.stream ? "streamed" : "whole responses"}; wrote ${file}\n`,
  );
}

export interface CpuResult {
  case: string;
  cliCpuMs: number;
  serverCpuMs: number;
  /** CLI CPU over simworld's CPU in the same runs. */
  cpuRatio: number;
}

/** CLI CPU per beam-64 run (latency none): this build, and the baseline's, run alternately. */
async function cliCpu(problems: string[]): Promise<CpuResult[]> {
  const clis = [{ name: "CLI beam N=64 M=4", path: "dist/cli.js" }];
  if (o.baseline) clis.push({ name: "baseline CLI", path: join(o.baseline, "dist/cli.js") });
  const runs = new Map<string, CliCpu[]>(clis.map((c) => [c.name, []]));
  for (let i = 0; i < o.cliRuns; i++)
    for (const c of clis) runs.get(c.name)!.push(await cliRun(c.path, problems[i % problems.length]!, 1 + i));
  process.stdout.write(
    `\n${"CLI solve --json".padEnd(20)} ${"CPU ms".padStart(7)} ${"simworld".padStart(8)} ${"ratio".padStart(6)}\n`,
  );
  return clis.map((c) => {
    const rs = runs.get(c.name)!;
    const r: CpuResult = {
      case: c.name,
      cliCpuMs: Math.round(median(rs.map((x) => x.cliMs))),
      serverCpuMs: Math.round(median(rs.map((x) => x.serverMs))),
      cpuRatio: Number(median(rs.map((x) => x.cliMs / x.serverMs)).toFixed(2)),
    };
    process.stdout.write(
      `${c.name.padEnd(20)} ${String(r.cliCpuMs).padStart(7)} ${String(r.serverCpuMs).padStart(8)} ${r.cpuRatio.toFixed(2).padStart(6)}\n`,
    );
    return r;
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
