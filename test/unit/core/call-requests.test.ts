// A call's `requests`: the run's cost counts the HTTP requests each call says it sent (a judge
// sends one per step), not one per call; a call that says nothing counts as one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addCall,
  emptyRoleCost,
  runSearch,
  type Problem,
  type ScoreResult,
} from "../../../src/core/index.js";
import { toyProblem, ToyPolicy, ToyVerifier } from "./toy-world.js";

const usage = { promptTokens: 1, completionTokens: 1 };

describe("requests per call", () => {
  it("adds a call's own request count, also of a failed call, and one where it gives none", () => {
    const cost = emptyRoleCost();
    addCall(cost, { usage, requests: 5, retries: 1 }, null);
    addCall(cost, { usage, requests: 0 }, null); // answered from a cache: no request
    addCall(cost, { usage }, null);
    addCall(cost, null, null, Object.assign(new Error("400"), { requests: 3, retries: 0 }));
    addCall(cost, null, null, new Error("no count"));
    assert.deepEqual([cost.requests, cost.failures, cost.retries], [5 + 0 + 1 + 3 + 1, 2, 1]);
  });

  it("the run's verifier requests are the sum of what the verifier reported", async () => {
    // A verifier that, like a judge, sends one request per step.
    class PerStepVerifier extends ToyVerifier {
      sent = 0;
      override async score(problem: Problem, steps: readonly string[]): Promise<ScoreResult> {
        const r = await super.score(problem, steps);
        this.sent += steps.length;
        return { ...r, requests: steps.length };
      }
    }
    const verifier = new PerStepVerifier();
    const result = await runSearch({
      problem: toyProblem({ start: 3, ops: [4, -2, 7] }),
      policy: new ToyPolicy({ errorRate: 0.2 }),
      verifier,
      config: { strategy: "best-of-n", n: 4, seed: 2 },
    });
    assert.equal(verifier.calls, 4);
    assert.ok(verifier.sent > verifier.calls, "several steps per solution");
    assert.equal(result.cost.verifier.requests, verifier.sent);
    assert.equal(result.cost.policy.requests, 4, "the toy policy reports nothing: one per call");
  });
});
