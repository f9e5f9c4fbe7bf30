// Auto's compute-optimal choice: the measured options of a calibrated table, the cheapest of the
// most accurate within the budget, and early stopping for every method.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseByCompute,
  measuredOptions,
  parseCalibratedTable,
  pooledOptions,
  probeWorthIt,
  runSearch,
  type CalibratedTable,
  type ExpandRequest,
  type ExpandResult,
  type Problem,
  type ScoreResult,
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
    // Only exact ties go to the cheaper option; a looser tie can be asked for.
    const close = [opt("beam", 4, 0.804, 9e12), opt("majority", 4, 0.8, 1e12)];
    assert.equal(chooseByCompute(close, 4)?.method, "beam");
    assert.equal(chooseByCompute(close, 4, 0.005)?.method, "majority");
  });

  it("lets a cheaper option win only where the development set shows it as accurate (paired)", () => {
    // beam at 64 and at 256 tie exactly on 150 items, but disagree on 16 of them: the exact
    // tie says nothing, so the reference (the larger budget) stays.
    const ref = { ...opt("beam", 256, 0.85, 4e15), runs: 150 };
    const tied = {
      ...opt("beam", 64, 0.85, 1e15),
      runs: 150,
      paired: { against: "beam@256", better: 8, worse: 8 },
    };
    assert.equal(chooseByCompute([tied, ref], 256), ref);
    // Right and wrong on the same items but one: at most a point worse at a one-sided 95% bound.
    const same = { ...tied, accuracy: 0.843, paired: { against: "beam@256", better: 0, worse: 1 } };
    assert.equal(chooseByCompute([same, ref], 256), ref, "1 + 1.645 > 1.5 items of 150");
    const wide = { ...ref, runs: 300 };
    const agrees = { ...same, runs: 300, paired: { against: "beam@256", better: 0, worse: 1 } };
    assert.equal(chooseByCompute([agrees, wide], 256), agrees, "1 + 1.645 ≤ 3 items of 300");
    // Paired against another option than the reference: only an exact tie would count.
    assert.equal(
      chooseByCompute([{ ...agrees, paired: { against: "dvts@256", better: 0, worse: 0 } }, wide], 256),
      wide,
    );
    // Pooled over buckets, the counts add up where every bucket had the same reference.
    const table = parseCalibratedTable({
      version: 1,
      policy: "p",
      verifier: "v",
      plans: {},
      byBudget: { "256": { easy: [agrees, wide], medium: [agrees, wide] } },
    });
    const pooled = pooledOptions(table, 256)!;
    assert.deepEqual(pooled.find((o) => o.n === 64)?.paired, { against: "beam@256", better: 0, worse: 2 });
    assert.throws(
      () =>
        parseCalibratedTable({
          version: 1,
          plans: {},
          byBudget: {
            "4": { hard: [{ ...opt("beam", 4, 0.5, 1), paired: { against: "x", better: -1, worse: 0 } }] },
          },
        }),
      /if paired, counts ≥ 0/,
    );
  });

  it("probes only where a bucket's own pick beats the choice without a probe", () => {
    const runs = 300;
    const beam = (n: number, accuracy: number, flops: number, paired?: MeasuredOption["paired"]) => ({
      ...opt("beam", n, accuracy, flops),
      runs,
      ...(paired ? { paired } : {}),
    });
    const dvts = (n: number, accuracy: number, flops: number, paired?: MeasuredOption["paired"]) => ({
      ...opt("dvts", n, accuracy, flops),
      runs,
      ...(paired ? { paired } : {}),
    });
    const table = (medium: MeasuredOption[]): CalibratedTable => ({
      version: 1,
      policy: "p",
      verifier: "v",
      plans: {},
      byBudget: {
        "64": {
          easy: [beam(64, 0.99, 2e15), dvts(64, 0.96, 1.9e15, { against: "beam@64", better: 0, worse: 9 })],
          medium,
        },
      },
    });
    // Medium picks DVTS (a hair cheaper), but beam is shown as accurate there: nothing to buy.
    const same = table([
      beam(64, 1, 2e15),
      dvts(64, 1, 1.99e15, { against: "beam@64", better: 0, worse: 0 }),
    ]);
    assert.equal(chooseByCompute(same.byBudget!["64"]!.medium!, 64)?.method, "dvts");
    assert.equal(probeWorthIt(same, 64, 8), false);
    // Medium's DVTS is better than beam by more than the development set's noise: probe.
    const better = table([
      dvts(64, 0.95, 2e15),
      beam(64, 0.85, 2e15, { against: "dvts@64", better: 0, worse: 30 }),
    ]);
    assert.equal(probeWorthIt(better, 64, 8), true);
    // Medium's pick is as accurate and much cheaper than the pooled choice: probe.
    const cheaper = table([
      beam(64, 1, 2e15),
      { ...beam(16, 1, 5e14), paired: { against: "beam@64", better: 0, worse: 0 } },
    ]);
    assert.equal(probeWorthIt(cheaper, 64, 8), true);
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
    // A bucket the largest fitting budget did not see is not filled from a smaller one.
    const partial = parseCalibratedTable({ ...table, byBudget: { ...table.byBudget, "16": {} } });
    assert.equal(measuredOptions(partial, "hard", 64), null);
    assert.equal(measuredOptions(null, "hard", 64), null);
    // Pooled at 16: the buckets calibrated at 16 only (hard, missing there, is not filled from 4).
    const both = parseCalibratedTable({
      version: 1,
      policy: "p",
      verifier: "v",
      plans: {},
      byBudget: {
        "4": { hard: [opt("majority", 4, 0.1, 1)] },
        "16": {
          easy: [opt("beam", 16, 0.9, 2), opt("majority", 4, 0.5, 1)],
          medium: [opt("beam", 16, 0.6, 2)],
        },
      },
    });
    assert.deepEqual(
      pooledOptions(both, 16)?.map((o) => `${o.method}@${o.n}`),
      ["beam@16"],
    );
    assert.throws(
      () =>
        parseCalibratedTable({ version: 1, plans: {}, byBudget: { "4": { hard: [{ method: "x", n: 4 }] } } }),
      /byBudget\.4\.hard options need a method/,
    );
  });
});

