import assert from "node:assert/strict";
import { test } from "node:test";
import { calibrationTable, compareAuto } from "../../../src/cli/auto-analysis.js";
import type { RunRecord } from "../../../src/cli/bench/store.js";
import { emptyCost, type StrategyId } from "../../../src/core/index.js";

function rec(
  problemId: string,
  strategy: StrategyId,
  correct: boolean,
  flops: number,
  auto?: RunRecord["auto"],
): RunRecord {
  const cost = emptyCost();
  cost.flops = flops;
  cost.policy.completionTokens = flops / 10;
  return {
    key: `${problemId}|${strategy}`,
    problemId,
    level: 1,
    strategy,
    n: 4,
    seed: 0,
    gold: "1",
    answer: correct ? "1" : "2",
    correct,
    candidates: 4,
    cost,
    ...(auto ? { auto } : {}),
    finishedAt: "",
  };
}

// p1, p2 easy by the probe; p3 hard. Easy: best-of-n and beam both 2/2, best-of-n cheaper.
// Hard: only beam is right. Auto got p1 and p3 right.
const records: RunRecord[] = [
  rec("p1", "auto", true, 50, { method: "best-of-n", bucket: "easy", budgetSaved: 2 }),
  rec("p2", "auto", false, 50, { method: "best-of-n", bucket: "easy", budgetSaved: 0 }),
  rec("p3", "auto", true, 70, { method: "beam", bucket: "hard", budgetSaved: 0 }),
  ...["p1", "p2"].flatMap((p) => [
    rec(p, "best-of-n", true, 40),
    rec(p, "beam", true, 90),
    rec(p, "majority", false, 10),
  ]),
  rec("p3", "best-of-n", false, 40),
  rec("p3", "beam", true, 90),
  rec("p3", "majority", false, 10),
];
const methods = ["majority", "best-of-n", "beam"] as const;

// Calibration needs three items in a bucket: p4 is easy too, p5 medium; only beam got p4.
const calibrationRecords: RunRecord[] = [
  ...records,
  rec("p4", "auto", true, 50, { method: "best-of-n", bucket: "easy", budgetSaved: 0 }),
  rec("p4", "best-of-n", true, 40),
  rec("p4", "beam", true, 90),
  rec("p4", "majority", true, 10),
  rec("p5", "auto", true, 50, { method: "beam", bucket: "medium", budgetSaved: 0 }),
  rec("p5", "majority", true, 10),
];

test("calibration picks the most accurate method per probe bucket, the cheaper on a tie", () => {
  const { table, scores } = calibrationTable(
    calibrationRecords,
    methods,
    { beamWidth: 4, aggregation: "last", selection: "prm-vote" },
    { policy: "p", verifier: "v" },
    new Date(0),
  );
  assert.equal(table.plans.easy?.method, "best-of-n");
  assert.equal(table.plans.hard, undefined, "one hard problem decides nothing: the built-in entry stays");
  assert.equal(table.plans.medium, undefined, "one medium problem decides nothing either");
  assert.equal(scores.hard[0]?.method, "beam", "though beam was best on it");
  assert.deepEqual(
    scores.easy.map((s) => [s.method, s.accuracy]),
    [
      ["best-of-n", 1],
      ["beam", 1],
      ["majority", 1 / 3],
    ],
  );
});

test("the Auto comparison: best fixed in hindsight, and the per-bucket oracle", () => {
  const [row] = compareAuto(records, methods);
  assert.ok(row);
  assert.equal(row.auto.accuracy, 2 / 3);
  assert.equal(row.auto.budgetSaved, 2 / 3);
  assert.equal(row.bestFixed.method, "beam");
  assert.equal(row.bestFixed.accuracy, 1);
  assert.deepEqual(row.oracle.choice, { easy: "best-of-n", hard: "beam" });
  assert.equal(row.oracle.accuracy, 1);
  assert.equal(row.oracle.meanFlops, (40 + 40 + 90) / 3);
  assert.deepEqual(row.autoChoices, {
    easy: { runs: 2, method: "best-of-n" },
    hard: { runs: 1, method: "beam" },
  });
});

test("calibration measures every method at every budget per bucket, for Auto to choose by compute", () => {
  const { table } = calibrationTable(
    calibrationRecords,
    methods,
    { beamWidth: 4, aggregation: "last", selection: "prm-vote" },
    { policy: "p", verifier: "v" },
    new Date(0),
  );
  // Only the easy bucket has three items (p1, p2, p4) at n = 4.
  assert.deepEqual(Object.keys(table.byBudget ?? {}), ["4"]);
  assert.deepEqual(Object.keys(table.byBudget?.["4"] ?? {}), ["easy"]);
  assert.deepEqual(
    table.byBudget?.["4"]?.easy?.map((o) => [o.method, o.n, o.accuracy, o.flops, o.runs]),
    [
      ["majority", 4, 1 / 3, 10, 3],
      ["best-of-n", 4, 1, 40, 3],
      ["beam", 4, 1, 90, 3],
    ],
  );
});

test("the oracle's buckets can come from other Auto runs than the compared ones", () => {
  // Auto chose without a probe (no bucket); a probing run puts every problem in "hard".
  const blind = records.map((r) =>
    r.strategy === "auto" ? { ...r, auto: { ...r.auto!, bucket: null } } : r,
  );
  const probing = records
    .filter((r) => r.strategy === "auto")
    .map((r) => ({ ...r, auto: { ...r.auto!, bucket: "hard" as const } }));
  const [row] = compareAuto(blind, methods, probing);
  assert.deepEqual(row?.oracle.choice, { hard: "beam" });
  assert.deepEqual(row?.autoChoices, {});
});

test("calibration pairs each option with the reference on the same items, so equal means shown equal", () => {
  const { table } = calibrationTable(
    calibrationRecords,
    methods,
    { beamWidth: 4, aggregation: "last", selection: "prm-vote" },
    { policy: "p", verifier: "v" },
    new Date(0),
  );
  const easy = table.byBudget?.["4"]?.easy ?? [];
  // best-of-n and beam are both right on p1, p2, p4: the reference is the one that spends more
  // (beam), and best-of-n agrees with it on every item; majority is wrong where beam is right twice.
  assert.equal(easy.find((o) => o.method === "beam")?.paired, undefined);
  assert.deepEqual(easy.find((o) => o.method === "best-of-n")?.paired, {
    against: "beam@4",
    better: 0,
    worse: 0,
  });
  assert.deepEqual(easy.find((o) => o.method === "majority")?.paired, {
    against: "beam@4",
    better: 0,
    worse: 2,
  });
});
