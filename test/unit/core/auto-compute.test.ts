// Auto's compute-optimal choice: the measured options of a calibrated table, the cheapest of the
// most accurate within the budget, and early stopping for every method.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseByCompute,
  measuredOptions,
  parseCalibratedTable,
  runSearch,
  type CalibratedTable,
  type MeasuredOption,
} from "../../../src/core/index.js";
import { toyAnswer, toyProblem, ToyPolicy, ToyVerifier } from "./toy-world.js";

const chain = { start: 2, ops: [3, 5, -4, 6] };
const problem = toyProblem(chain);
const opt = (
  method: MeasuredOption["method"],
  n: number,
  accuracy: number,
  flops: number,
): MeasuredOption => ({
  method,
  n,
  accuracy,
  flops,
  runs: 10,
});

describe("compute-optimal choice", () => {
  it("takes the most accurate option that fits the budget, the cheapest of equals", () => {
    const options = [
      opt("majority", 4, 0.6, 1e12),
      opt("beam", 16, 0.8, 9e12),
      opt("beam", 64, 0.8, 4e13),
      opt("dvts", 256, 0.9, 1e14),
    ];
    assert.deepEqual(chooseByCompute(options, 4), options[0]);
    // beam at 16 and at 64 are as accurate: the cheaper wins.
    assert.deepEqual(chooseByCompute(options, 64), options[1]);
    assert.deepEqual(chooseByCompute(options, 256), options[3]);
    assert.equal(chooseByCompute(options, 2), null);
    // Within half a point counts as equal; a point apart does not.
    assert.equal(
      chooseByCompute([opt("beam", 4, 0.804, 9e12), opt("majority", 4, 0.8, 1e12)], 4)?.method,
      "majority",
    );
    assert.equal(
      chooseByCompute([opt("beam", 4, 0.81, 9e12), opt("majority", 4, 0.8, 1e12)], 4)?.method,
      "beam",
    );
  });

  it("reads the options of the largest calibrated budget not above Auto's", () => {
    const table = parseCalibratedTable({
      version: 1,
      policy: "p",
      verifier: "v",
      plans: {},
      byBudget: { "4": { hard: [opt("majority", 4, 0.1, 1)] }, "16": { hard: [opt("beam", 16, 0.5, 2)] } },
    });
    assert.equal(measuredOptions(table, "hard", 8)?.[0]?.method, "majority");
    assert.equal(measuredOptions(table, "hard", 64)?.[0]?.method, "beam");
    assert.equal(measuredOptions(table, "easy", 64), null);
    assert.equal(measuredOptions(null, "hard", 64), null);
    assert.throws(
      () =>
        parseCalibratedTable({ version: 1, plans: {}, byBudget: { "4": { hard: [{ method: "x", n: 4 }] } } }),
      /byBudget\.4\.hard options need a method/,
    );
  });
});

function tableFor(options: MeasuredOption[], budget: number): CalibratedTable {
  const byBucket = { easy: options, medium: options, hard: options };
  return {
    version: 1,
    policy: "toy-policy-1b",
    verifier: "http:toy-prm-1b",
    plans: {},
    byBudget: { [budget]: byBucket },
  };
}

describe("Auto decides by compute", () => {
  it("spends only what the cheapest of the most accurate options needs, and reports the rest as saved", async () => {
    const policy = new ToyPolicy({ errorRate: 0.3 });
    const result = await runSearch({
      problem,
      policy,
      verifier: new ToyVerifier(),
      config: { strategy: "auto", n: 32, seed: 1, earlyStop: false },
      strategyTable: tableFor([opt("best-of-n", 8, 0.9, 1e12), opt("beam", 32, 0.9, 9e12)], 32),
    });
    const d = result.decision!;
    assert.equal(d.source, "calibrated");
    assert.equal(d.method, "best-of-n");
    assert.equal(d.budget, 8);
    assert.deepEqual(d.expected, { accuracy: 0.9, flops: 1e12 });
    assert.equal(
      policy.calls.reduce((a, c) => a + c.k, 0),
      8,
    );
    assert.equal(result.budgetSaved, 24);
    assert.match(d.reason, /best-of-n at n = 8 of 32 is the cheapest of the most accurate/);
  });

  it("stops before the tree search when the probe's vote is settled and its PRM scores are high", async () => {
    const policy = new ToyPolicy({ errorRate: 0 });
    const verifier = new ToyVerifier();
    const result = await runSearch({
      problem,
      policy,
      verifier,
      config: { strategy: "auto", n: 64, seed: 1 },
      strategyTable: tableFor([opt("beam", 64, 0.9, 9e12)], 64),
    });
    assert.equal(result.decision?.method, "beam");
    assert.equal(
      policy.calls.reduce((a, c) => a + c.k, 0),
      8,
      "only the probe ran",
    );
    assert.equal(result.budgetSaved, 56);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("runs DVTS in two waves and stops between them once the vote is settled", async () => {
    const reasons: string[] = [];
    const result = await runSearch({
      problem,
      policy: new ToyPolicy({ errorRate: 0.3 }),
      verifier: new ToyVerifier(),
      // A probe of 8 leaves 56: 14 subtrees of 4, in waves of 7.
      config: { strategy: "auto", n: 64, seed: 1 },
      strategyTable: tableFor([opt("dvts", 64, 0.9, 9e12)], 64),
      onEvent: (e) => {
        if (e.type === "early-stopped") reasons.push(e.reason);
      },
    });
    assert.equal(result.decision?.method, "dvts");
    assert.deepEqual(reasons, ["the vote is settled after 7 of 14 DVTS subtrees"]);
    assert.equal(result.budgetSaved, 28);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });
});
