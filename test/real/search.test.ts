// Every strategy through runSearch against real llama-servers (4 slots each): request and
// retry counts, token usage against the server's own counts, and two replicas sharing load.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runSearch, type SearchConfig, type VerifierKind } from "../../src/core/index.js";
import { createPolicy, createVerifier, type RequestLogLine } from "../../src/endpoints/index.js";
import { problemMessages } from "../../src/endpoints/policy/prompt.js";
import { tinyModel } from "./gguf/tiny-model.js";
import { realSuite, startServer, type RealServer } from "./llama-server/server.js";

const problem = { text: "What is $2 + 3$?" };

async function search(
  urls: string[],
  config: Partial<SearchConfig>,
  kind: VerifierKind | "none" = "none",
  apiStyle: "auto" | "chat-continue" = "auto",
) {
  const lines: RequestLogLine[] = [];
  const log = (l: RequestLogLine): void => void lines.push(l);
  const policy = await createPolicy({ baseUrls: urls, model: "", apiStyle }, { log });
  const verifier =
    kind === "none" ? undefined : await createVerifier({ baseUrls: urls, model: "", kind }, { log });
  const from = lines.length;
  const r = await runSearch({
    problem,
    policy,
    verifier,
    config: { maxTokens: 48, maxSteps: 6, seed: 1, ...config },
  });
  return { r, lines: lines.slice(from) };
}

describe("real llama-server: every strategy", realSuite(), () => {
  let a: RealServer;
  let b: RealServer;
  before(async () => {
    [a, b] = await Promise.all([startServer({ slots: 4 }), startServer({ slots: 4 })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("majority n=64 on 4 slots: at most 16 policy requests (n_cmpl), no retries", async () => {
    const { r } = await search([a.url], { strategy: "majority", n: 64, earlyStop: false });
    assert.equal(r.error, undefined);
    assert.equal(r.candidates.length, 64);
    assert.ok(r.cost.policy.requests <= 16, `${r.cost.policy.requests} policy requests`);
    assert.equal(r.cost.policy.retries, 0);
    // The model's name (a .gguf path) says no size: FLOPs come from /v1/models meta.n_params.
    const { promptTokens, completionTokens, flops } = r.cost.policy;
    assert.equal(flops, 2 * tinyModel().nParams * (promptTokens + completionTokens));
  });

  for (const kind of ["token-logprob", "llm-judge"] as const)
    it(`best-of-n with ${kind}: every candidate scored, no retries`, async () => {
      const { r } = await search([a.url], { strategy: "best-of-n", n: 32 }, kind);
      assert.equal(r.error, undefined);
      assert.equal(r.candidates.length, 32);
      assert.ok(r.candidates.every((c) => c.stepScores?.length === c.steps.length));
      assert.equal(r.cost.policy.retries + r.cost.verifier.retries, 0);
    });

  for (const strategy of ["greedy", "beam", "dvts", "auto"] as const)
    it(`${strategy} finishes with no retries`, async () => {
      const { r } = await search([a.url], { strategy, n: 8, beamWidth: 4 }, "token-logprob");
      assert.equal(r.error, undefined);
      assert.ok(r.candidates.length >= 1);
      assert.equal(r.cost.policy.retries + r.cost.verifier.retries, 0);
    });

  it("two replicas share majority n=64: neither gets under a third of the requests", async () => {
    const { r, lines } = await search([a.url, b.url], { strategy: "majority", n: 64, earlyStop: false });
    assert.equal(r.error, undefined);
    assert.equal(r.cost.policy.retries, 0);
    const posts = lines.filter((l) => l.method === "POST" && l.url.endsWith("/completion"));
    const onA = posts.filter((l) => l.url.startsWith(a.url)).length;
    const onB = posts.filter((l) => l.url.startsWith(b.url)).length;
    assert.ok(Math.min(onA, onB) >= posts.length / 3, `split ${onA}/${onB}`);
  });

  it("token usage with n = 4 in one chat request is the sum of the server's per-choice counts", async () => {
    const policy = await createPolicy({ baseUrls: [a.url], model: "", apiStyle: "chat-continue" });
    assert.equal(policy.capabilities.maxN, 4);
    const request = {
      problem,
      prefix: [],
      mode: "solution" as const,
      delimiter: "\n\n",
      temperature: 0,
      maxTokens: 24,
    };
    const four = await policy.expand({ ...request, k: 4 });
    assert.equal(four.generations.length, 4);
    // Greedy: every choice is the same, so the server's count for one, asked alone, is each one's.
    const res = await fetch(`${a.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: problemMessages(problem, undefined), temperature: 0, max_tokens: 24 }),
    });
    const one = (await res.json()) as { usage: { completion_tokens: number; prompt_tokens: number } };
    assert.equal(four.usage.completionTokens, 4 * one.usage.completion_tokens);
    assert.equal(four.usage.promptTokens, 4 * one.usage.prompt_tokens);
  });
});
