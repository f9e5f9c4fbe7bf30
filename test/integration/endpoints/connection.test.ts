import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { runSearch, type VerifierKind } from "../../../src/core/index.js";
import { createPolicy, createVerifier, EndpointError, testConnection } from "../../../src/endpoints/index.js";
import { FLAVOURS, posts, problems, requestLog, withSim, type Flavour } from "./sim.js";

const VERIFIER: Record<Flavour, { kind: VerifierKind; model: string }> = {
  vllm: { kind: "vllm-pooling", model: "sim-prm-qwen" },
  llamacpp: { kind: "token-logprob", model: "sim-prm-shepherd" },
  ollama: { kind: "llm-judge", model: "sim-judge-7b" },
  openai: { kind: "llm-judge", model: "sim-judge-7b" },
};

/** A port on which nothing listens. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("testConnection", () => {
  for (const flavour of FLAVOURS)
    it(`${flavour}: a real generation and a real 2-step scoring, reported in words`, () =>
      withSim({ flavour }, async (sim) => {
        const v = VERIFIER[flavour];
        const report = await testConnection(
          { baseUrls: [`${sim.url}/v1/chat/completions`], model: "sim-policy-7b", apiStyle: "auto" },
          { baseUrls: [sim.url], model: v.model, kind: v.kind },
        );
        assert.equal(report.ok, true, report.lines.join("\n"));
        const text = report.lines.join("\n");
        assert.match(text, new RegExp(`Policy: ${sim.url} \\(from "${sim.url}/v1/chat/completions"\\)`));
        assert.match(text, /✓ Policy 1-token generation/);
        assert.match(
          text,
          flavour === "openai" ? /cannot continue partial solutions/ : /✓ Policy continuation/,
        );
        assert.equal(report.verifier!.scores!.length, 2);
        assert.match(text, /✓ Verifier scored a 2-step solution: 0\.\d{3}, 0\.\d{3}/);
        assert.equal(report.policy.flavour, flavour);
        assert.equal(report.policy.continuation, flavour !== "openai");
        if (flavour === "vllm" || flavour === "openai") assert.match(text, /Up to \d+ samples per request/);
      }));

  it("says which model names are served when the configured one is not", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const report = await testConnection(
        { baseUrls: [sim.url], model: "qwen-math", apiStyle: "auto" },
        null,
      );
      assert.equal(report.ok, false);
      assert.match(report.summary, /"qwen-math" is not among the served models: sim-policy-0\.5b/);
      assert.match(report.lines.join("\n"), /404: The model `qwen-math` does not exist/);
    }));

  it("says nothing is listening, and where, when the server is down", async () => {
    const port = await deadPort();
    const report = await testConnection(
      { baseUrls: [`localhost:${port}`], model: "m", apiStyle: "auto", maxRetries: 0 },
      { baseUrls: [`http://127.0.0.1:${port}`], model: "p", kind: "vllm-pooling", maxRetries: 0 },
    );
    assert.equal(report.ok, false);
    assert.match(report.lines[0]!, /refused the connection.*Nothing is listening at http:\/\/localhost:\d+/);
    assert.match(report.lines.at(-1)!, /✗ Verifier/);
  });
});

describe("errors, keys and replicas", () => {
  it("errors carry endpoint, URL, status and the server's message, also from flat (legacy vLLM) bodies", () =>
    withSim({ flavour: "vllm", legacyErrors: true }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "no-such-model",
        apiStyle: "chat-continue",
      });
      await assert.rejects(
        policy.expand({
          problem: { text: "What is 1 + 1?" },
          prefix: [],
          k: 1,
          mode: "solution",
          delimiter: "\n\n",
          temperature: 0,
          maxTokens: 8,
        }),
        (e: unknown) => {
          assert.ok(e instanceof EndpointError);
          assert.equal(e.endpoint, "policy");
          assert.equal(e.url, `${sim.url}/v1/chat/completions`);
          assert.equal(e.status, 404);
          assert.match(e.serverMessage!, /no-such-model/);
          assert.match(e.hint!, /GET \/v1\/models/);
          return true;
        },
      );
    }));

  it("the API key goes to its own server only and never into logs or errors", () =>
    withSim({ flavour: "vllm", apiKey: "sk-policy-secret-123456" }, (keyed) =>
      withSim({ flavour: "vllm" }, async (open) => {
        const { lines, log } = requestLog();
        await assert.rejects(
          createPolicy(
            {
              baseUrls: [keyed.url],
              model: "sim-policy-7b",
              apiStyle: "auto",
              apiKey: "sk-wrong-key-99999999",
            },
            { log },
          ),
          (e: unknown) =>
            e instanceof EndpointError &&
            e.status === 401 &&
            /API key/.test(e.message) &&
            !e.message.includes("sk-wrong"),
        );
        const policy = await createPolicy(
          {
            baseUrls: [keyed.url],
            model: "sim-policy-7b",
            apiStyle: "auto",
            apiKey: "sk-policy-secret-123456",
          },
          { log },
        );
        const verifier = await createVerifier(
          { baseUrls: [open.url], model: "sim-prm-qwen", kind: "vllm-pooling" },
          { log },
        );
        const p = problems(1, 1)[0]!;
        const r = await runSearch({
          problem: { text: p.text },
          policy,
          verifier,
          config: { strategy: "beam", n: 4, beamWidth: 2, seed: 1 },
        });
        assert.equal(r.answer, p.answer);
        assert.ok(
          posts(keyed).every(
            (q) => q.headers.authorization === "Bearer sk-policy-secret-123456" || q.status === 401,
          ),
        );
        assert.ok(open.requests.every((q) => q.headers.authorization === undefined));
        assert.ok(lines.length > 0);
        assert.ok(!JSON.stringify(lines).includes("secret") && !JSON.stringify(lines).includes("sk-"));
      }),
    ));

  it("replicas: requests go to the live one, and a dead one is taken out after it fails", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const dead = `http://127.0.0.1:${await deadPort()}`;
      const { lines, log } = requestLog();
      const policy = await createPolicy(
        { baseUrls: [sim.url, dead], model: "sim-policy-72b", apiStyle: "auto" },
        { log },
      );
      const verifier = await createVerifier(
        { baseUrls: [dead, sim.url], model: "sim-prm-qwen", kind: "vllm-pooling" },
        { log },
      );
      const p = problems(1, 2, 41)[0]!;
      const r = await runSearch({
        problem: { text: p.text },
        policy,
        verifier,
        config: { strategy: "beam", n: 8, beamWidth: 4, seed: 3 },
      });
      assert.equal(r.error, undefined);
      assert.equal(r.answer, p.answer);
      const toDead = lines.filter((l) => l.url.startsWith(dead) && l.method === "POST");
      const toLive = lines.filter((l) => l.url.startsWith(sim.url) && l.method === "POST");
      assert.ok(toDead.every((l) => l.error === "refused"));
      assert.ok(toDead.length <= 4, `${toDead.length} requests went to the dead replica`);
      assert.ok(toLive.length > 10);
    }));
});
