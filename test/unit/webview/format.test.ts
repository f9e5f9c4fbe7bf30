import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyCost } from "../../../src/core/index.js";
import { costLine, formatCount, formatFlops, formatSeconds } from "../../../webview/format.js";

test("the cost line gives time, requests by role, tokens and FLOPs", () => {
  const cost = emptyCost();
  cost.policy = {
    requests: 37,
    failures: 1,
    retries: 2,
    promptTokens: 9000,
    completionTokens: 3300,
    flops: 3.2e15,
  };
  cost.verifier = { requests: 8, failures: 0, retries: 0, promptTokens: 1000, completionTokens: 0, flops: 0 };
  cost.flops = 3.2e15;
  assert.equal(
    costLine(cost, 12_345),
    "12.3 s · 45 requests (policy 37, verifier 8) · 13k tokens · ≈ 3.2 PFLOP · 1 failed · 2 retried",
  );
});

test("numbers read at a glance", () => {
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(1234), "1.2k");
  assert.equal(formatCount(2_500_000), "2.5M");
  assert.equal(formatSeconds(61_000), "1 min 1 s");
  assert.equal(formatFlops(0), "FLOPs unknown");
  assert.equal(formatFlops(4.5e12), "≈ 4.5 TFLOP");
});
