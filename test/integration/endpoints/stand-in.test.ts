// Server behaviour simworld does not play (a stream that stalls, an error inside a stream, a
// judge without log-probabilities or without verdicts, a PRM with the wrong number of rows,
// token ids that tell '+' from '▁+'), from small real HTTP servers written for the case.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { createPolicy, createVerifier, EndpointError, testConnection } from "../../../src/endpoints/index.js";
import { requestLog, withSim } from "./sim.js";

type Handler = (
  req: IncomingMessage,
  body: Record<string, unknown>,
  res: ServerResponse,
  call: number,
) => void;

async function withServer<T>(
  ownedBy: string,
  handler: Handler,
  body: (url: string, posts: () => number) => Promise<T>,
): Promise<T> {
  let calls = 0;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/v1/models") {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ object: "list", data: [{ id: "m", object: "model", owned_by: ownedBy }] }));
        return;
      }
      if (req.method === "GET") {
        res.statusCode = 404;
        res.end("404 page not found");
        return;
      }
      handler(req, JSON.parse(raw) as Record<string, unknown>, res, calls++);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => calls);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

const sse = (res: ServerResponse): void => {
  res.writeHead(200, { "content-type": "text/event-stream" });
};
const chunk = (content: string, finish: string | null = null): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish, stop_reason: finish ? "\n\n" : undefined }] })}\n\n`;
const expand = {
  problem: { text: "What is 2 + 3?" },
  prefix: ["We add."],
  k: 1,
  mode: "step" as const,
  delimiter: "\n\n",
  temperature: 0,
  maxTokens: 32,
};

describe("behaviour simworld does not play", () => {
  it("a stream that stalls mid-response hits the idle timeout and is retried", () =>
    withServer(
      "vllm",
      (_req, _body, res, call) => {
        sse(res);
        res.write(chunk("2 + 3"));
        if (call === 0) return; // stalls: never finishes
        res.end(chunk(" = 5.", "stop") + "data: [DONE]\n\n");
      },
      async (url) => {
        const { lines, log } = requestLog();
        const policy = await createPolicy(
          { baseUrls: [url], model: "m", apiStyle: "auto", timeouts: { idleMs: 200 } },
          { log },
        );
        const r = await policy.expand(expand);
        assert.deepEqual(r.generations, [{ text: "2 + 3 = 5.", ended: false }]);
        assert.equal(r.retries, 1);
        assert.deepEqual(
          lines.filter((l) => l.method === "POST").map((l) => l.error ?? "ok"),
          ["idle-timeout", "ok"],
        );
      },
    ));

  it("an error inside a stream fails the call with the server's message, and a context overflow is not retried", () =>
    withServer(
      "llamacpp",
      (_req, _body, res) => {
        sse(res);
        res.end(
          `data: ${JSON.stringify({ error: { message: "the request exceeds the available context size, try increasing it", type: "exceed_context_size_error", code: 400 } })}\n\n`,
        );
      },
      async (url) => {
        const { lines, log } = requestLog();
        const policy = await createPolicy(
          { baseUrls: [url], model: "m", apiStyle: "chat-continue" },
          { log },
        );
        await assert.rejects(policy.expand(expand), (e: unknown) => {
          assert.ok(e instanceof EndpointError);
          assert.match(
            e.message,
            /in the middle of its stream: the request exceeds the available context size/,
          );
          assert.match(e.message, /lower max tokens/);
          return true;
        });
        assert.equal(lines.filter((l) => l.url.endsWith("/v1/chat/completions")).length, 1);
      },
    ));

  it("llm-judge falls back to sampled verdicts where the server sends no log-probabilities", () =>
    withServer(
      "library",
      (_req, body, res) => {
        const messages = body.messages as { content: string }[];
        const asked = messages.at(-1)!.content;
        const verdict = /= 5\.\n\nIs step/.test(asked) ? "Yes" : "No";
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            choices: [
              { index: 0, message: { role: "assistant", content: `${verdict}.` }, finish_reason: "stop" },
            ],
            usage: { prompt_tokens: 50, completion_tokens: 2 },
          }),
        );
      },
      async (url, posts) => {
        const verifier = (await createVerifier({ baseUrls: [url], model: "m", kind: "llm-judge" }))!;
        const r = await verifier.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5.", "So 5 + 1 = 7."]);
        assert.deepEqual(r.scores, [1, 0]);
        assert.ok(r.usage.promptTokens > 0);
        // Per step: the log-probability request, then five sampled verdicts (Ollama ignores n).
        assert.equal(posts(), 2 * (1 + 5));
        assert.equal(r.requests, posts(), "the call reports the HTTP requests it sent");
        const again = await verifier.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5."]);
        assert.equal(again.requests, 0, "a step already judged costs no request");
      },
    ));

  const chatReply = (res: ServerResponse, content: string): void => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage: { prompt_tokens: 50, completion_tokens: 2 },
      }),
    );
  };

  it("llm-judge fails, saying what the model answered, when no verdict can be read; Test Connection reports it", () =>
    withServer(
      "library",
      (_req, _body, res) => chatReply(res, "Maybe, it depends on the context."),
      async (url) => {
        const verifier = (await createVerifier({ baseUrls: [url], model: "m", kind: "llm-judge" }))!;
        await assert.rejects(verifier.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5."]), (e: unknown) => {
          assert.ok(e instanceof EndpointError, String(e));
          assert.match(
            e.message,
            /^The verifier endpoint \(http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\)/,
          );
          assert.match(
            e.message,
            /gave no Yes\/No verdict on step 1: the judge model "m" answered "Maybe, it depends/,
          );
          assert.match(e.message, /answer Yes or No .*set another verifier model, or another verifier kind/);
          return true;
        });
        await withSim({ flavour: "vllm" }, async (sim) => {
          const report = await testConnection(
            { baseUrls: [sim.url], model: "sim-policy-7b", apiStyle: "auto" },
            { baseUrls: [url], model: "m", kind: "llm-judge" },
          );
          assert.equal(report.ok, false, report.lines.join("\n"));
          assert.equal(report.verifier?.ok, false);
          assert.match(report.summary, /Verifier scoring failed: .*no Yes\/No verdict on step 1/);
          assert.ok(!report.lines.some((l) => l.startsWith("✓ Verifier scored")), report.lines.join("\n"));
        });
      },
    ));

  it("a /pooling answer with fewer step rows than tags fails with what to serve, and is not retried", () =>
    withServer(
      "vllm",
      (req, _body, res) => {
        assert.equal(req.url, "/pooling");
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            object: "list",
            data: [{ index: 0, object: "pooling", data: [[0.2, 0.8]] }],
            usage: { prompt_tokens: 80, total_tokens: 80, completion_tokens: 0 },
          }),
        );
      },
      async (url, posts) => {
        const verifier = (await createVerifier({ baseUrls: [url], model: "m", kind: "vllm-pooling" }))!;
        await assert.rejects(
          verifier.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5.", "The answer is $\\boxed{5}$."]),
          (e: unknown) => {
            assert.ok(e instanceof EndpointError, String(e));
            assert.match(e.message, /\/pooling\) returned 1 step scores for 2 steps/);
            assert.match(e.message, /score each <extra_0> tag: serve a Qwen2\.5-Math-PRM-style model/);
            return true;
          },
        );
        assert.equal(posts(), 1);
      },
    ));

  it("token-logprob reads '+'/'-' by token id where the PRM's ids are known, else by text", () =>
    withServer(
      "llamacpp",
      (_req, _body, res) => {
        // llama.cpp's chat-shaped logprobs carry ids; "+" (id 999) is not the PRM's '+' (648).
        const top = [
          { id: 999, token: "+", logprob: Math.log(0.5) },
          { id: 648, token: "▁+", logprob: Math.log(0.2) },
          { id: 387, token: "▁-", logprob: Math.log(0.2) },
        ];
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            object: "text_completion",
            choices: [
              {
                index: 0,
                text: "+",
                finish_reason: "length",
                logprobs: { content: [{ ...top[0], top_logprobs: top }] },
              },
            ],
            usage: { prompt_tokens: 30, completion_tokens: 1, total_tokens: 31 },
          }),
        );
      },
      async (url) => {
        const score = async (model: string) =>
          (
            await (await createVerifier({ baseUrls: [url], model, kind: "token-logprob" }))!.score(
              { text: "What is 2 + 3?" },
              ["2 + 3 = 5."],
            )
          ).scores[0]!;
        const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≉ ${b}`);
        close(await score("peiyi9979/math-shepherd-mistral-7b-prm"), 0.2 / (0.2 + 0.2));
        close(await score("some-prm"), (0.5 + 0.2) / (0.5 + 0.2 + 0.2));
      },
    ));

  it("llama.cpp: a template that changes the problem text is rendered by the server for every problem", () => {
    const renders: string[] = [];
    return withServer(
      "llamacpp",
      (req, body, res) => {
        if (req.url === "/apply-template") {
          // A template that escapes markup: the learned frame would give another prompt.
          const messages = body.messages as { role: string; content: string }[];
          const text = messages.map((m) => `<${m.role}>${m.content.replace(/&/g, "&amp;")}`).join("");
          renders.push(messages.at(-1)!.content);
          res.setHeader("content-type", "application/json");
          return void res.end(JSON.stringify({ prompt: `${text}<assistant>` }));
        }
        sse(res);
        res.end(
          `data: ${JSON.stringify({ index: 0, content: "5", stop: false })}\n\n` +
            `data: ${JSON.stringify({ index: 0, content: "", stop: true, stop_type: "eos", tokens_predicted: 1, tokens_evaluated: 9 })}\n\n`,
        );
      },
      async (url) => {
        const policy = await createPolicy({ baseUrls: [url], model: "m", apiStyle: "auto" });
        const before = renders.length;
        const r = await policy.expand({
          ...expand,
          problem: { text: "What is 2 + 3 & 4?" },
          prefix: [],
          mode: "solution",
        });
        assert.equal(r.generations[0]?.text, "5");
        assert.deepEqual(renders.slice(before), ["What is 2 + 3 & 4?"], "one render by the server");
        assert.equal(r.requests, 2, "the render is counted with the generation");
      },
    );
  });
});
