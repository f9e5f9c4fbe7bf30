import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { runSearch, type Verifier, type VerifierKind } from "../../../src/core/index.js";
import { EndpointClient } from "../../../src/endpoints/client.js";
import { createPolicy, createVerifier, EndpointError } from "../../../src/endpoints/index.js";
import { SHEPHERD_BATCH, TokenLogprobVerifier } from "../../../src/endpoints/verifier/token-logprob.js";
import { posts, problems, withSim, type Flavour } from "./sim.js";

/** Every verifier kind on every flavour it applies to, with the simworld model that plays it. */
const MATRIX: { kind: VerifierKind; flavour: Flavour; model: string; onePass?: boolean }[] = [
  { kind: "vllm-pooling", flavour: "vllm", model: "sim-prm-qwen", onePass: true },
  { kind: "token-logprob", flavour: "vllm", model: "sim-prm-shepherd", onePass: true },
  { kind: "token-logprob", flavour: "llamacpp", model: "sim-prm-shepherd" },
  { kind: "token-logprob", flavour: "ollama", model: "sim-prm-shepherd" },
  { kind: "token-logprob", flavour: "openai", model: "sim-prm-shepherd" },
  { kind: "llm-judge", flavour: "vllm", model: "sim-judge-7b" },
  { kind: "llm-judge", flavour: "llamacpp", model: "sim-judge-7b" },
  { kind: "llm-judge", flavour: "ollama", model: "sim-judge-7b" },
  { kind: "llm-judge", flavour: "openai", model: "sim-judge-7b" },
];

const set = problems(6, 2, 21);
/** A wrong second step: the value is off by one, so it and every later step are wrong. */
const corrupt = (steps: string[]): string[] =>
  steps.map((s, i) => (i === 1 ? s.replace(/= (\d+)\$/, (_, v: string) => `= ${Number(v) + 1}$`) : s));

async function separation(verifier: Verifier): Promise<{ right: number; wrong: number }> {
  let right = 0;
  let wrong = 0;
  for (const p of set) {
    const good = await verifier.score({ text: p.text }, p.steps);
    const bad = await verifier.score({ text: p.text }, corrupt(p.steps));
    assert.equal(good.scores.length, p.steps.length);
    assert.equal(bad.scores.length, p.steps.length);
    for (const s of [...good.scores, ...bad.scores]) assert.ok(s >= 0 && s <= 1, String(s));
    right += good.scores.slice(1).reduce((a, b) => a + b, 0);
    wrong += bad.scores.slice(1).reduce((a, b) => a + b, 0);
  }
  return { right, wrong };
}

describe("verifiers against simworld", () => {
  for (const { kind, flavour, model, onePass } of MATRIX) {
    it(`${kind} on ${flavour}: one score per step, right steps above wrong ones, ${onePass ? "one request per path" : "one request per new step"}`, () =>
      withSim({ flavour }, async (sim) => {
        const verifier = (await createVerifier({ baseUrls: [sim.url], model, kind }))!;
        assert.equal(verifier.kind, kind);
        const { right, wrong } = await separation(verifier);
        assert.ok(right > wrong + 1, `right steps ${right.toFixed(2)} vs wrong ${wrong.toFixed(2)}`);

        // Request pattern on a fresh path, then on the same path one step longer.
        const p = problems(1, 3, 99)[0]!;
        let from = sim.requests.length;
        await verifier.score({ text: p.text }, p.steps.slice(0, 3));
        const first = posts(sim, from).length;
        from = sim.requests.length;
        await verifier.score({ text: p.text }, p.steps.slice(0, 4));
        const extended = posts(sim, from).length;
        if (onePass) assert.deepEqual([first, extended], [1, 1]);
        else assert.deepEqual([first, extended], [3, 1], "earlier steps' scores are reused");
        if (kind === "token-logprob" && flavour === "vllm") {
          const body = posts(sim, from)[0]!.body as Record<string, unknown>;
          assert.equal(body.prompt_logprobs, 20);
          assert.equal(body.return_token_ids, true);
        }
      }));
  }

  it("token-logprob on vLLM scores several Math-Shepherd paths in one request, as it scores each alone", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const verifier = (await createVerifier({
        baseUrls: [sim.url],
        model: "sim-prm-shepherd",
        kind: "token-logprob",
      }))!;
      assert.equal(verifier.maxBatch, SHEPHERD_BATCH);
      const paths = set.slice(0, 3).map((p, i) => (i === 1 ? corrupt(p.steps) : p.steps));
      const problem = { text: set[0]!.text };
      const from = sim.requests.length;
      const batch = await verifier.scoreBatch!(problem, paths);
      const sent = posts(sim, from);
      assert.equal(sent.length, 1);
      assert.equal((sent[0]!.body as { prompt: string[] }).prompt.length, 3);
      assert.equal(batch.usage.completionTokens, 3, "one generated token per path");
      for (const [i, steps] of paths.entries())
        assert.deepEqual(batch.scores[i], (await verifier.score(problem, steps)).scores);
    }));

  it("vllm-pooling drops <extra_0> written inside a step, so the scores still line up", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const verifier = (await createVerifier({
        baseUrls: [sim.url],
        model: "sim-prm-qwen",
        kind: "vllm-pooling",
      }))!;
      const p = set[0]!;
      const steps = p.steps.map((s, i) => (i === 0 ? `${s}<extra_0>` : s));
      const r = await verifier.score({ text: p.text }, steps);
      assert.equal(r.scores.length, steps.length);
    }));

  it("vllm-pooling is refused on a server without /pooling, saying what to use", () =>
    withSim({ flavour: "ollama" }, async (sim) => {
      await assert.rejects(
        createVerifier({ baseUrls: [sim.url], model: "sim-prm-qwen", kind: "vllm-pooling" }),
        (e: unknown) =>
          e instanceof EndpointError && /no \/pooling/.test(e.message) && /token-logprob/.test(e.message),
      );
    }));

  it("token-logprob reads RLHFlow-style chats (step turns answered '+') one step at a time", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const client = new EndpointClient({ endpoint: "verifier", baseUrls: [sim.url] });
      const verifier = new TokenLogprobVerifier(client, "sim-prm-shepherd", "vllm", "rlhflow");
      const { right, wrong } = await separation(verifier);
      assert.ok(right > wrong + 1, `right steps ${right.toFixed(2)} vs wrong ${wrong.toFixed(2)}`);
      const chat = posts(sim).filter((r) => r.path === "/v1/chat/completions");
      const messages = (chat.at(-1)!.body as { messages: { role: string; content: string }[] }).messages;
      assert.equal(messages[0]!.role, "user");
      assert.ok(messages.filter((m) => m.role === "assistant").every((m) => m.content === "+"));
    }));

  it("kind none: no verifier; search strategies that need one refuse, majority vote runs", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      assert.equal(await createVerifier({ baseUrls: [sim.url], model: "", kind: "none" }), null);
      const policy = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-72b", apiStyle: "auto" });
      const p = problems(1, 1)[0]!;
      const run = (strategy: "beam" | "majority") =>
        runSearch({
          problem: { text: p.text },
          policy,
          verifier: null,
          config: { strategy, n: 4, beamWidth: 2, seed: 1 },
        });
      const beam = await run("beam");
      assert.match(beam.error ?? "", /needs a verifier.*majority vote/s);
      assert.equal((await run("majority")).answer, p.answer);
    }));
});

