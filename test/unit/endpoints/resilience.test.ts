import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { binaryProbability } from "../../../src/endpoints/adapters/logprobs.js";
import { retryAfterMs, retryDelay } from "../../../src/endpoints/retry-policy.js";
import { ReplicaPool } from "../../../src/endpoints/pool.js";

describe("ReplicaPool", () => {
  it("sends to the least-loaded replica and takes a failing one out for a growing cooldown", async () => {
    let now = 1000;
    const pool = new ReplicaPool(["http://a", "http://b"], 8, () => now);
    const first = await pool.acquire();
    const second = await pool.acquire();
    assert.notEqual(first.root, second.root);
    pool.release(first, "down");
    const a = pool.replicas.find((r) => r.root === first.root)!;
    assert.equal(a.downUntil, 1000 + 2000);
    for (let i = 0; i < 3; i++) {
      const r = await pool.acquire();
      assert.equal(r.root, second.root);
      pool.release(r, "neutral");
    }
    const again = await pool.acquire();
    pool.release(again, "down");
    now = 3500;
    const back = await pool.acquire();
    assert.equal(back.root, first.root, "the cooled-down replica is back and idle");
    pool.release(back, "down");
    assert.equal(a.downUntil, 3500 + 4000, "a second failure in a row doubles the cooldown");
    pool.release(second, "ok");
  });

  it("caps requests in flight, and a waiter leaves the queue when its signal aborts", async () => {
    const pool = new ReplicaPool(["http://a"], 1);
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: "AbortError" });
    let served = false;
    const next = pool.acquire().then((r) => ((served = true), r));
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(served, false);
    pool.release(held, "ok");
    pool.release(await next, "ok");
    assert.equal(served, true);
  });
});

describe("retry timing", () => {
  it("honours Retry-After in seconds, as a date, and OpenAI's retry-after-ms, capped", () => {
    assert.equal(retryAfterMs({ "retry-after": "2" }), 2000);
    assert.equal(retryAfterMs({ "retry-after-ms": "150" }), 150);
    assert.equal(retryAfterMs({ "retry-after": "3600" }), 30_000);
    const date = new Date(Date.now() + 5000).toUTCString();
    const ms = retryAfterMs({ "retry-after": date })!;
    assert.ok(ms > 3000 && ms <= 5000, String(ms));
    assert.equal(retryAfterMs({}), undefined);
  });

  it("backs off exponentially when the server gives no Retry-After", () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const d = retryDelay(attempt);
      const base = Math.min(8000, 250 * 2 ** attempt);
      assert.ok(d >= base / 2 && d <= base, `${attempt}: ${d}`);
    }
    assert.equal(retryDelay(3, 1200), 1200);
  });
});

describe("binaryProbability", () => {
  const yes = { texts: ["yes"] };
  const no = { texts: ["no"] };
  it("renormalises over the two labels, merging case and space variants", () => {
    const p = binaryProbability(
      [
        { token: "Yes", logprob: Math.log(0.6) },
        { token: " yes", logprob: Math.log(0.1) },
        { token: "No", logprob: Math.log(0.2) },
        { token: "The", logprob: Math.log(0.1) },
      ],
      yes,
      no,
    )!;
    assert.ok(Math.abs(p - 0.7 / 0.9) < 1e-9);
  });

  it("counts a missing label as improbable, and says nothing when both are missing", () => {
    assert.equal(binaryProbability([{ token: "▁yes", logprob: -0.1 }], yes, no), 1);
    assert.equal(binaryProbability([{ token: "Ġno", logprob: -0.1 }], yes, no), 0);
    assert.equal(binaryProbability([{ token: "maybe", logprob: -0.1 }], yes, no), null);
  });
});
