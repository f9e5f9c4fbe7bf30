import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseTrace,
  replay,
  runSearch,
  serializeTrace,
  type PathNode,
  type SearchEvent,
  type SearchResult,
} from "../../../src/core/index.js";
import { rng, toyAnswer, toyProblem, ToyPolicy, ToyVerifier, type ToyProblem } from "./toy-world.js";

const chain: ToyProblem = { start: 3, ops: [4, -2, 7, 5, -1, 6] };
const problem = toyProblem(chain);

async function run(
  config: Parameters<typeof runSearch>[0]["config"],
  policy = new ToyPolicy({ errorRate: 0.3 }),
  verifier: ToyVerifier | null = new ToyVerifier(),
): Promise<{ result: SearchResult; events: SearchEvent[]; policy: ToyPolicy }> {
  const events: SearchEvent[] = [];
  const result = await runSearch({ problem, policy, verifier, config, onEvent: (e) => events.push(e) });
  return { result, events, policy };
}

function added(events: SearchEvent[]): PathNode[] {
  return events.flatMap((e) => (e.type === "node-added" ? [e.node] : []));
}

describe("beam search", () => {
  it("with n=16, M=4 keeps 4 paths per round and expands each into 4", async () => {
    const { events, result } = await run({ strategy: "beam", n: 16, beamWidth: 4, seed: 1, dedupe: false });
    const nodes = added(events);
    const maxDepth = Math.max(...nodes.map((n) => n.depth));
    assert.ok(maxDepth >= 3, "the search went several rounds deep");
    assert.equal(nodes.filter((n) => n.depth === 1).length, 16, "round 0 samples n first steps");
    for (let depth = 2; depth <= maxDepth; depth++) {
      const level = nodes.filter((n) => n.depth === depth);
      const parents = new Map<string, number>();
      for (const n of level) parents.set(n.parentId!, (parents.get(n.parentId!) ?? 0) + 1);
      // Every toy path ends at the same depth, so no round has fewer than 4 live paths to keep.
      assert.equal(parents.size, 4, `depth ${depth}: 4 kept paths`);
      for (const [, children] of parents) assert.equal(children, 4, `depth ${depth}: each kept path gets 4`);
    }
    assert.equal(result.candidates.length, 16, "the first n finished paths are the candidates");
  });

  it("honours maxSteps, and its last round writes to the end", async () => {
    const policy = new ToyPolicy({ errorRate: 0.2 });
    const { events, result } = await run(
      { strategy: "beam", n: 8, beamWidth: 4, maxSteps: 3, seed: 2 },
      policy,
    );
    assert.ok(
      added(events).every((n) => n.depth <= 3),
      "no path goes deeper than maxSteps",
    );
    const modes = policy.calls.map((c) => `${c.prefix.length}:${c.mode}`);
    assert.ok(
      modes.every((m) => m === "0:step" || m === "1:step" || m === "2:solution"),
      modes.join(),
    );
    assert.ok(result.candidates.length > 0);
    for (const c of result.candidates) assert.match(c.steps.at(-1)!, /\\boxed\{/, "every candidate ends");
  });

  it("really uses the scores: a verifier that prefers wrong steps makes it worse", async () => {
    let good = 0;
    let bad = 0;
    const random = rng(7);
    for (let i = 0; i < 12; i++) {
      const p: ToyProblem = {
        start: 1 + i,
        ops: Array.from({ length: 5 }, () => Math.floor(random() * 19) - 9),
      };
      const config = { strategy: "beam" as const, n: 8, beamWidth: 4, seed: i, temperature: 0.8 };
      const policy = () => new ToyPolicy({ errorRate: 0.35 });
      const a = await runSearch({
        problem: toyProblem(p),
        policy: policy(),
        verifier: new ToyVerifier(),
        config,
      });
      const b = await runSearch({
        problem: toyProblem(p),
        policy: policy(),
        verifier: new ToyVerifier({ inverted: true }),
        config,
      });
      if (a.answer === String(toyAnswer(p))) good++;
      if (b.answer === String(toyAnswer(p))) bad++;
    }
    assert.ok(good >= 10, `a good verifier finds the right answer (got ${good}/12)`);
    assert.ok(bad <= good - 6, `an inverted verifier does much worse (good ${good}, inverted ${bad})`);
  });

  it("with finishedBeamsShrink (OpenR), keeps n/M paths and returns n/M candidates", async () => {
    const { result, events } = await run({
      strategy: "beam",
      n: 16,
      beamWidth: 4,
      seed: 3,
      finishedBeamsShrink: true,
      dedupe: false,
    });
    const nodes = added(events);
    for (let depth = 2; depth <= Math.max(...nodes.map((n) => n.depth)); depth++) {
      const parents = new Set(nodes.filter((n) => n.depth === depth).map((n) => n.parentId));
      assert.equal(parents.size, 4, `depth ${depth}: n/M = 4 kept paths`);
    }
    assert.equal(result.candidates.length, 4, "one candidate per beam slot");
    // The candidates are the best-ranked ended paths: none scores below a pruned ended sibling.
    const ended = nodes.filter((n) => n.ended);
    const finalScores = new Map(
      events.flatMap((e) => (e.type === "node-scored" ? [[e.id, e.score] as const] : [])),
    );
    const worstCandidate = Math.min(...result.candidates.map((c) => c.score ?? 0));
    const candidateIds = new Set(result.candidates.map((c) => c.nodeId));
    for (const n of ended)
      if (!candidateIds.has(n.id))
        assert.ok((finalScores.get(n.id) ?? 0) <= worstCandidate, `pruned ${n.id} outranks a candidate`);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("refuses to run without a verifier, saying what to do", async () => {
    const { result } = await run({ strategy: "beam" }, undefined, null);
    assert.match(result.error ?? "", /needs a verifier.*majority vote/);
    assert.equal(result.answer, null);
  });
});

describe("DVTS", () => {
  it("with n=16, M=4 runs 4 independent subtrees and returns 16 candidates", async () => {
    const { events, result } = await run({ strategy: "dvts", n: 16, beamWidth: 4, seed: 4 });
    assert.equal(result.candidates.length, 16);
    const subtrees = new Set(result.candidates.map((c) => c.subtree));
    assert.deepEqual([...subtrees].sort(), [0, 1, 2, 3]);
    for (const s of subtrees) assert.equal(result.candidates.filter((c) => c.subtree === s).length, 4);
    // Independence: no node's parent lies in another subtree.
    const nodes = new Map(added(events).map((n) => [n.id, n]));
    for (const n of nodes.values()) {
      const parent = n.parentId ? nodes.get(n.parentId) : undefined;
      if (parent && parent.depth > 0) assert.equal(parent.subtree, n.subtree);
    }
    assert.equal(result.answer, String(toyAnswer(chain)));
  });
});

describe("best-of-N, majority and greedy", () => {
  it("best-of-N scores n whole solutions and picks by weighted vote", async () => {
    const { result, policy } = await run({ strategy: "best-of-n", n: 8, seed: 5 });
    assert.equal(result.candidates.length, 8);
    assert.ok(policy.calls.every((c) => c.mode === "solution"));
    assert.ok(result.candidates.every((c) => c.stepScores?.length === c.steps.length));
    assert.equal(result.answer, String(toyAnswer(chain)));
  });

  it("majority vote needs no verifier", async () => {
    const { result } = await run({ strategy: "majority", n: 9, seed: 6 }, undefined, null);
    assert.equal(result.candidates.length, 9);
    const top = result.tally[0]!;
    assert.ok(result.tally.every((t) => t.votes <= top.votes));
    assert.equal(result.answer, top.answer);
  });

  it("greedy writes one solution at temperature 0", async () => {
    const { result, policy } = await run({ strategy: "greedy" }, undefined, null);
    assert.equal(policy.calls.length, 1);
    assert.equal(policy.calls[0]!.temperature, 0);
    assert.equal(result.answer, String(toyAnswer(chain)));
  });
});

describe("scheduler", () => {
  it("asks for k samples in one call when the policy supports n", async () => {
    const batched = await run(
      { strategy: "majority", n: 16 },
      new ToyPolicy({ errorRate: 0.2, maxN: 8 }),
      null,
    );
    assert.equal(batched.policy.calls.length, 2);
    assert.deepEqual(
      batched.policy.calls.map((c) => c.k),
      [8, 8],
    );
    const single = await run(
      { strategy: "majority", n: 16 },
      new ToyPolicy({ errorRate: 0.2, maxN: 1 }),
      null,
    );
    assert.equal(single.policy.calls.length, 16);
  });

  it("bounds concurrency", async () => {
    const policy = new ToyPolicy({ errorRate: 0.2, gate: () => new Promise((r) => setImmediate(r)) });
    await runSearch({ problem, policy, config: { strategy: "majority", n: 20 }, policyConcurrency: 3 });
    assert.equal(policy.calls.length, 20);
    assert.equal(policy.maxInFlight, 3);
  });

  it("scores each sample as soon as its call returns, not after the round", async () => {
    let releaseSlow!: () => void;
    const slow = new Promise<void>((r) => (releaseSlow = r));
    const verifier = new ToyVerifier();
    let scoredBeforeSlowReturned = 0;
    const policy = new ToyPolicy({
      errorRate: 0,
      gate: async (_req, call) => {
        if (call === 0) {
          await slow;
          scoredBeforeSlowReturned = verifier.calls;
        } else if (call === 3) setTimeout(releaseSlow, 20);
      },
    });
    await runSearch({ problem, policy, verifier, config: { strategy: "best-of-n", n: 4 } });
    assert.equal(scoredBeforeSlowReturned, 3, "the three fast samples were scored while the slow one ran");
  });

  it("counts every call in the cost, failed ones included", async () => {
    const policy = new ToyPolicy({ errorRate: 0.2, fail: (call) => call === 2 });
    const verifier = new ToyVerifier();
    const { result, events } = await run({ strategy: "best-of-n", n: 6, seed: 8 }, policy, verifier);
    assert.equal(result.cost.policy.requests, 6);
    assert.equal(result.cost.policy.failures, 1);
    assert.equal(result.cost.verifier.requests, verifier.calls);
    assert.equal(result.candidates.length, 5, "the run goes on without the failed sample");
    assert.ok(events.some((e) => e.type === "warning" && /toy policy call 2 failed/.test(e.message)));
    assert.ok(result.cost.policy.completionTokens > 0 && result.cost.verifier.promptTokens > 0);
    // toy-policy-1b: 1e9 parameters; FLOPs = 2 × params × tokens.
    const policyTokens = result.cost.policy.promptTokens + result.cost.policy.completionTokens;
    assert.equal(result.cost.policy.flops, 2 * 1e9 * policyTokens);
    assert.equal(result.cost.flops, result.cost.policy.flops + result.cost.verifier.flops);
  });

  it("marks a path failed when the verifier returns the wrong number of scores", async () => {
    const verifier = new ToyVerifier({ scoreCount: (n) => n + 1 });
    const { result, events } = await run({ strategy: "best-of-n", n: 3 }, undefined, verifier);
    const failed = events.filter((e) => e.type === "node-failed");
    assert.equal(failed.length, 3);
    assert.match(
      failed[0]!.type === "node-failed" ? failed[0]!.error : "",
      /returned \d+ scores for \d+ steps/,
    );
    assert.match(result.error ?? "", /no finished solution/);
  });
});

describe("abort", () => {
  it("stops new policy calls and leaves a consistent partial result", async () => {
    const controller = new AbortController();
    const policy = new ToyPolicy({
      errorRate: 0.2,
      gate: async (_r, call) => {
        if (call === 20) controller.abort();
        await new Promise((r) => setImmediate(r));
      },
    });
    const events: SearchEvent[] = [];
    const result = await runSearch({
      problem,
      policy,
      verifier: new ToyVerifier(),
      config: { strategy: "beam", n: 8, beamWidth: 4, seed: 9 },
      signal: controller.signal,
      policyConcurrency: 4,
      onEvent: (e) => events.push(e),
    });
    const callsAtAbort = policy.calls.length;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(policy.calls.length, callsAtAbort, "no call starts after the run returned");
    assert.ok(callsAtAbort <= 24, `only calls already queued before the abort ran (got ${callsAtAbort})`);
    assert.equal(result.aborted, true);
    assert.equal(events.at(-1)!.type, "run-finished");
    const finished = new Set(events.flatMap((e) => (e.type === "path-finished" ? [e.id] : [])));
    assert.deepEqual(new Set(result.candidates.map((c) => c.nodeId)), finished);
    assert.ok(result.cost.policy.requests > 0 && result.cost.policy.requests <= callsAtAbort);
  });

  it("counts the calls it cut off in the cost, as requests and not as failures", async () => {
    const controller = new AbortController();
    const policy = new ToyPolicy({
      errorRate: 0.2,
      // From the fifth call on, a call waits until the run is aborted, then gives up as
      // fetch does; the seventh call aborts the run.
      gate: (request, call) => {
        if (call === 6) setImmediate(() => controller.abort());
        if (call < 4) return Promise.resolve();
        return new Promise((_, reject) =>
          request.signal!.addEventListener("abort", () =>
            reject(new DOMException("The operation was aborted.", "AbortError")),
          ),
        );
      },
    });
    const result = await runSearch({
      problem,
      policy,
      verifier: new ToyVerifier(),
      config: { strategy: "best-of-n", n: 8, seed: 4 },
      signal: controller.signal,
      onEvent: () => undefined,
    });
    assert.equal(result.aborted, true);
    assert.equal(result.cost.policy.requests, policy.calls.length, "every call made is counted");
    assert.equal(result.cost.policy.failures, 0, "cancelled calls did not fail");
  });
});

describe("trace", () => {
  it("replays to the same result", async () => {
    const { result, events } = await run({ strategy: "dvts", n: 8, beamWidth: 4, seed: 10 });
    const parsed = parseTrace(serializeTrace(events));
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(events)));
    const view = replay(parsed);
    assert.deepEqual(view.result, JSON.parse(JSON.stringify(result)));
    assert.deepEqual(view.tally, result.tally);
    const finished = Object.values(view.nodes).filter((n) => n.status === "finished");
    assert.deepEqual(finished.map((n) => n.id).sort(), result.candidates.map((c) => c.nodeId).sort());
    for (const c of result.candidates) assert.equal(view.nodes[c.nodeId]!.score, c.score);
    // The events before the result already hold it: a trace cut off before run-finished
    // replays to the same tree, scores and tally.
    const cut = replay(parsed.slice(0, -1));
    assert.equal(cut.result, null);
    assert.deepEqual(cut.tally, result.tally);
    for (const c of result.candidates) {
      assert.equal(cut.nodes[c.nodeId]!.status, "finished");
      assert.equal(cut.nodes[c.nodeId]!.score, c.score);
    }
  });

  it("rejects a file that is not a trace, naming the line", () => {
    assert.throws(() => parseTrace('{"type":"run-started","t":0}\nnot json'), /line 2/);
    assert.throws(() => parseTrace('{"type":"cost","t":0}'), /begin with a run-started/);
  });
});

describe("policies that cannot continue a partial solution", () => {
  it("run best-of-N, and step-level search refuses saying why", async () => {
    const whole = () => new ToyPolicy({ errorRate: 0.2, continuation: false });
    const bon = await run({ strategy: "best-of-n", n: 8, seed: 5 }, whole());
    assert.equal(bon.result.answer, String(toyAnswer(chain)));
    for (const strategy of ["beam", "dvts"] as const) {
      const { result, policy } = await run({ strategy, n: 4, beamWidth: 2 }, whole());
      assert.match(result.error ?? "", /needs a policy server that can continue/);
      assert.equal(policy.calls.length, 0);
    }
  });
});

describe("seeds", () => {
  it("make a run reproducible whatever order its calls return in", async () => {
    const answers = async (jitter: boolean) => {
      const random = rng(jitter ? 99 : 1);
      const policy = new ToyPolicy({
        errorRate: 0.4,
        gate: () => new Promise((r) => setTimeout(r, jitter ? Math.floor(random() * 5) : 0)),
      });
      const { result } = await run({ strategy: "dvts", n: 8, beamWidth: 2, seed: 21 }, policy);
      return {
        candidates: result.candidates.map((c) => c.steps.join("|")),
        answer: result.answer,
        tally: result.tally,
      };
    };
    assert.deepEqual(await answers(true), await answers(false));
  });
});
