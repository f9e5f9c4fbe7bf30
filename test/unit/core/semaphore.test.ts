import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Semaphore } from "../../../src/core/semaphore.js";

/** Runs tasks of the given weights at once, each held until released; records peak load. */
function harness(limit: number) {
  const gate = new Semaphore(limit);
  let load = 0;
  let peak = 0;
  const started: number[] = [];
  const releases = new Map<number, () => void>();
  const run = (id: number, weight: number): Promise<void> =>
    gate.run(async () => {
      load += Math.min(weight, limit);
      peak = Math.max(peak, load);
      started.push(id);
      await new Promise<void>((resolve) => releases.set(id, resolve));
      load -= Math.min(weight, limit);
    }, weight);
  return { run, started, releases, peak: () => peak };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("Semaphore in weighted units", () => {
  it("fills the limit exactly, never beyond it, first come first served", async () => {
    const h = harness(8);
    const all = [h.run(1, 4), h.run(2, 2), h.run(3, 4), h.run(4, 2)];
    await tick();
    // 4 + 2 fit; the third (4) does not, and the fourth waits behind it though it would fit.
    assert.deepEqual(h.started, [1, 2]);
    h.releases.get(1)!();
    await tick();
    assert.deepEqual(h.started, [1, 2, 3, 4]);
    assert.equal(h.peak(), 8);
    for (const id of [2, 3, 4]) h.releases.get(id)!();
    await Promise.all(all);
  });

  it("a call heavier than the limit takes the whole limit instead of waiting for ever", async () => {
    const h = harness(4);
    const all = [h.run(1, 16), h.run(2, 1)];
    await tick();
    assert.deepEqual(h.started, [1]);
    h.releases.get(1)!();
    await tick();
    assert.deepEqual(h.started, [1, 2]);
    h.releases.get(2)!();
    await Promise.all(all);
    assert.equal(h.peak(), 4);
  });
});
