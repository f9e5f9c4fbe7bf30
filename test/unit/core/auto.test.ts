import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bucketOf,
  estimateDifficulty,
  leadIsUnassailable,
  lookupPlan,
  parseCalibratedTable,
  probabilityLeaderAhead,
  replay,
  runSearch,
  voteIsSettled,
  type Candidate,
  type SearchEvent,
} from "../../../src/core/index.js";
import { toyAnswer, toyProblem, ToyPolicy, ToyVerifier } from "./toy-world.js";

const chain = { start: 2, ops: [3, 5, -4, 6] };
const problem = toyProblem(chain);

describe("difficulty buckets", () => {
  it("follow Liu et al.: easy ≥ 50%, medium 10–50%, hard < 10%", () => {
    assert.equal(bucketOf(1), "easy");
    assert.equal(bucketOf(0.5), "easy");
    assert.equal(bucketOf(0.4999), "medium");
    assert.equal(bucketOf(0.1), "medium");
    assert.equal(bucketOf(0.0999), "hard");
    assert.equal(bucketOf(0), "hard");
  });

  it("estimate pass@1 from agreement, and from verifier scores when there are some", () => {
    const c = (group: string | null, score?: number): Candidate => ({
      nodeId: "x",
      steps: [],
      answer: group,
      group,
      score,
    });
    const allDiffer = estimateDifficulty([c("1"), c("2"), c("3"), c("4")], false);
    assert.equal(allDiffer.agreement, 0);
    assert.equal(allDiffer.bucket, "hard");
    const allAgree = estimateDifficulty([c("1", 0.9), c("1", 0.7), c("1", 0.8), c("1", 0.6)], true);
    assert.equal(allAgree.agreement, 1);
    assert.ok(Math.abs(allAgree.passAt1 - (1 + 0.75) / 2) < 1e-12);
    assert.equal(estimateDifficulty([c("1", 0.1), c("1", 0.1), c("2", 0.1), c(null)], true).bucket, "medium");
  });
});

describe("strategy table", () => {
  it("maps policy size, verifier and difficulty to the published choices", () => {
    const m = (...a: Parameters<typeof lookupPlan>) => lookupPlan(...a).plan.method;
    assert.equal(m("easy", "small", "strong"), "best-of-n");
    assert.equal(m("medium", "small", "strong"), "beam");
    assert.equal(m("hard", "small", "strong"), "beam");
    assert.equal(m("easy", "medium", "strong"), "dvts");
    assert.equal(m("hard", "medium", "strong"), "beam");
    assert.equal(m("hard", "large", "strong"), "best-of-n");
    assert.equal(m("hard", "small", "weak"), "best-of-n");
    assert.equal(m("hard", "small", "judge"), "best-of-n");
    assert.equal(m("hard", "small", "none"), "majority");
  });

  it("prefers a calibrated table, falls back per bucket, and never needs a missing verifier", () => {
    const table = parseCalibratedTable({
      version: 1,
      policy: "p",
      verifier: "v",
      plans: { hard: { method: "dvts", beamWidth: 2, aggregation: "min", selection: "prm-max" } },
    });
    const hard = lookupPlan("hard", "small", "strong", table);
    assert.equal(hard.source, "calibrated");
    assert.deepEqual(hard.plan, { method: "dvts", beamWidth: 2, aggregation: "min", selection: "prm-max" });
    assert.equal(lookupPlan("easy", "small", "strong", table).source, "built-in");
    assert.equal(lookupPlan("hard", "small", "none", table).plan.method, "majority");
    assert.throws(
      () => parseCalibratedTable({ version: 1, plans: { tough: {} } }),
      /unknown difficulty bucket "tough"/,
    );
    assert.throws(() => parseCalibratedTable({ plans: {} }), /Not a strategy table/);
  });
});

describe("early stop", () => {
  it("settles on a clear lead and not on a close vote", () => {
    assert.ok(probabilityLeaderAhead(4, 0) > 0.95);
    assert.ok(probabilityLeaderAhead(3, 0) < 0.95);
    assert.equal(voteIsSettled([4], 20), true);
    assert.equal(voteIsSettled([3, 2, 1], 20), false);
    assert.equal(voteIsSettled([3, 1], 1), true, "one remaining sample cannot overturn a lead of two");
    assert.equal(voteIsSettled([], 5), false);
  });

  it("ends a tree search only where the candidates to come could not overturn the leader", () => {
    const entry = (group: string, votes: number, scoreSum: number, bestScore = 0.9) => ({
      group,
      answer: group,
      votes,
      scoreSum,
      bestScore,
    });
    const tally = [entry("7", 30, 27), entry("3", 4, 1)];
    assert.equal(leadIsUnassailable(tally, 25, "prm-vote"), true, "27 − 1 > 25 more scores of at most 1");
    assert.equal(leadIsUnassailable(tally, 26, "prm-vote"), false);
    assert.equal(leadIsUnassailable(tally, 25, "majority"), true);
    assert.equal(leadIsUnassailable(tally, 26, "majority"), false);
    // 20 agreeing of 20 would settle a sampled vote; a tree search's 40 paths to come could still win.
    assert.equal(voteIsSettled([20], 40), true);
    assert.equal(leadIsUnassailable([entry("7", 20, 18)], 40, "prm-vote"), false);
    assert.equal(
      leadIsUnassailable([entry("7", 20, 18)], 1, "prm-max"),
      false,
      "one better-scored path takes it",
    );
    assert.equal(leadIsUnassailable([entry("7", 20, 18)], 0, "prm-max"), true);
    // A verifier scoring above 1 raises the bound with it.
    assert.equal(leadIsUnassailable([entry("7", 5, 10, 2), entry("3", 1, 1, 2)], 5, "prm-vote"), false);
    assert.equal(leadIsUnassailable([], 0, "majority"), false);
  });
});

