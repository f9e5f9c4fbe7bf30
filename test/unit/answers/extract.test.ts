import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractAnswer, extractGold } from "../../../src/core/answers/index.js";

describe("answer extraction", () => {
  it("reads the Minerva sentence", () => {
    const r = "So x = 4.\n\nFinal Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.";
    assert.equal(extractAnswer(r), "\\frac{3}{4}");
  });

  it("takes the last \\boxed with its braces matched, and \\fbox and \\boxed 5", () => {
    assert.equal(
      extractAnswer("first \\boxed{1}, then $\\boxed{\\frac{1}{\\sqrt{2}}}$."),
      "\\frac{1}{\\sqrt{2}}",
    );
    assert.equal(extractAnswer("so $\\fbox{7}$"), "7");
    assert.equal(extractAnswer("the result is $\\boxed 5$ indeed"), "5");
    assert.equal(
      extractAnswer("\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}"),
      "\\left( 3, \\frac{\\pi}{2} \\right)",
    );
  });

  it("does not take an unbalanced \\boxed, falling back to the other rules", () => {
    assert.equal(extractAnswer("The answer is 12. Then \\boxed{\\frac{1}{2}", { lastNumber: false }), "12");
  });

  it('reads "The answer is", "final answer is", "Answer:" and a "# Answer" line', () => {
    assert.equal(extractAnswer("Adding them, the answer is $-\\frac{3}{8}$. Done."), "-\\frac{3}{8}");
    assert.equal(extractAnswer("We get 5 then 6. The final answer is 42."), "42");
    assert.equal(extractAnswer("work...\nAnswer: (2, 4)"), "(2, 4)");
    assert.equal(extractAnswer("work 3 + 4\n\n# Answer\n\n7"), "7");
    assert.equal(extractAnswer("Thus the answer is **18**."), "18");
  });

  it("takes a response that is itself a bare answer whole", () => {
    assert.equal(extractAnswer("\\frac{1}{2}"), "\\frac{1}{2}");
    assert.equal(extractAnswer("$x = 3$"), "x = 3");
    assert.equal(extractAnswer("\\text{Evelyn}"), "\\text{Evelyn}");
    assert.equal(extractAnswer("east"), "east");
    assert.equal(extractAnswer("I think 42"), "42", "prose is not a bare answer");
  });

  it("takes a bare matrix or list of answers whole, not its last number", () => {
    const matrix = "\\begin{pmatrix} -2 \\\\ -14 \\\\ -7 \\end{pmatrix}";
    assert.equal(extractAnswer(matrix), matrix);
    assert.equal(
      extractAnswer("$\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}$"),
      "\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}",
    );
    assert.equal(extractAnswer("3, 2, and 1"), "3, 2, and 1");
    assert.equal(extractAnswer("5 or 3"), "5 or 3");
    assert.equal(extractAnswer("x = 1 or x = -2"), "x = 1 or x = -2");
    assert.equal(extractAnswer("So 5 and 6 or more"), "6", "words besides and/or are still prose");
  });

  it("falls back to the last number, and only when asked", () => {
    assert.equal(extractAnswer("We add 2 and 3 to get 1,250 apples"), "1250");
    assert.equal(extractAnswer("We add 2 and 3 to get 1,250 apples", { lastNumber: false }), null);
    assert.equal(extractAnswer("no number in this response at all"), null);
  });

  it("unwraps $…$, \\(…\\) and \\[…\\]", () => {
    assert.equal(extractAnswer("The answer is \\(\\sqrt{2}\\)."), "\\sqrt{2}");
    assert.equal(extractAnswer("The answer is \\[ 3\\pi \\]"), "3\\pi");
    assert.equal(extractAnswer("$$\\frac{1}{2}$$"), "\\frac{1}{2}");
  });

  it("reads a reference answer as written, unwrapping delimiters and \\boxed", () => {
    assert.equal(extractGold("$\\frac{1}{2}$"), "\\frac{1}{2}");
    assert.equal(extractGold("12"), "12");
    assert.equal(extractGold("the solution ... $\\boxed{p - q}$."), "p - q");
  });

  it("scans a 1 MB response quickly and finds the answer at its end", () => {
    const response = "blah ".repeat(200_000) + "so the answer is $\\boxed{5}$";
    assert.equal(extractAnswer(response), "5");
  });
});
