import assert from "node:assert/strict";
import { test } from "node:test";
import type { SearchEvent } from "../../../src/core/index.js";
import { replayTimes } from "../../../src/extension/replay.js";

const at = (...ts: number[]): SearchEvent[] => ts.map((t) => ({ type: "warning", t, message: "" }));

test("a short trace replays at its own pace", () => {
  assert.deepEqual(replayTimes(at(0, 10, 10, 250)), [0, 10, 10, 250]);
});

test("a long trace is compressed into the limit, keeping proportions", () => {
  assert.deepEqual(replayTimes(at(0, 30_000, 60_000), 6000), [0, 3000, 6000]);
});

test("times never go backwards", () => {
  assert.deepEqual(replayTimes(at(0, 50, 20, 60)), [0, 50, 50, 60]);
});
