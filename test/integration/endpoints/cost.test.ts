// The run's cost counts HTTP requests, not calls: simworld records every request it gets, and
// the "requests" the CLI and the panel show must equal them, role by role, retries included.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSearch, type SearchEvent } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { posts, problems, withSim } from "./sim.js";

const model = (r: { body: unknown }): unknown => (r.body as { model?: unknown } | undefined)?.model;

describe("cost: requests are the HTTP requests sent", () => {
  it("best-of-N with an LLM judge (one request per new step) on vLLM, per role", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const policy = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
      const verifier = await createVerifier({
        baseUrls: [sim.url],
        model: "sim-judge-7b",
        kind: "llm-judge",
      });
      const from = sim.requests.length;
      const events: SearchEvent[] = [];
      const p = problems(1, 3, 41)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        config: { strategy: "best-of-n", n: 4, seed: 3 },
        onEvent: (e) => events.push(e),
      });
      assert.equal(r.error, undefined);
      const sent = posts(sim, from);
      const byPolicy = sent.filter((q) => model(q) === "sim-policy-1.5b").length;
      const byVerifier = sent.filter((q) => model(q) === "sim-judge-7b").length;
      assert.equal(byPolicy + byVerifier, sent.length);
      assert.equal(r.cost.policy.requests, byPolicy);
      assert.equal(r.cost.verifier.requests, byVerifier);
      const scorings = events.filter((e) => e.type === "node-scored" || e.type === "node-failed").length;
      assert.ok(byVerifier > scorings, `${byVerifier} judge requests for ${scorings} scorings`);
    }));

  it("retries are requests too (429s with Retry-After 0)", () =>
    withSim({ flavour: "vllm", faults: "429=0.2", retryAfterSeconds: 0, seed: 5 }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-1.5b",
        apiStyle: "auto",
        maxRetries: 8,
      });
      const verifier = await createVerifier({
        baseUrls: [sim.url],
        model: "sim-judge-7b",
        kind: "llm-judge",
        maxRetries: 8,
      });
      const from = sim.requests.length;
      const r = await runSearch({
        problem: { text: problems(1, 2, 42)[0]!.text },
        policy,
        verifier,
        config: { strategy: "beam", n: 4, beamWidth: 2, seed: 4 },
      });
      assert.equal(r.error, undefined);
      const sent = posts(sim, from);
      const retried = sent.filter((q) => q.fault === "429").length;
      assert.ok(retried > 0, "429s were injected");
      assert.equal(r.cost.policy.retries + r.cost.verifier.retries, retried);
      assert.equal(r.cost.policy.requests + r.cost.verifier.requests, sent.length);
    }));

  it("llama.cpp: the policy's requests are its generations (the template was learned when it was built)", () =>
    withSim({ flavour: "llamacpp" }, async (sim) => {
      const policy = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
      const verifier = await createVerifier({
        baseUrls: [sim.url],
        model: "sim-prm-shepherd",
        kind: "token-logprob",
      });
      const from = sim.requests.length;
      const r = await runSearch({
        problem: { text: problems(1, 2, 43)[0]!.text },
        policy,
        verifier,
        config: { strategy: "beam", n: 4, beamWidth: 2, seed: 6 },
      });
      assert.equal(r.error, undefined);
      const sent = posts(sim, from);
      // The server's template was rendered once around a placeholder when the policy was built.
      assert.equal(sent.filter((q) => q.path === "/apply-template").length, 0);
      assert.equal(r.cost.policy.requests, sent.filter((q) => q.path !== "/v1/completions").length);
      assert.equal(r.cost.verifier.requests, sent.filter((q) => q.path === "/v1/completions").length);
    }));
});
