import assert from "node:assert/strict";
import { test } from "node:test";
import { idealMs, type EngineSpec } from "../../../scripts/overhead-ideal.js";
import type { EngineWork } from "../../../test/simworld/engine.js";

const models = { policy: "pol", verifier: "prm" };
const pol: EngineSpec = { prefillMsPerToken: 1, decodeMsPerToken: 10, requestMs: 2, slots: 4 };
const prm: EngineSpec = { prefillMsPerToken: 0.5, decodeMsPerToken: 0, requestMs: 2, slots: 4 };
const w = (model: string, at: number, sequences: number, prefill: number, decode: number): EngineWork => ({
  model,
  at,
  sequences,
  prefillTokens: prefill,
  decodeTokens: decode,
});

test("one request: its own duration plus the PRM's", () => {
  // Policy: 2 + 10 × 1 + 3 × 10 (one sequence: no load) = 42; PRM: 2 + 20 × 0.5 = 12.
  assert.equal(idealMs([w("pol", 0, 1, 10, 3), w("prm", 1, 1, 20, 0)], [0], models, pol, prm), 54);
});

test("more sequences than slots: the round is bound by slot-time over slots", () => {
  // 8 sequences on 4 slots, a full batch: step 10 × (1 + 0.5 × 3/4) = 13.75; each request
  // 2 + 0 + 4 × 13.75 = 57 ms holding 4 slots, so 2 × 4 × 57 / 4 = 114; then the PRM's 2 ms.
  const work = [w("pol", 0, 4, 0, 4), w("pol", 0, 4, 0, 4), w("prm", 5, 1, 0, 0)];
  assert.equal(idealMs(work, [0], models, pol, prm), 116);
});

test("rounds are summed, each request counted in the round it arrived in", () => {
  const work = [w("pol", 0, 1, 0, 1), w("prm", 5, 1, 0, 0), w("pol", 100, 1, 0, 2), w("prm", 130, 1, 0, 0)];
  // Round 1: 12 + 2; round 2: 22 + 2.
  assert.equal(idealMs(work, [0, 100], models, pol, prm), 38);
});

test("a PRM slower than the policy bounds the round by its own slot-time", () => {
  const work = [w("pol", 0, 1, 0, 0), ...Array.from({ length: 8 }, () => w("prm", 1, 1, 60, 0))];
  // PRM: 8 × 32 ms on 4 slots = 64 > policy 2 + one PRM request 32.
  assert.equal(idealMs(work, [0], models, pol, prm), 64);
});
