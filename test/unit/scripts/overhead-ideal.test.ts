import assert from "node:assert/strict";
import { test } from "node:test";
import { idealMs, schedule, type EngineSpec } from "../../../scripts/overhead-ideal.js";
import type { EngineWork } from "../../../test/simworld/engine.js";

const models = { policy: "pol", verifier: "prm" };
const pol: EngineSpec = { prefillMsPerToken: 1, decodeMsPerToken: 10, requestMs: 2, slots: 4 };
const prm: EngineSpec = { prefillMsPerToken: 0.5, decodeMsPerToken: 0, requestMs: 2, slots: 4 };
const w = (model: string, at: number, prefill: number, decode: number): EngineWork => ({
  model,
  at,
  prefillTokens: prefill,
  decodeTokens: decode,
});
const ideal = (work: EngineWork[], starts: number[]) => idealMs(work, starts, models, pol, prm).ideal;

test("one sequence: its own duration plus its score", () => {
  // Policy: 2 + 10 × 1 + 3 × 10 (alone: no load) = 42; PRM: 2 + 20 × 0.5 = 12.
  const r = idealMs([w("pol", 0, 10, 3), w("prm", 1, 20, 0)], [0], models, pol, prm);
  assert.deepEqual(r, { ideal: 54, bound: 54 });
});

test("the engine's slots, first come first served: later sequences wait for a free slot", () => {
  const one = { ...pol, slots: 1, prefillMsPerToken: 0 };
  // 0 → 2 (request) → 12 (one step); the second starts at 12 → 14 → 34.
  assert.deepEqual(
    schedule(
      [
        { arrive: 0, work: w("pol", 0, 0, 1) },
        { arrive: 0, work: w("pol", 0, 0, 2) },
      ],
      one,
    ),
    [12, 34],
  );
});

test("more sequences than slots: two waves of full batches", () => {
  // 8 sequences on 4 slots, a full batch: step 10 × (1 + 0.5 × 3/4) = 13.75, so each wave takes
  // 2 + 4 × 13.75 = 57 ms; then the last children's scores, 2 ms.
  const work = Array.from({ length: 8 }, () => [w("pol", 0, 0, 4), w("prm", 60, 0, 0)]).flat();
  assert.equal(ideal(work, [0]), 116);
});

test("the longest score goes to the child that returns first", () => {
  // Two children decoding together (step 11.25) end at 13.25 and 35.75; scores of 12 and 3 ms:
  // 13.25 + 12 and 35.75 + 3.
  const work = [w("pol", 0, 0, 1), w("pol", 0, 0, 3), w("prm", 20, 20, 0), w("prm", 40, 2, 0)];
  assert.equal(ideal(work, [0]), 38.75);
});

test("rounds are summed, each sequence counted in the round it arrived in", () => {
  const work = [w("pol", 0, 0, 1), w("prm", 5, 0, 0), w("pol", 100, 0, 2), w("prm", 130, 0, 0)];
  // Round 1: 12 + 2; round 2: 22 + 2.
  assert.equal(ideal(work, [0, 100]), 38);
});

test("a PRM slower than the policy: its own slots bound the round", () => {
  // The child returns at 2; eight scores of 32 ms on 4 slots: 2 + 32 + 32.
  const work = [w("pol", 0, 0, 0), ...Array.from({ length: 8 }, () => w("prm", 1, 60, 0))];
  assert.equal(ideal(work, [0]), 66);
});
