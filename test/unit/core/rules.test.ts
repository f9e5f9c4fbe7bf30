import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  aggregateScores,
  continuationPrefix,
  exactAnswerKey,
  paramsFromModelName,
  resolveSearchConfig,
  selectAnswer,
  splitSteps,
  type Candidate,
} from "../../../src/core/index.js";

describe("step splitting", () => {
  it("splits at blank lines and drops blank steps", () => {
    assert.deepEqual(splitSteps("a = 1\n\n\n\nb = 2\nc = 3\n\n"), ["a = 1", "b = 2\nc = 3"]);
    assert.deepEqual(splitSteps("x ## y", " ## "), ["x", "y"]);
    assert.equal(continuationPrefix(["a", "b"]), "a\n\nb\n\n");
    assert.equal(continuationPrefix([]), "");
  });
});

describe("aggregation", () => {
  const s = [0.9, 0.5, 0.8];
  it("folds step scores by last, min, mean and prod", () => {
    assert.equal(aggregateScores(s, "last"), 0.8);
    assert.equal(aggregateScores(s, "min"), 0.5);
    assert.ok(Math.abs(aggregateScores(s, "mean") - 2.2 / 3) < 1e-12);
    assert.ok(Math.abs(aggregateScores(s, "prod") - 0.36) < 1e-12);
    assert.equal(aggregateScores([], "min"), 0);
  });
});

describe("answer selection", () => {
  const c = (answer: string, score: number): Candidate => ({
    nodeId: `${answer}${score}`,
    steps: [],
    answer,
    group: answer,
    score,
  });
  // "7" has the most votes, "9" the best single score, "8" the largest score sum.
  const candidates = [c("7", 0.2), c("7", 0.2), c("7", 0.2), c("9", 0.95), c("8", 0.7), c("8", 0.7)];
  it("majority counts votes, prm-max takes the best path, prm-vote sums scores", () => {
    assert.equal(selectAnswer(candidates, "majority").tally[0]!.answer, "7");
    assert.equal(selectAnswer(candidates, "prm-max").tally[0]!.answer, "9");
    assert.equal(selectAnswer(candidates, "prm-vote").tally[0]!.answer, "8");
    const { chosen, tally } = selectAnswer(candidates, "prm-vote");
    assert.equal(chosen!.answer, "8");
    assert.deepEqual(
      tally.find((t) => t.answer === "7"),
      {
        group: "7",
        answer: "7",
        votes: 3,
        scoreSum: 0.6000000000000001,
        bestScore: 0.2,
      },
    );
  });
  it("skips candidates without an answer", () => {
    const { tally } = selectAnswer([{ nodeId: "x", steps: [], answer: null, group: null }], "majority");
    assert.deepEqual(tally, []);
  });
});

describe("exact answer key", () => {
  it("reads the last boxed answer with nested braces", () => {
    assert.equal(exactAnswerKey.extract("so \\boxed{1} then \\boxed{\\frac{1}{2}}."), "\\frac{1}{2}");
    assert.equal(exactAnswerKey.extract("no answer"), null);
  });
});

describe("search config", () => {
  it("fills defaults and rejects what the strategies cannot run", () => {
    const c = resolveSearchConfig({ strategy: "dvts", n: 16, beamWidth: undefined });
    assert.equal(c.beamWidth, 4);
    assert.equal(c.maxSteps, 40);
    assert.throws(
      () => resolveSearchConfig({ strategy: "beam", n: 10, beamWidth: 4 }),
      /multiple of beamWidth/,
    );
    assert.throws(() => resolveSearchConfig({ n: 0, temperature: 3 }), /n must be.*temperature/);
    assert.throws(() => resolveSearchConfig({ strategy: "mcts" as never }), /strategy "mcts"/);
  });
});

describe("parameter counts from model names", () => {
  it("reads sizes the way servers name models", () => {
    assert.equal(paramsFromModelName("Qwen/Qwen2.5-Math-7B-Instruct"), 7e9);
    assert.equal(paramsFromModelName("llama3.2:1b"), 1e9);
    assert.equal(paramsFromModelName("sim-policy-0.5b"), 0.5e9);
    assert.equal(paramsFromModelName("Mixtral-8x7B"), 56e9);
    assert.equal(paramsFromModelName("SmolLM-135M"), 135e6);
    assert.equal(paramsFromModelName("gpt-4o"), null);
  });
});

describe("cost of failed calls", () => {
  it("keeps the retries an endpoint made before giving up", async () => {
    const { addCall, emptyRoleCost } = await import("../../../src/core/index.js");
    const cost = emptyRoleCost();
    addCall(cost, null, 1e9, Object.assign(new Error("503"), { retries: 3 }));
    addCall(cost, { usage: { promptTokens: 1, completionTokens: 1 }, retries: 1 }, 1e9);
    assert.deepEqual([cost.requests, cost.failures, cost.retries], [2, 1, 4]);
  });
});