async function autoRun(policy: ToyPolicy, verifier: ToyVerifier | null, n: number, earlyStop = true) {
  const events: SearchEvent[] = [];
  const result = await runSearch({
    problem,
    policy,
    verifier,
    config: { strategy: "auto", n, seed: 3, earlyStop },
    onEvent: (e) => events.push(e),
  });
  return { result, events };
}

describe("Auto", () => {
  it("stops sampling once the vote is settled and reports the budget saved", async () => {
    const policy = new ToyPolicy({ errorRate: 0 });
    const { result, events } = await autoRun(policy, null, 32);
    assert.equal(result.decision?.method, "majority");
    const generated = policy.calls.reduce((a, c) => a + c.k, 0);
    assert.ok(generated < 32, `stopped before spending the budget (generated ${generated})`);
    assert.equal(result.budgetSaved, 32 - generated);
    assert.ok(events.some((e) => e.type === "early-stopped"));
    assert.equal(result.answer, String(toyAnswer(chain)));

    const full = new ToyPolicy({ errorRate: 0 });
    await autoRun(full, null, 32, false);
    assert.equal(
      full.calls.reduce((a, c) => a + c.k, 0),
      32,
    );
  });

  it("reuses the probe samples as candidates: none is generated twice, the budget holds", async () => {
    // A toy policy names itself 1b: small. With a strong verifier, easy → best-of-n, else beam.
    for (const errorRate of [0.05, 0.6]) {
      const policy = new ToyPolicy({ errorRate });
      const verifier = new ToyVerifier();
      Object.defineProperty(verifier, "kind", { value: "vllm-pooling" });
      const { result, events } = await autoRun(policy, verifier, 16, false);
      const d = result.decision!;
      const probeCalls = policy.calls.filter((c) => c.prefix.length === 0 && c.mode === "solution");
      const probeSamples = probeCalls.reduce((a, c) => a + c.k, 0);
      assert.equal(probeSamples >= d.probe.samples, true);
      // A call's seed decides what it samples: a repeated seed would draw the same sample again.
      const seeds = policy.calls.map((c) => `${c.mode}|${c.prefix.join("|")}|${c.seed}`);
      assert.equal(new Set(seeds).size, seeds.length, `a call was made twice: ${seeds.join(", ")}`);
      const rootChildren = events.filter(
        (e) => e.type === "node-added" && e.node.depth === 1 && e.node.ended && e.node.parentId === "n0",
      );
      const candidateIds = new Set(result.candidates.map((c) => c.nodeId));
      for (const e of rootChildren.slice(0, d.probe.samples))
        if (e.type === "node-added")
          assert.ok(candidateIds.has(e.node.id), "each probe sample stays a candidate");
      const spent =
        d.method === "best-of-n"
          ? policy.calls.reduce((a, c) => a + c.k, 0)
          : probeSamples +
            policy.calls
              .filter((c) => c.prefix.length === 0 && c.mode === "step")
              .reduce((a, c) => a + c.k, 0);
      assert.ok(spent <= 16, `first-round samples within the budget (${spent})`);
      assert.match(d.reason, new RegExp(`${d.bucket} problem .*→ ${d.method}`));
    }
  });

  it("makes its choice an event that replays", async () => {
    const { result, events } = await autoRun(new ToyPolicy({ errorRate: 0.3 }), new ToyVerifier(), 16);
    const chosen = events.find((e) => e.type === "strategy-chosen");
    assert.ok(chosen && chosen.type === "strategy-chosen");
    assert.deepEqual(chosen.decision, result.decision);
    assert.deepEqual(replay(events).decision, result.decision);
  });
});

describe("Auto's budget and tables", () => {
  it("spends the whole budget when it does not divide by the beam width", async () => {
    // n = 8: 2 probe samples leave 6, which beam search (width 4) cannot use whole: 4 go to the
    // search and 2 to more whole solutions.
    const policy = new ToyPolicy({ errorRate: 0.6 });
    const verifier = new ToyVerifier();
    Object.defineProperty(verifier, "kind", { value: "vllm-pooling" });
    const { result } = await autoRun(policy, verifier, 8, false);
    assert.equal(result.decision?.method, "beam");
    const firstRound = policy.calls.filter((c) => c.prefix.length === 0).reduce((a, c) => a + c.k, 0);
    assert.equal(firstRound, 8, "probe, search and leftover samples together are the budget");
    assert.equal(result.budgetSaved, undefined);
  });

  it("uses a calibrated table only for the pair it was measured on, and says so otherwise", async () => {
    const plans = { hard: { method: "dvts", beamWidth: 2, aggregation: "last", selection: "prm-vote" } };
    const run = async (policyName: string) => {
      const events: SearchEvent[] = [];
      const result = await runSearch({
        problem,
        policy: new ToyPolicy({ errorRate: 0.9 }),
        verifier: new ToyVerifier(),
        config: { strategy: "auto", n: 8, seed: 1 },
        strategyTable: parseCalibratedTable({
          version: 1,
          policy: policyName,
          verifier: "http:toy-prm-1b",
          plans,
        }),
        onEvent: (e) => events.push(e),
      });
      return { result, events };
    };
    const fits = await run("toy-policy-1b");
    assert.equal(fits.result.decision?.bucket, "hard");
    assert.equal(fits.result.decision?.source, "calibrated");
    assert.equal(fits.result.decision?.method, "dvts");
    const other = await run("another-policy-7b");
    assert.equal(other.result.decision?.source, "built-in");
    assert.ok(
      other.events.some(
        (e) => e.type === "warning" && /calibrated for another-policy-7b .*built-in table/.test(e.message),
      ),
    );
  });
});
