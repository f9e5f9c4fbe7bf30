// A bench whose runs fail says so: a nonzero exit code, failed runs not counted as done on
// resume, and the verifier's failures in the report's failures column.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { startCli } from "./cli-helpers.js";

let policySim: Simworld;
let prmSim: Simworld;
const dir = mkdtempSync(join(tmpdir(), "tts-bench-failures-"));
const data = join(dir, "problems.jsonl");

before(async () => {
  policySim = await startSimworld({ flavour: "vllm", port: 0, seed: 2 });
  // Every scoring request is refused, so every verifier call fails after its retries.
  prmSim = await startSimworld({ flavour: "vllm", port: 0, seed: 2, faults: "503=1" });
  const problems = generateProblems({ count: 2, seed: 8, levels: [1] });
  writeFileSync(data, problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
});
after(async () => {
  await policySim.close();
  await prmSim.close();
});

function bench(out: string): ReturnType<typeof startCli> {
  return startCli([
    "bench",
    "--data",
    data,
    "--out",
    out,
    "--strategies",
    "best-of-n",
    "--n",
    "2",
    "--policy-url",
    policySim.url,
    "--policy-model",
    "sim-policy-7b",
    "--verifier",
    "vllm-pooling",
    "--verifier-url",
    prmSim.url,
    "--verifier-model",
    "sim-prm-qwen",
    "--max-retries",
    "0",
  ]);
}

test("runs whose verifier calls all fail: exit 1, the failures column, and a resume that runs them again", async () => {
  const out = join(dir, "out");
  const first = bench(out);
  const a = await first.exited;
  assert.equal(a.code, 1, first.stderr());
  assert.match(first.stderr(), /2 runs failed/);
  const report = readFileSync(join(out, "report.md"), "utf8");
  // 2 problems × n = 2: four paths lost to the verifier.
  assert.match(report, /\| best-of-n \| 2 \| 0\.0 \| .* \| 2 \| 2 \| 4 \|/);
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
    problems: { runs: { error?: string; failures?: { role: string; message: string; paths: number }[] }[] }[];
  };
  const run = results.problems[0]!.runs[0]!;
  assert.match(run.error ?? "", /verifier calls failed/);
  assert.equal(run.failures?.[0]?.role, "verifier");
  assert.match(run.failures?.[0]?.message ?? "", /HTTP 503/);

  const second = bench(out);
  const b = await second.exited;
  assert.equal(b.code, 1);
  assert.match(second.stderr(), /Resuming: 0 runs already done in .*; 2 failed runs are run again\./);
});

test("--out naming a file fails in words, not with a raw EEXIST", async () => {
  const file = join(dir, "a-file.txt");
  writeFileSync(file, "x\n");
  const child = bench(file);
  const { code } = await child.exited;
  assert.notEqual(code, 0);
  assert.match(child.stderr(), /is a file, not a folder/);
  assert.doesNotMatch(child.stderr(), /EEXIST|at .*\.ts:\d+/);
});
