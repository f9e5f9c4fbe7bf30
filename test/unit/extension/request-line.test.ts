import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyCost } from "../../../src/core/index.js";
import { formatRequestLine } from "../../../src/extension/endpoint-bridge.js";
import { capLine, MAX_LOG_LINE, runFinishedLine } from "../../../src/extension/log-lines.js";

test("one request is one line: endpoint, method and URL, status, tokens, time, retry", () => {
  assert.equal(
    formatRequestLine({
      endpoint: "policy",
      method: "POST",
      url: "http://127.0.0.1:8000/v1/chat/completions",
      status: 200,
      promptTokens: 163,
      completionTokens: 72,
      ms: 10.4,
      attempt: 2,
    }),
    "policy · POST http://127.0.0.1:8000/v1/chat/completions · HTTP 200 · 163+72 tokens · 10 ms · retry 1",
  );
  assert.equal(
    formatRequestLine({
      endpoint: "verifier",
      method: "POST",
      url: "http://127.0.0.1:9/pooling",
      status: null,
      ms: 3,
      attempt: 1,
      error: "connection refused",
    }),
    "verifier · POST http://127.0.0.1:9/pooling · no response · 3 ms · connection refused",
  );
});

test("a run's log line quotes at most 200 characters of its answer, and any line is cut to 2000", () => {
  const result = {
    strategy: "majority" as const,
    answer: `1${".".repeat(60_000)}x`,
    chosen: null,
    candidates: [],
    tally: [],
    cost: { ...emptyCost(), wallMs: 12.3 },
    aborted: false,
  };
  const line = runFinishedLine(3, result);
  assert.ok(line.length < 400, `${line.length} characters`);
  assert.match(
    line,
    /^Run 3 finished: 1\.{199}… \(59802 more characters\) \(0 candidates, 0 requests, 12 ms\)$/,
  );
  const long = capLine("y".repeat(60_000));
  assert.equal(long.length, MAX_LOG_LINE + "… (58000 more characters)".length);
  assert.equal(capLine("short"), "short");
});
