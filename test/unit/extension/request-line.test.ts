import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRequestLine } from "../../../src/extension/endpoint-bridge.js";

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
