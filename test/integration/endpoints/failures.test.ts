// Failures are visible: verifier calls that exhaust their retries leave their paths in the
// result as failures with the cause, and tokens spent on calls that then failed are counted.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { runSearch, Scheduler } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { problems, withSim } from "./sim.js";

describe("failed verifier calls", () => {
  it("are in the result with their cause and the paths they cost, also when the run has an answer", () =>
    withSim({ flavour: "vllm" }, (policySim) =>
      withSim({ flavour: "vllm", faults: "503=0.5", seed: 4 }, async (prmSim) => {
        const policy = await createPolicy({
          baseUrls: [policySim.url],
          model: "sim-policy-7b",
          apiStyle: "auto",
        });
        const verifier = await createVerifier({
          baseUrls: [prmSim.url],
          model: "sim-prm-qwen",
          kind: "vllm-pooling",
          maxRetries: 0,
        });
        const p = problems(1, 1)[0]!;
        const events: string[] = [];
        const r = await runSearch({
          problem: { text: p.text },
          policy,
          verifier,
          config: { strategy: "best-of-n", n: 16, seed: 2 },
          onEvent: (e) => events.push(e.type),
        });
        const failedNodes = events.filter((t) => t === "node-failed").length;
        assert.ok(
          failedNodes > 0 && r.candidates.length > 0,
          `${failedNodes} failed, ${r.candidates.length} finished`,
        );
        assert.equal(r.error, undefined);
        assert.ok(r.failures?.length, "the result lists the failures");
        assert.ok(r.failures.every((f) => f.role === "verifier" && /HTTP 503/.test(f.message)));
        assert.equal(
          r.failures.reduce((a, f) => a + f.paths, 0),
          failedNodes,
        );
        assert.equal(r.cost.verifier.failures, failedNodes);
      }),
    ));
});

describe("tokens of failed calls", () => {
  it("a judge call whose answers were spent but held no verdict counts their tokens", async () => {
    // A chat model that answers "Maybe": each request is billed, the call fails.
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        if (req.method === "GET" && req.url === "/v1/models") {
          res.end(JSON.stringify({ object: "list", data: [{ id: "judge", owned_by: "vllm" }] }));
          return;
        }
        res.end(
          JSON.stringify({
            choices: [{ index: 0, message: { role: "assistant", content: "Maybe" }, finish_reason: "stop" }],
            usage: { prompt_tokens: 40, completion_tokens: 1, total_tokens: 41 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const verifier = await createVerifier({ baseUrls: [url], model: "judge", kind: "llm-judge" });
      const policy = await createPolicy({ baseUrls: [url], model: "judge", apiStyle: "whole-solution" });
      const scheduler = new Scheduler(policy, verifier, {
        policyConcurrency: 1,
        verifierConcurrency: 1,
        policyParams: null,
        verifierParams: 1e9,
      });
      await assert.rejects(scheduler.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5."]), /no Yes\/No verdict/);
      const cost = scheduler.cost.verifier;
      assert.equal(cost.failures, 1);
      assert.ok(cost.requests >= 2, `${cost.requests} requests`);
      // Every request answered with 40 + 1 tokens.
      assert.equal(cost.promptTokens, 40 * cost.requests);
      assert.equal(cost.completionTokens, cost.requests);
      assert.equal(cost.flops, 2e9 * 41 * cost.requests);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