function tableFor(
  options: MeasuredOption[],
  budget: number,
  other: Partial<Record<"easy" | "medium" | "hard", MeasuredOption[]>> = {},
): CalibratedTable {
  const byBucket = { easy: options, medium: options, hard: options, ...other };
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
    // Every bucket picks the same: no probe.
    assert.equal(d.bucket, null);
    assert.equal(d.probe.samples, 0);
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

  it("stops before sampling when the probe's vote is settled and its PRM scores are high", async () => {
    const policy = new ToyPolicy({ errorRate: 0 });
    const verifier = new ToyVerifier();
    const result = await runSearch({
      problem,
      policy,
      verifier,
      config: { strategy: "auto", n: 64, seed: 1 },
      // Another pick for medium and hard problems: the bucket matters, so the probe runs.
      strategyTable: tableFor([opt("best-of-n", 64, 0.9, 9e12)], 64, {
        medium: [opt("dvts", 64, 0.9, 9e12)],
        hard: [opt("dvts", 64, 0.9, 9e12)],
      }),
    });
    assert.equal(result.decision?.bucket, "easy");
    assert.equal(result.decision?.method, "best-of-n");
    assert.equal(
      policy.calls.reduce((a, c) => a + c.k, 0),
      8,
      "only the probe ran",
    );
    assert.equal(result.budgetSaved, 56);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("does not end a tree search on the probe: its later paths are not samples like the probe's", async () => {
    const policy = new ToyPolicy({ errorRate: 0 });
    const result = await runSearch({
      problem,
      policy,
      verifier: new ToyVerifier(),
      config: { strategy: "auto", n: 64, seed: 1 },
      strategyTable: tableFor([opt("beam", 64, 0.9, 9e12)], 64, {
        medium: [opt("dvts", 64, 0.9, 9e12)],
        hard: [opt("dvts", 64, 0.9, 9e12)],
      }),
    });
    assert.equal(result.decision?.method, "beam");
    // Eight agreeing probe samples weigh at most 8: the 56 beam paths to come could outweigh them.
    assert.ok(policy.calls.reduce((a, c) => a + c.k, 0) > 8);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("runs DVTS in two waves and stops between them once the vote is settled", async () => {
    const reasons: string[] = [];
    const result = await runSearch({
      problem,
      policy: new ToyPolicy({ errorRate: 0 }),
      verifier: new ToyVerifier(),
      // A probe of 8 leaves 56: 14 subtrees of 4, in waves of 7; 36 candidates that agree, with
      // high scores, outweigh the 28 still to come.
      config: { strategy: "auto", n: 64, seed: 1 },
      strategyTable: tableFor([opt("dvts", 64, 0.9, 9e12)], 64, { hard: [opt("beam", 64, 0.9, 9e12)] }),
      onEvent: (e) => {
        if (e.type === "early-stopped") reasons.push(e.reason);
      },
    });
    assert.equal(result.decision?.method, "dvts");
    assert.deepEqual(reasons, ["the vote is settled after 7 of 14 DVTS subtrees"]);
    assert.equal(result.budgetSaved, 28);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("chooses without a probe when the probe would take more than an eighth of the budget", async () => {
    const table = tableFor([opt("beam", 4, 0.7, 6e13), opt("majority", 4, 0.5, 1e12)], 4, {
      hard: [opt("beam", 4, 0.2, 6e13), opt("majority", 4, 0.1, 1e12)],
      easy: [opt("best-of-n", 4, 0.9, 1e13), opt("beam", 4, 0.85, 6e13)],
    });
    assert.equal(probeWorthIt(table, 4, 2), false);
    // Pooled over buckets (10 runs each): beam (0.7 + 0.2 + 0.85) / 3; best-of-n was measured on
    // easy problems only, so it has no pooled accuracy.
    const pooled = pooledOptions(table, 4)!;
    assert.deepEqual(
      pooled.map((o) => o.method),
      ["beam"],
    );
    assert.ok(Math.abs(pooled[0]!.accuracy - 0.5833) < 1e-3);
    const policy = new ToyPolicy({ errorRate: 0.3 });
    const result = await runSearch({
      problem,
      policy,
      verifier: new ToyVerifier(),
      config: { strategy: "auto", n: 4, seed: 1 },
      strategyTable: table,
    });
    assert.equal(result.decision?.bucket, null);
    assert.equal(result.decision?.method, "beam");
    assert.match(result.decision!.reason, /no probe \(it would take 2 of the 4 samples\)/);
    const firstRound = policy.calls.filter((c) => c.prefix.length === 0).reduce((a, c) => a + c.k, 0);
    assert.equal(firstRound, 4, "the whole budget goes to beam search");
  });

  it("ends beam search once the paths finished so far settle the vote", async () => {
    // Paths that jump to the (right) answer early finish in the first rounds, while the rest go on.
    class Hasty extends ToyPolicy {
      override async expand(request: ExpandRequest): Promise<ExpandResult> {
        const r = await super.expand(request);
        if (request.mode !== "step" || request.prefix.length === 0) return r;
        const answer = `The answer is \\boxed{${toyAnswer(chain)}}`;
        return {
          ...r,
          generations: r.generations.map((g, i) => (i === 0 ? { text: answer, ended: true } : g)),
        };
      }
    }
    // A PRM that trusts a boxed answer: the hasty paths score high.
    class Trusting extends ToyVerifier {
      override async score(p: Problem, steps: readonly string[]): Promise<ScoreResult> {
        const r = await super.score(p, steps);
        return { ...r, scores: r.scores.map((x, i) => (steps[i]!.includes("boxed") ? 0.95 : x)) };
      }
    }
    const reasons: string[] = [];
    const result = await runSearch({
      problem,
      policy: new Hasty({ errorRate: 0.2, maxN: 64 }),
      verifier: new Trusting(),
      config: { strategy: "auto", n: 64, seed: 2 },
      strategyTable: tableFor([opt("beam", 64, 0.9, 9e12)], 64, { hard: [opt("dvts", 64, 0.9, 9e12)] }),
      onEvent: (e) => {
        if (e.type === "early-stopped") reasons.push(e.reason);
      },
    });
    assert.equal(result.decision?.method, "beam");
    assert.equal(reasons.length, 1, reasons.join(" | "));
    assert.match(reasons[0]!, /the vote is settled with \d+ of 56 beam paths finished/);
    assert.ok((result.budgetSaved ?? 0) > 0);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });
});
