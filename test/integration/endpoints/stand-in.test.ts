// Server behaviour simworld does not play (a stream that stalls, an error inside a stream, a
// judge without log-probabilities), from small real HTTP servers written for the case.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { createPolicy, createVerifier, EndpointError } from "../../../src/endpoints/index.js";
import { requestLog } from "./sim.js";

type Handler = (
  req: IncomingMessage,
  body: Record<string, unknown>,
  res: ServerResponse,
  call: number,
) => void;

async function withServer<T>(
  ownedBy: string,
  handler: Handler,
  body: (url: string) => Promise<T>,
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
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
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
        assert.equal(lines.filter((l) => l.method === "POST").length, 1);
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
      async (url) => {
        const verifier = (await createVerifier({ baseUrls: [url], model: "m", kind: "llm-judge" }))!;
        const r = await verifier.score({ text: "What is 2 + 3?" }, ["2 + 3 = 5.", "So 5 + 1 = 7."]);
        assert.deepEqual(r.scores, [1, 0]);
        assert.ok(r.usage.promptTokens > 0);
      },
    ));
});
