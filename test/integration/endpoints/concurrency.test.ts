// Policy concurrency counts sequences, not requests, and defaults from what the server says:
// a round's calls go out together up to the limit (so the engine's slots stay full), never more.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_POLICY_SEQUENCES, runSearch, type Policy } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { problems, withSim } from "./sim.js";

/** The policy as the scheduler sees it, with the sequences it has in flight watched. */
function watched(policy: Policy): { policy: Policy; peak: () => number } {
  let inFlight = 0;
  let peak = 0;
  const w: Policy = Object.create(policy) as Policy;
  w.expand = async (req) => {
    inFlight += req.k;
    peak = Math.max(peak, inFlight);
    try {
      return await policy.expand(req);
    } finally {
      inFlight -= req.k;
    }
  };
  return { policy: w, peak: () => peak };
}

describe("policy concurrency in sequences", () => {
  for (const limit of [8, 6, undefined])
    it(`beam N=16 M=4 on vLLM with ${limit ?? "the default"} sequences: a round fills the limit, never more`, () =>
      withSim({ flavour: "vllm" }, async (sim) => {
        const base = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
        const verifier = await createVerifier({
          baseUrls: [sim.url],
          model: "sim-prm-qwen",
          kind: "vllm-pooling",
        });
        const { policy, peak } = watched(base);
        assert.equal(base.capabilities.slots, undefined, "vLLM does not say");
        const r = await runSearch({
          problem: { text: problems(1, 3, 71)[0]!.text },
          policy,
          verifier,
          config: { strategy: "beam", n: 16, beamWidth: 4, seed: 9 },
          ...(limit ? { policyConcurrency: limit } : {}),
        });
        assert.equal(r.error, undefined);
        // The first round asks for 16 samples at once; calls are cut to fit the limit.
        assert.equal(peak(), Math.min(limit ?? DEFAULT_POLICY_SEQUENCES, 16));
      }));

  it("llama.cpp: the default is the server's total_slots, and a round keeps them all busy", () =>
    withSim({ flavour: "llamacpp", slots: 6 }, async (sim) => {
      const base = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
      assert.equal(base.capabilities.slots, 6);
      const { policy, peak } = watched(base);
      const r = await runSearch({
        problem: { text: problems(1, 2, 72)[0]!.text },
        policy,
        config: { strategy: "majority", n: 16, seed: 3 },
      });
      assert.equal(r.error, undefined);
      assert.equal(peak(), 6);
    }));

  it("Ollama, which does not say and decodes a few at a time: 4 in flight, not the engine default", () =>
    withSim({ flavour: "ollama" }, async (sim) => {
      const base = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
      assert.equal(base.capabilities.slots, 4);
      const { policy, peak } = watched(base);
      const r = await runSearch({
        problem: { text: problems(1, 2, 73)[0]!.text },
        policy,
        config: { strategy: "majority", n: 16, seed: 3 },
      });
      assert.equal(r.error, undefined);
      assert.equal(peak(), 4);
    }));
});
