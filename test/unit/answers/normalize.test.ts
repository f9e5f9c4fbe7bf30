import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeAnswer } from "../../../src/core/answers/index.js";

const cases: [string, string, string][] = [
  ["\\left/\\right", "\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"],
  ["\\dfrac, \\tfrac", "\\dfrac{17}{50} + \\tfrac12", "\\frac{17}{50}+\\frac{1}{2}"],
  [
    "\\frac12, \\frac 34, \\frac9{19}, \\frac{270}7",
    "\\frac12,\\frac 34,\\frac9{19},\\frac{270}7",
    "\\frac{1}{2},\\frac{3}{4},\\frac{9}{19},\\frac{270}{7}",
  ],
  ["\\sqrt3", "2\\sqrt3", "2\\sqrt{3}"],
  ["\\! and spacing", "10,\\!080", "10080"],
  ["thousands with spaces", "11,\\! 111,\\! 111,\\! 100", "11111111100"],
  ["plain thousands", "58,500", "58500"],
  ["^\\circ", "106^\\circ", "106"],
  ["^{\\circ}", "30^{\\circ}", "30"],
  ["\\%", "10\\%", "10"],
  ["\\$", "\\$18.90", "18.9"],
  ["\\text{} unit", "5.4 \\text{ cents}", "5.4"],
  ["\\mbox{} unit squared", "15\\mbox{ cm}^2", "15"],
  ["unit word", "10 square units", "10"],
  ["number and unit in \\text{}", "\\text{5.4 cents}", "5.4"],
  ["leading .5", ".35625", "0.35625"],
  ["trailing .0", "3.0", "3"],
  ["trailing zeros", "2.50", "2.5"],
  ["mixed number", "137 \\frac{1}{2}", "137+\\frac{1}{2}"],
  ["base subscript", "4210_{5}", "4210"],
  ["and list", "3, 5, and 7", "3,5,7"],
  ["or list", "x = 1 or x = -2", "x=1,x=-2"],
  ["\\text{and}", "2 \\text{ and } 3", "2,3"],
  ["whole \\text kept", "\\text{Evelyn}", "\\text{Evelyn}"],
  ["\\emptyset", "\\emptyset", "\\{\\}"],
  ["\\leq", "x \\leq 5", "x\\le5"],
  ["sign runs", "--3", "+3"],
  ["command spacing kept", "\\cot x", "\\cot x"],
  ["\\boxed around", "\\boxed{7}", "7"],
  ["exact value before \\approx", "\\frac12 \\approx 0.5", "\\frac{1}{2}"],
  ["\\approx after a variable", "x \\approx 1.41", "x=1.41"],
];

describe("answer normalization", () => {
  for (const [rule, input, want] of cases) {
    it(rule, () => assert.equal(normalizeAnswer(input), want));
  }
  it("leaves different answers different", () => {
    assert.notEqual(normalizeAnswer("(1,2)"), normalizeAnswer("(2,1)"));
    assert.notEqual(normalizeAnswer("[1,2)"), normalizeAnswer("(1,2)"));
    assert.notEqual(normalizeAnswer("1,250"), normalizeAnswer("1,25"));
    assert.notEqual(normalizeAnswer(".5"), normalizeAnswer("5"));
    assert.notEqual(normalizeAnswer("3.0"), normalizeAnswer("30"));
    assert.notEqual(normalizeAnswer("3.05"), normalizeAnswer("3.5"));
    assert.notEqual(normalizeAnswer("30^\\circ"), normalizeAnswer("300"));
    assert.notEqual(normalizeAnswer("\\$18.90"), normalizeAnswer("1890"));
    assert.notEqual(normalizeAnswer("5\\text{ cm}^2"), normalizeAnswer("52"));
    assert.notEqual(normalizeAnswer("12,34"), normalizeAnswer("1234"));
    assert.notEqual(normalizeAnswer("\\text{east}"), normalizeAnswer("\\text{west}"));
    assert.notEqual(normalizeAnswer("x=5"), normalizeAnswer("5x"));
  });
});
