// Failures are visible: verifier calls that exhaust their retries leave their paths in the
// result as failures with the cause, and tokens spent on calls that then failed are counted.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { runSearch, Scheduler } from "../../../src/core/index.js";
import { CHATML_TEMPLATE } from "../../../src/endpoints/chat-template.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { posts, problems, requestLog, withSim } from "./sim.js";

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
          config: { strategy: "beam", n: 16, beamWidth: 4, seed: 2 },
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
        // Paths are scored in batches: a failed request fails each of its paths, and counts once.
        const failedRequests = posts(prmSim).filter((q) => q.path === "/pooling" && q.status === 503);
        assert.ok(
          failedRequests.length < failedNodes,
          `${failedRequests.length} requests, ${failedNodes} paths`,
        );
        assert.equal(r.cost.verifier.failures, failedRequests.length);
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

  // simworld cuts a faulty stream at its third event; on vLLM completions every event before it is
  // one token, and the usage chunk (the server's count) never comes.
  const TOKENS_BEFORE_CUT = 2;
  const completionsPolicy = (url: string, maxRetries: number, log?: Parameters<typeof createPolicy>[1]) =>
    createPolicy(
      {
        baseUrls: [url],
        model: "sim-policy-7b",
        apiStyle: "completions-template",
        chatTemplate: CHATML_TEMPLATE,
        maxRetries,
      },
      log,
    );

  it("a policy call whose every stream was cut off counts the tokens it received", () =>
    withSim({ flavour: "vllm", faults: "truncated=1" }, async (sim) => {
      const policy = await completionsPolicy(sim.url, 2);
      const from = sim.requests.length;
      const r = await runSearch({
        problem: { text: problems(1, 2)[0]!.text },
        policy,
        config: { strategy: "majority", n: 1, seed: 1 },
        policyParams: 1e9,
      });
      const cut = posts(sim, from).filter((q) => q.fault === "truncated").length;
      assert.equal(cut, 3, "the first try and two retries were cut off");
      assert.ok(r.error, "the run failed");
      assert.equal(r.cost.policy.failures, 1);
      assert.equal(r.cost.policy.requests, 3);
      assert.equal(r.cost.policy.completionTokens, TOKENS_BEFORE_CUT * cut);
      // The prompt's count comes only with the usage chunk the cut streams never sent.
      assert.equal(r.cost.policy.promptTokens, 0);
      assert.equal(r.cost.policy.flops, 2e9 * TOKENS_BEFORE_CUT * cut);
    }));

  it("tokens of attempts cut off before a retry succeeded are counted with the call's", () =>
    withSim({ flavour: "vllm", faults: "truncated=0.5", seed: 3 }, async (sim) => {
      const { lines, log } = requestLog();
      const policy = await completionsPolicy(sim.url, 8, { log });
      const from = sim.requests.length;
      const r = await runSearch({
        problem: { text: problems(1, 2)[0]!.text },
        policy,
        config: { strategy: "majority", n: 8, seed: 1 },
        policyConcurrency: 1,
      });
      assert.equal(r.error, undefined);
      const cut = posts(sim, from).filter((q) => q.fault === "truncated").length;
      assert.ok(cut > 0, "streams were cut off");
      // What the server reported for the requests that answered, and what the cut ones sent.
      const answered = lines.filter((l) => l.method === "POST" && l.status === 200 && !l.error);
      const reported = answered.reduce((a, l) => a + (l.completionTokens ?? 0), 0);
      assert.equal(r.cost.policy.completionTokens, reported + TOKENS_BEFORE_CUT * cut);
      assert.equal(
        r.cost.policy.promptTokens,
        answered.reduce((a, l) => a + (l.promptTokens ?? 0), 0),
      );
    }));
});
