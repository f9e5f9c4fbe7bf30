// The scheduler's verifier batching: paths asked for in one tick go as one request, paths that
// queue while every request is in flight go together in the next (up to the verifier's batch
// size), and a failed request fails each of its paths and counts once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Scheduler, type BatchScoreResult, type Problem, type Verifier } from "../../../src/core/index.js";
import { ToyPolicy } from "./toy-world.js";

/** A batching verifier whose requests wait until released; records each request's size. */
class HeldVerifier implements Verifier {
  readonly kind = "http" as const;
  readonly model = "held-prm-1b";
  readonly sizes: number[] = [];
  private readonly held: (() => void)[] = [];
  constructor(
    readonly maxBatch: number,
    private readonly failing = false,
  ) {}
  score(): never {
    throw new Error("a batching verifier is asked through scoreBatch");
  }
  async scoreBatch(_p: Problem, paths: readonly (readonly string[])[]): Promise<BatchScoreResult> {
    this.sizes.push(paths.length);
    await new Promise<void>((release) => this.held.push(release));
    if (this.failing) throw new Error("HTTP 503");
    return {
      scores: paths.map((steps) => steps.map(() => 0.5)),
      usage: { promptTokens: 10 * paths.length, completionTokens: 0 },
      requests: 1,
    };
  }
  releaseAll(): void {
    for (const r of this.held.splice(0)) r();
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const problem = { text: "Start with 1. Add 2." };
const scheduler = (v: Verifier, verifierConcurrency: number) =>
  new Scheduler(new ToyPolicy({ errorRate: 0 }), v, {
    policyConcurrency: 8,
    verifierConcurrency,
    policyParams: null,
    verifierParams: null,
  });

describe("verifier batching in the scheduler", () => {
  it("one tick's paths go together; paths queued behind a full gate go as the next request", async () => {
    const v = new HeldVerifier(3);
    const s = scheduler(v, 1);
    const first = [["a"], ["a", "b"]].map((steps) => s.score(problem, steps));
    await tick();
    assert.deepEqual(v.sizes, [2]);
    // Asked in separate ticks while the only request is in flight: they wait, then merge (3 a request).
    const later: Promise<number[]>[] = [];
    for (let i = 0; i < 4; i++) {
      later.push(s.score(problem, ["x", String(i)]));
      await tick();
    }
    assert.deepEqual(v.sizes, [2]);
    v.releaseAll();
    await Promise.all(first);
    await tick();
    assert.deepEqual(v.sizes, [2, 3]);
    v.releaseAll();
    await tick();
    await tick();
    assert.deepEqual(v.sizes, [2, 3, 1]);
    v.releaseAll();
    for (const scores of await Promise.all(later)) assert.deepEqual(scores, [0.5, 0.5]);
    assert.equal(s.cost.verifier.requests, 3);
    assert.equal(s.cost.verifier.promptTokens, 60);
  });

  it("a failed request fails each of its paths and is one failure in the cost", async () => {
    const v = new HeldVerifier(8, true);
    const s = scheduler(v, 2);
    const asked = [["a"], ["b"], ["c"]].map((steps) =>
      s.score(problem, steps).then(
        () => null,
        (e: Error) => e,
      ),
    );
    await tick();
    v.releaseAll();
    const outcomes = await Promise.all(asked);
    assert.ok(outcomes.every((e) => e instanceof Error && /HTTP 503/.test(e.message)));
    assert.deepEqual(v.sizes, [3]);
    assert.equal(s.cost.verifier.failures, 1);
  });
});