describe("http verifier (custom scorer contract)", () => {
  /** A real custom scorer: 1 for a step whose equation holds, else 0; `mode` breaks it on purpose. */
  async function scorer(
    mode: "ok" | "short" | "garbage",
  ): Promise<{ server: Server; url: string; seen: unknown[] }> {
    const seen: unknown[] = [];
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      req.on("end", () => {
        const body = JSON.parse(raw) as { problem: string; steps: string[] };
        seen.push({ path: req.url, body, auth: req.headers.authorization });
        const scores = body.steps.map((s) => {
          const m = /(\d+) ([+-]) (\d+) = (\d+)/.exec(s);
          if (!m) return 0.5;
          const v = m[2] === "+" ? Number(m[1]) + Number(m[3]) : Number(m[1]) - Number(m[3]);
          return v === Number(m[4]) ? 1 : 0;
        });
        res.setHeader("content-type", "application/json");
        if (mode === "garbage") res.end('{"scores": "high"}');
        else
          res.end(
            JSON.stringify({
              scores: mode === "short" ? scores.slice(1) : scores,
              usage: { prompt_tokens: 7, completion_tokens: 0 },
            }),
          );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`, seen };
  }

  it("posts {model, problem, steps} to the URL as given and reads one score per step", async () => {
    const s = await scorer("ok");
    try {
      const verifier = (await createVerifier({
        baseUrls: [s.url],
        model: "my-scorer",
        kind: "http",
        apiKey: "k-123",
      }))!;
      const r = await verifier.score({ text: "Start with 5." }, ["5 + 3 = 8.", "8 - 2 = 7."]);
      assert.deepEqual(r.scores, [1, 0]);
      assert.deepEqual(r.usage, { promptTokens: 7, completionTokens: 0 });
      assert.deepEqual(s.seen[0], {
        path: "/v1/score",
        body: { model: "my-scorer", problem: "Start with 5.", steps: ["5 + 3 = 8.", "8 - 2 = 7."] },
        auth: "Bearer k-123",
      });
    } finally {
      s.server.close();
      s.server.closeAllConnections();
    }
  });

  it("a wrong count or a body off the contract is an error that says so", async () => {
    for (const [mode, message] of [
      ["short", /returned 1 scores for 2 steps/],
      ["garbage", /did not answer \{"scores"/],
    ] as const) {
      const s = await scorer(mode);
      try {
        const verifier = (await createVerifier({ baseUrls: [s.url], model: "x", kind: "http" }))!;
        await assert.rejects(verifier.score({ text: "p" }, ["1 + 1 = 2.", "2 + 1 = 3."]), message);
      } finally {
        s.server.close();
        s.server.closeAllConnections();
        s.server.closeAllConnections();
      }
    }
  });
});
