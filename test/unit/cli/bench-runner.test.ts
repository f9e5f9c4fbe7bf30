import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exactAnswerKey } from "../../../src/core/index.js";
import type { BenchProblem } from "../../../src/cli/bench/data.js";
import { parseProblems } from "../../../src/cli/bench/data.js";
import { checkPlan } from "../../../src/app/plan-check.js";
import { planJobs, runBench, type BenchProgress } from "../../../src/cli/bench/runner.js";
import { SET_VERIFIER_FLAGS } from "../../../src/cli/config.js";

const checkGrid = (strategies: string[], budgets: number[], search: object, hasVerifier: boolean): void =>
  checkPlan({ strategies, budgets, search, hasVerifier }, SET_VERIFIER_FLAGS);
import { RunStore, STORE_FILE, type BenchSetup } from "../../../src/cli/bench/store.js";
import { ToyPolicy, ToyVerifier, toyAnswer, toyProblem } from "../core/toy-world.js";

const problems: BenchProblem[] = [
  { start: 1, ops: [2, 3] },
  { start: 5, ops: [1, 1, 1] },
  { start: -2, ops: [4] },
  { start: 7, ops: [2, 2, 2, 2] },
].map((p, i) => ({
  id: `toy-${i}`,
  problem: toyProblem(p).text,
  answer: String(toyAnswer(p)),
  level: 1 + (i % 2),
}));

const setup: BenchSetup = { policy: "toy-policy-1b", verifier: "http:toy-prm-1b", search: {} };

function bench(
  dir: string,
  policy: ToyPolicy,
  extra: { signal?: AbortSignal; onRecord?: () => void; onProgress?: (p: BenchProgress) => void } = {},
) {
  const store = RunStore.open(dir, setup);
  return runBench({
    problems,
    strategies: ["majority", "beam"],
    budgets: [4, 8],
    seeds: [0],
    search: { beamWidth: 4 },
    policy,
    verifier: new ToyVerifier(),
    answerKey: exactAnswerKey,
    grade: (gold, pred) => gold === pred,
    store,
    concurrency: 2,
    ...extra,
  }).finally(() => store.close());
}

test("the problem set reads MATH-500 and simworld shapes and names bad lines", () => {
  const ps = parseProblems(
    [
      JSON.stringify({ problem: "1+1?", answer: "2", level: "Level 3", unique_id: "test/a.json" }),
      "",
      JSON.stringify({ problem: "2+2?", answer: 4, level: 2, id: "b" }),
      JSON.stringify({ problem: "3+3?", answer: "6" }),
    ].join("\n"),
    "set.jsonl",
  );
  assert.deepEqual(ps, [
    { id: "test/a.json", problem: "1+1?", answer: "2", level: 3 },
    { id: "b", problem: "2+2?", answer: "4", level: 2 },
    { id: "line-4", problem: "3+3?", answer: "6", level: null },
  ]);
  assert.throws(() => parseProblems('{"problem":"x"}', "s.jsonl"), /s\.jsonl line 1 has no "answer"/);
  assert.throws(
    () => parseProblems('{"problem":"x","answer":"1","id":1}\n{"problem":"y","answer":"1","id":1}', "s"),
    /repeats the id/,
  );
});

test("the grid is checked before any request", () => {
  assert.throws(
    () => checkGrid(["beam"], [6], { beamWidth: 4 }, true),
    /n \(6\) must be a multiple of beamWidth/,
  );
  assert.throws(() => checkGrid(["dvts"], [4], {}, false), /dvts needs a verifier/);
  assert.equal(planJobs(problems, ["majority", "beam"], [4, 8], [0, 1]).length, 4 * 2 * 2 * 2);
});

test("every combination runs once, graded, with its cost", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-bench-"));
  let maxInFlight = 0;
  const out = await bench(dir, new ToyPolicy({ errorRate: 0.2 }), {
    onProgress: (p) => (maxInFlight = Math.max(maxInFlight, p.inFlight)),
  });
  assert.equal(out.total, 16);
  assert.equal(out.done, 16);
  assert.equal(out.failed, 0);
  assert.ok(maxInFlight <= 2 && maxInFlight >= 1);
  const store = RunStore.open(dir, setup);
  const records = store.records();
  store.close();
  assert.equal(records.length, 16);
  for (const r of records) {
    assert.equal(r.correct, r.answer === r.gold);
    assert.ok(r.cost.policy.requests > 0);
    assert.equal(r.cost.verifier.requests > 0, r.strategy === "beam", "majority vote does not score");
  }
  assert.equal(out.correct, records.filter((r) => r.correct).length);
  assert.ok(out.correct >= 10, `a 20% step error rate should still solve most (${out.correct}/16)`);
});

test("an interrupted bench resumes without redoing finished runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-bench-"));
  const controller = new AbortController();
  let recorded = 0;
  const first = await bench(
    dir,
    new ToyPolicy({ errorRate: 0.2, gate: () => new Promise((r) => setTimeout(r, 1)) }),
    {
      signal: controller.signal,
      onRecord: () => {
        if (++recorded === 5) controller.abort();
      },
    },
  );
  assert.equal(first.aborted, true);
  assert.ok(first.done >= 5 && first.done < 16, `stopped after ${first.done}`);
  const policy = new ToyPolicy({ errorRate: 0.2 });
  const second = await bench(dir, policy);
  assert.equal(second.skipped, first.done);
  assert.equal(second.done, 16);
  const lines = readFileSync(join(dir, STORE_FILE), "utf8").trimEnd().split("\n");
  assert.equal(lines.length, 1 + 16, "each run is recorded exactly once");
  const keys = lines.slice(1).map((l) => (JSON.parse(l) as { key: string }).key);
  assert.equal(new Set(keys).size, 16);
  // A third pass finds everything done and makes no request.
  const idle = new ToyPolicy({ errorRate: 0.2 });
  const third = await bench(dir, idle);
  assert.equal(third.skipped, 16);
  assert.equal(idle.calls.length, 0);
});
