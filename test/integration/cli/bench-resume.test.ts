// The bench survives Ctrl-C and a hard kill: rerunning completes without redoing finished runs.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { lineCount, startCli, waitFor } from "./cli-helpers.js";

let sim: Simworld;
const dir = mkdtempSync(join(tmpdir(), "tts-bench-resume-"));
const data = join(dir, "problems.jsonl");
const out = join(dir, "out");
const store = join(out, "runs.jsonl");
const TOTAL = 20 * 2 * 2;

before(async () => {
  // Realistic latency, so a run takes long enough to be caught in flight.
  sim = await startSimworld({ flavour: "vllm", port: 0, latency: "realistic", seed: 11 });
  const problems = generateProblems({ count: 20, seed: 5 });
  writeFileSync(data, problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
});
after(() => sim.close());

function bench(): ReturnType<typeof startCli> {
  return startCli([
    "bench",
    "--data",
    data,
    "--out",
    out,
    "--strategies",
    "majority,beam",
    "--n",
    "4,8",
    "--concurrency",
    "8",
    "--policy-url",
    sim.url,
    "--policy-model",
    "sim-policy-0.5b",
    "--verifier",
    "vllm-pooling",
    "--verifier-model",
    "sim-prm-qwen",
  ]);
}

function keys(): string[] {
  return readFileSync(store, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .slice(1)
    .map((l) => (JSON.parse(l) as { key: string }).key);
}

test("20 problems × 2 strategies × 2 budgets: SIGINT, then SIGKILL, then a rerun finishes the rest", async () => {
  const first = bench();
  await waitFor("10 finished runs", () => lineCount(store) >= 11);
  first.proc.kill("SIGINT");
  const a = await first.exited;
  assert.equal(a.code, 130, first.stderr());
  assert.match(first.stderr(), /Interrupted after \d+\/80 runs/);
  const afterInt = keys();
  assert.ok(afterInt.length >= 10 && afterInt.length < TOTAL, `${afterInt.length} runs after SIGINT`);
  assert.match(
    readFileSync(join(out, "report.md"), "utf8"),
    /\| majority \| 4 \|/,
    "the partial report is written",
  );

  const second = bench();
  await waitFor("10 more runs", () => lineCount(store) >= 1 + afterInt.length + 10);
  second.proc.kill("SIGKILL");
  await second.exited;
  assert.match(second.stderr(), new RegExp(`Resuming: ${afterInt.length} runs`));
  const afterKill = keys();
  assert.ok(afterKill.length < TOTAL, `the kill came too late (${afterKill.length} runs)`);
  assert.deepEqual(afterKill.slice(0, afterInt.length), afterInt, "finished runs are kept as they were");

  const third = bench();
  const c = await third.exited;
  assert.equal(c.code, 0, third.stderr());
  assert.match(third.stderr(), new RegExp(`Resuming: ${afterKill.length} runs`));
  assert.match(third.stderr(), new RegExp(`${afterKill.length} resumed`));
  const all = keys();
  assert.equal(all.length, TOTAL, "each run recorded once: nothing finished was redone");
  assert.equal(new Set(all).size, TOTAL);

  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
    problems: {
      runs: { answer: string | null; correct: boolean; cost: { policy: { requests: number } } }[];
    }[];
  };
  assert.equal(results.problems.length, 20);
  assert.ok(results.problems.every((p) => p.runs.length === 4));
  const correct = results.problems.flatMap((p) => p.runs).filter((r) => r.correct).length;
  assert.ok(correct > TOTAL / 2, `most answers are right (${correct}/${TOTAL})`);
  const report = readFileSync(join(out, "report.md"), "utf8");
  assert.match(report, /20 problems × 2 strategies × 2 budgets × 1 seed = 80 runs/);
  assert.match(third.stdout(), /\| beam \| 8 \|/);
  assert.match(readFileSync(join(out, "accuracy.svg"), "utf8"), /<polyline/);
});
