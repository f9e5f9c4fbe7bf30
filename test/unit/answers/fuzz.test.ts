import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractAnswer } from "../../../src/core/answers/index.js";
import { hostileInputs } from "../../fuzz/hostile.js";
import { limitsFor, measure, plainTimes } from "../../fuzz/measure.js";

// A bounded, seeded set; `npm run fuzz` runs longer inputs and more seeds, and prints the slowest.
const LENGTH = 20_000;
const SEED = 18;

// Every other input of the grid and 20 random mixtures keep this under a few seconds.
const INPUTS = hostileInputs(LENGTH, SEED, 20).filter((_, i) => i % 2 === 0);

describe("grader and step splitter fuzz: hostile inputs cost no more than plain ones", () => {
  const plain = plainTimes(LENGTH);
  const limit = limitsFor(plain);

  it(`${INPUTS.length} seeded inputs of ${LENGTH} characters: none throws, none is slow`, () => {
    const slow: string[] = [];
    for (const input of INPUTS) {
      const m = measure(input, limit);
      assert.equal(m.error, undefined, `${input.name} threw ${m.error}`);
      if (m.gradeMs > limit.gradeMs) slow.push(`grade ${m.gradeMs.toFixed(0)} ms: ${m.name}`);
      if (m.splitMs > limit.splitMs) slow.push(`split ${m.splitMs.toFixed(0)} ms: ${m.name}`);
    }
    const plainSays = `plain: grade ${plain.gradeMs.toFixed(1)} ms, split ${plain.splitMs.toFixed(2)} ms`;
    assert.deepEqual(slow, [], plainSays);
  });

  // The defect of issue 21: `/(\\?[.,;])+$/` ran before the length cap (60 000 dots: 36 s).
  // The old code fails these for every mark but `*` (`/\*+$/`, which V8 happens to run fast).
  for (const mark of [".", ",", ";", "\\,", "\\;", "*"]) {
    it(`"The answer is " + a run of ${JSON.stringify(mark)} + a letter`, () => {
      const m = measure(
        { name: mark, text: "The answer is " + mark.repeat(LENGTH / mark.length) + "a" },
        limit,
      );
      assert.ok(
        m.gradeMs <= limit.gradeMs,
        `${m.gradeMs.toFixed(0)} ms, plain ${plain.gradeMs.toFixed(1)} ms`,
      );
    });
  }

  it("still strips trailing punctuation the way it did", () => {
    assert.equal(extractAnswer("The answer is 12.", { lastNumber: false }), "12");
    assert.equal(extractAnswer("The answer is $12$ .,;", { lastNumber: false }), "12");
    assert.equal(extractAnswer("The answer is **18**.", { lastNumber: false }), "18");
    assert.equal(extractAnswer("The answer is $x\\,$;", { lastNumber: false }), "x");
  });
});
