import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSearch, type VerifierKind } from "../../../src/core/index.js";
import { createPolicy, createVerifier, type RequestLogLine } from "../../../src/endpoints/index.js";
import { FAULT_KINDS } from "../../simworld/faults.js";
import { problems, requestLog, until, withSim } from "./sim.js";

/** Short enough that simworld's slow fault (1 s before the first byte) times out. */
const timeouts = { firstTokenMs: 300 };

async function endpoints(
  url: string,
  policyModel: string,
  kind: VerifierKind,
  verifierModel: string,
  log?: (line: RequestLogLine) => void,
  maxRetries?: number,
) {
  const policy = await createPolicy(
    { baseUrls: [url], model: policyModel, apiStyle: "auto", timeouts, maxRetries },
    { log },
  );
  const verifier = await createVerifier(
    { baseUrls: [url], model: verifierModel, kind, timeouts, maxRetries },
    { log },
  );
  return { policy, verifier };
}

describe("searches end to end over real HTTP", () => {
  it("beam search with the /pooling PRM on vLLM, with 20% faults of every kind, finds the answer and reports its retries", () =>
    withSim({ flavour: "vllm", faults: "0.2", slowMs: 1000, seed: 3 }, async (sim) => {
      const { lines, log } = requestLog();
      const { policy, verifier } = await endpoints(
        sim.url,
        "sim-policy-1.5b",
        "vllm-pooling",
        "sim-prm-qwen",
        log,
      );
      const p = problems(1, 2, 31)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        config: { strategy: "beam", n: 8, beamWidth: 4, seed: 2 },
      });
      assert.equal(r.error, undefined);
      assert.equal(r.answer, p.answer);
      const retries = r.cost.policy.retries + r.cost.verifier.retries;
      assert.ok(retries > 0, "retries are reported in the cost");
      assert.equal(lines.filter((l) => l.attempt > 1).length, retries, "one log line per retry");
      assert.ok(
        sim.requests.some((q) => q.fault),
        "faults were injected",
      );
    }));

  it("best-of-N with an LLM judge on Ollama", () =>
    withSim({ flavour: "ollama" }, async (sim) => {
      const { policy, verifier } = await endpoints(sim.url, "sim-policy-1.5b", "llm-judge", "sim-judge-7b");
      const p = problems(1, 2, 32)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        config: { strategy: "best-of-n", n: 6, seed: 4 },
      });
      assert.equal(r.answer, p.answer);
      assert.equal(r.candidates.length, 6);
      assert.ok(r.candidates.every((c) => c.stepScores && c.stepScores.length === c.steps.length));
    }));

  it("DVTS with token log-probabilities on llama.cpp, and majority vote on OpenAI (whole solutions)", async () => {
    await withSim({ flavour: "llamacpp" }, async (sim) => {
      const { policy, verifier } = await endpoints(
        sim.url,
        "sim-policy-1.5b",
        "token-logprob",
        "sim-prm-shepherd",
      );
      const p = problems(1, 2, 33)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        config: { strategy: "dvts", n: 4, beamWidth: 2, seed: 5 },
      });
      assert.equal(r.answer, p.answer);
    });
    await withSim({ flavour: "openai" }, async (sim) => {
      const policy = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-1.5b", apiStyle: "auto" });
      const p = problems(1, 2, 34)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier: null,
        config: { strategy: "majority", n: 8, seed: 6 },
      });
      assert.equal(r.answer, p.answer);
    });
  });

  for (const fault of FAULT_KINDS)
    it(`survives the ${fault} fault, retrying what it hit`, () =>
      withSim(
        {
          flavour: fault === "truncated" ? "llamacpp" : "vllm",
          faults: `${fault}=0.3`,
          slowMs: 1000,
          seed: 9,
        },
        async (sim) => {
          const { lines, log } = requestLog();
          // A 30% rate of one fault, with room for seven tries: a call fails for good 1 time in 4,500.
          const { policy, verifier } = await endpoints(
            sim.url,
            "sim-policy-72b",
            "token-logprob",
            "sim-prm-shepherd",
            log,
            6,
          );
          const p = problems(1, 1, 35)[0]!;
          // Beam search: a dozen requests or more (policy calls and batched scores, round by
          // round), so a 30% fault is drawn.
          const r = await runSearch({
            problem: { text: p.text },
            policy,
            verifier,
            config: { strategy: "beam", n: 4, beamWidth: 2, seed: 7 },
          });
          assert.equal(r.error, undefined);
          assert.equal(r.answer, p.answer);
          assert.ok(
            sim.requests.some((q) => q.fault === fault),
            `a ${fault} fault was injected`,
          );
          assert.ok(r.cost.policy.retries + r.cost.verifier.retries > 0);
          const failed = lines.filter((l) => l.error);
          assert.ok(failed.length > 0);
          for (const l of failed)
            assert.ok(lines.some((m) => m.url === l.url && m.attempt > l.attempt && !m.error));
        },
      ));

  it("cancelling a run aborts its requests and closes its connections (the server sees them close)", () =>
    withSim({ flavour: "vllm", latency: "realistic" }, async (sim) => {
      const { policy, verifier } = await endpoints(sim.url, "sim-policy-72b", "vllm-pooling", "sim-prm-qwen");
      const p = problems(1, 3, 36)[0]!;
      const controller = new AbortController();
      const before = sim.closedConnections();
      const run = runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        signal: controller.signal,
        config: { strategy: "beam", n: 8, beamWidth: 2, seed: 8 },
      });
      await until(() => sim.requests.filter((q) => q.path === "/pooling").length >= 2, "the run is scoring");
      await until(
        () => sim.requests.some((q) => q.method === "POST" && q.status === 0),
        "a request is in flight",
      );
      const open = sim.openConnections();
      assert.ok(open > 0);
      controller.abort();
      const r = await run;
      assert.equal(r.aborted, true);
      await until(() => sim.openConnections() === 0, "the server sees every connection closed", 2_000);
      assert.ok(sim.closedConnections() - before >= open);
    }));
});
