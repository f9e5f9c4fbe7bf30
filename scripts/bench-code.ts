// `npm run bench:code`: `bench --kind code` against simworld's code world over HTTP, on
// HumanEval (and MBPP with --data data/mbpp-sanitized.jsonl), with real execution of every
// candidate. Starts its own simworld so the run is one command; rerun resumes.
// Flags: --data, --out, --policy (a simworld policy), --seeds, --n, --limit.
import { parseArgs } from "node:util";
import { benchCode } from "../src/cli/bench/code.js";
import { parseBudgets, parseSeeds } from "../src/cli/bench/command.js";
import { startSimworld } from "../test/simworld/index.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "data/humaneval.jsonl" },
    out: { type: "string", default: "bench/results/code-humaneval" },
    policy: { type: "string", default: "sim-policy-1.5b" },
    seeds: { type: "string", default: "3" },
    n: { type: "string", default: "1,2,4,8" },
    limit: { type: "string" },
    title: { type: "string" },
  },
});

async function main(): Promise<void> {
  const sim = await startSimworld({ flavour: "vllm", port: 0, seed: 1 });
  try {
    process.exitCode = await benchCode({
      data: values.data!,
      out: values.out!,
      budgets: parseBudgets(values.n!),
      seeds: parseSeeds(values.seeds!),
      ...(values.limit ? { limit: Number(values.limit) } : {}),
      concurrency: 2,
      title: values.title ?? `${values.data} — ${values.policy} (simworld code world)`,
      settingFlags: { policyUrl: sim.url, policyModel: values.policy },
    });
  } finally {
    await sim.close();
  }
}

void main();
