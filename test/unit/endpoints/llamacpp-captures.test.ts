// The parsers over traffic captured from a real llama-server (test/fixtures/llamacpp-real/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { StreamedChoices, StreamedLlamaCompletion } from "../../../src/endpoints/adapters/choices.js";
import { hintForStatus, isContextOverflow, parseErrorBody } from "../../../src/endpoints/errors.js";
import { SseParser } from "../../../src/endpoints/sse.js";

function capturedEvents(name: string): unknown[] {
  const url = new URL(`../../fixtures/llamacpp-real/server/${name}.response.txt`, import.meta.url);
  const raw = readFileSync(url, "utf8");
  const body = raw.slice(
    raw.indexOf("\r\n\r\n") >= 0 ? raw.indexOf("\r\n\r\n") + 4 : raw.indexOf("\n\n") + 2,
  );
  const parser = new SseParser();
  return [...parser.push(Buffer.from(body)), ...parser.end()]
    .filter((p) => p !== "[DONE]")
    .map((p) => JSON.parse(p) as unknown);
}

describe("llama-server captures", () => {
  it("streamed chat with n = 2: the usage is the sum of the per-choice usage chunks", () => {
    const folded = new StreamedChoices();
    for (const e of capturedEvents("post-v1-chat-stream-n-2")) folded.event(e);
    const r = folded.result();
    assert.equal(r.choices.length, 2);
    // The server sent completion_tokens 1 and 2 (prompt 48 each), one chunk per choice.
    assert.deepEqual(r.usage, { promptTokens: 96, completionTokens: 3 });
  });

  it("streamed /v1/completions with n = 2: usage rides on each choice's finishing chunk", () => {
    const folded = new StreamedChoices();
    const events = capturedEvents("post-v1-completions-stream-n-2-stop");
    for (const e of events) folded.event(e);
    const perChoice = events
      .map((e) => (e as { usage?: { completion_tokens: number } }).usage?.completion_tokens)
      .filter((n): n is number => n !== undefined);
    assert.ok(perChoice.length >= 2, "the capture has one usage per choice");
    assert.equal(
      folded.result().usage?.completionTokens,
      perChoice.reduce((a, b) => a + b, 0),
    );
  });

  it("/completion with n_cmpl = 2 streamed: interleaved samples, each ending with its own stop event", () => {
    const folded = new StreamedLlamaCompletion();
    for (const e of capturedEvents("post-completion-n-cmpl-2-stream")) folded.event(e);
    assert.ok(folded.complete());
    const r = folded.result();
    assert.deepEqual(
      r.choices.map((c) => c.index),
      [0, 1],
    );
    assert.ok(r.usage && r.usage.completionTokens > 0);
  });
});

describe("llama-server errors", () => {
  it("a prompt over the slot's context: the hint says the context is per slot (-c / -np) and how big", () => {
    const url = new URL(
      "../../fixtures/llamacpp-real/server/err-too-long-chat.response.json",
      import.meta.url,
    );
    const { status, body } = JSON.parse(readFileSync(url, "utf8")) as { status: number; body: unknown };
    const parsed = parseErrorBody(body);
    assert.equal(isContextOverflow(status, parsed), true);
    const hint = hintForStatus(status, parsed, "http://127.0.0.1:8080/v1/chat/completions") ?? "";
    assert.match(hint, /one slot's context \(2048 tokens\)/);
    assert.match(hint, /-c \/ -np/);
  });
});
