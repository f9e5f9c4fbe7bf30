import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_TIMEOUTS, withTestLimits } from "../../../src/endpoints/connection-test.js";
import { DETECT_DEADLINE_MS, DETECT_TIMEOUTS } from "../../../src/endpoints/detect.js";

test("Test Connection waits at most 30 s for a first token, with one retry; shorter settings win", () => {
  const base = { baseUrls: ["http://localhost:8000"], model: "m" };
  assert.deepEqual(
    withTestLimits({
      ...base,
      timeouts: { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000 },
      maxRetries: 4,
    }),
    {
      ...base,
      timeouts: { connectMs: 10_000, firstTokenMs: TEST_TIMEOUTS.firstTokenMs, idleMs: TEST_TIMEOUTS.idleMs },
      maxRetries: 1,
    },
  );
  const short = withTestLimits({ ...base, timeouts: { firstTokenMs: 5_000 }, maxRetries: 0 });
  assert.equal(short.timeouts?.firstTokenMs, 5_000);
  assert.equal(short.maxRetries, 0);
  assert.equal(withTestLimits({ ...base, maxRetries: undefined }).maxRetries, 1);
});

test("detection's limits fit a never-answering server in 30 s, Test Connection's one retry included", () => {
  assert.ok(DETECT_DEADLINE_MS <= 15_000);
  assert.ok(2 * DETECT_TIMEOUTS.firstTokenMs <= DETECT_DEADLINE_MS);
});
