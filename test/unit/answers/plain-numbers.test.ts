// Plain integers, decimals and fractions are read without the CAS engine, to the same values the
// parser and evaluator give; grouping a search's usual answers never builds the engine. Its own
// file: node --test runs each file in a fresh process, so the engine starts unbuilt here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { casBuilt, parseLatex } from "../../../src/core/answers/cas.js";
import { evaluate } from "../../../src/core/answers/evaluate.js";
import { DEFAULT_LIMITS, Budget } from "../../../src/core/answers/limits.js";
import * as Q from "../../../src/core/answers/rational.js";
import { plainNumber } from "../../../src/core/answers/scalar.js";
import { createMathAnswerKey } from "../../../src/core/answers/index.js";

const PLAIN = [
  "42",
  "-3",
  "0",
  "007",
  "0.25",
  "-12.5",
  ".5",
  "3/4",
  "-6/8",
  "\\frac{3}{4}",
  "-\\frac{10}{4}",
  "123456789012345678901234567890",
];
const NOT_PLAIN = [
  "1/0",
  "\\frac{1}{0}",
  "x",
  "2^3",
  "\\frac{-3}{4}",
  "\\sqrt{2}",
  "1,000",
  "3/4/5",
  "1e5",
  "1.",
];

describe("plain numbers", () => {
  it("a search's usual answers are grouped without building the CAS engine", () => {
    const key = createMathAnswerKey();
    const groups = key.group(["72", "72.0", "\\frac{144}{2}", "71", "0.5", "1/2", "\\frac{1}{2}", "-3"]);
    assert.equal(groups[0], groups[1]);
    assert.equal(groups[0], groups[2]);
    assert.notEqual(groups[0], groups[3]);
    assert.equal(groups[4], groups[5]);
    assert.equal(groups[4], groups[6]);
    assert.equal(casBuilt(), false);
    // Anything else still goes to the parser.
    key.group(["\\sqrt{2}", "2^{1/2}"]);
    assert.equal(casBuilt(), true);
  });

  it("read to the values the parser and evaluator give", () => {
    for (const latex of PLAIN) {
      const fast = plainNumber(latex);
      assert.ok(fast, latex);
      const parsed = parseLatex(latex, DEFAULT_LIMITS);
      assert.ok("json" in parsed, latex);
      const slow = evaluate(parsed.json, {
        budget: new Budget(DEFAULT_LIMITS, () => 0),
        variable: () => null,
      });
      assert.ok("exact" in slow, latex);
      assert.ok(Q.same(fast, slow.exact), `${latex}: ${Q.rationalKey(fast)} vs ${Q.rationalKey(slow.exact)}`);
    }
    for (const latex of NOT_PLAIN) assert.equal(plainNumber(latex), null, latex);
  });
});
