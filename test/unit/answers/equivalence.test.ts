import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersEqual, gradeAnswer } from "../../../src/core/answers/index.js";

/** [rule, a, b, equal] */
const cases: [string, string, string, boolean][] = [
  ["fraction = decimal", "\\frac{1}{2}", "0.5", true],
  ["\\dfrac12", "\\frac{1}{2}", "\\dfrac12", true],
  ["redundant parentheses", "\\frac12", "\\left(\\frac12\\right)", true],
  ["a/b", "\\frac{3}{8}", "3/8", true],
  ["unreduced fraction", "\\frac{1}{2}", "\\frac{2}{4}", true],
  ["fraction ≠ other decimal", "\\frac{1}{2}", "0.6", false],
  ["trailing zero", "3", "3.0", true],
  ["exact integers compare exactly", "11111111100", "11111111101", false],
  ["big exact integers", "2^{100}", "1267650600228229401496703205376", true],
  ["big exact integers, off by one", "2^{100}", "1267650600228229401496703205377", false],
  ["finite decimals compare exactly", "0.5", "0.50001", false],
  ["decimal within tolerance of 1/3", "\\frac{1}{3}", "0.3333333", true],
  ["decimal outside tolerance of 1/3", "\\frac{1}{3}", "0.333", false],
  ["irrational vs rounded decimal", "\\sqrt{2}", "1.41421356", true],
  ["irrational vs coarse decimal", "\\sqrt{53}", "7.28", false],
  ["π vs 3.14", "\\pi", "3.14", false],
  ["1 vs 1.0001", "1", "1.0001", false],
  ["sign", "-1", "1", false],
  ["radicals", "2\\sqrt{5}", "\\sqrt{20}", true],
  ["rationalized radical", "\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true],
  ["radical ≠ neighbour", "2\\sqrt{5}", "\\sqrt{21}", false],
  ["π multiples", "12\\pi", "\\pi \\cdot 12", true],
  ["π fractions", "-\\frac{\\pi}{6}", "-\\pi/6", true],
  ["powers", "\\frac{448}{15625}", "448 \\cdot 5^{-6}", true],
  ["complex numbers", "-2 + 7i", "7i - 2", true],
  ["complex conjugate differs", "1+2i", "1-2i", false],
  ["polynomial expanded", "x^2+2x+1", "(x+1)^2", true],
  ["polynomial differs", "x^2+2x+1", "(x+1)^2+1", false],
  ["factored product", "(a+5)(b+2)", "ab+2a+5b+10", true],
  ["trig identity", "\\cot x", "\\frac{\\cos x}{\\sin x}", true],
  ["variables are case-sensitive", "3R^2", "3r^2", false],
  ["tuples in order", "(1,2)", "\\left( 1, 2 \\right)", true],
  ["tuples are ordered", "(1,2)", "(2,1)", false],
  ["tuple elements compared as values", "\\left( 3, \\frac{\\pi}{2} \\right)", "(3, 1.5707963)", true],
  ["tuple length", "(1,2)", "(1,2,3)", false],
  ["interval bracket types", "[1,2)", "(1,2)", false],
  ["interval endpoints", "\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, 8/3]", true],
  ["half-open vs closed", "(3,4]", "[3,4]", false],
  ["interval with infinity", "(-\\infty, 0]", "(-\\infty,0]", true],
  ["infinity sign", "(2,\\infty)", "(2,-\\infty)", false],
  ["union of intervals, any order", "(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)", true],
  ["union differs", "(0,9) \\cup (9,36)", "(0,9] \\cup (9,36)", false],
  ["inequality as interval", "x > 2", "(2,\\infty)", true],
  ["inequality direction", "x \\ge 2", "(2,\\infty)", false],
  ["chained inequality", "-2 \\le x < 7", "[-2,7)", true],
  ["membership", "x \\in [-2,7]", "[-2,7]", true],
  ["sets unordered", "\\{1,2,3\\}", "\\{3,1,2\\}", true],
  ["sets differ", "\\{1,2,3\\}", "\\{1,2,4\\}", false],
  ["solution lists unordered", "1,-2", "-2, 1", true],
  ["solution lists with and", "3, 5, 7", "7, 5, and 3", true],
  ["solution lists of different size", "3, 5, 7", "3, 5", false],
  ["± expands", "1 \\pm \\sqrt{19}", "1-\\sqrt{19}, 1+\\sqrt{19}", true],
  ["± inside a set", "\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt5, 1-\\sqrt5", true],
  ["± sign matters", "3 \\pm 2 \\sqrt{2}", "3 + 2\\sqrt2", false],
  [
    "matrices",
    "\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}",
    "\\begin{bmatrix}-1&0\\\\0&-1\\end{bmatrix}",
    true,
  ],
  [
    "matrix cells as values",
    "\\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}",
    "\\begin{pmatrix} -\\frac13 \\\\ \\frac23 \\end{pmatrix}",
    true,
  ],
  [
    "matrix cells differ",
    "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
    "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}",
    false,
  ],
  ["column vector = tuple", "\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}", "(-7, 16, 5)", true],
  [
    "matrix shape",
    "\\begin{pmatrix} 1 & 2 \\end{pmatrix}",
    "\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}",
    false,
  ],
  ["equation sides", "y = 2x + 3", "y = 3 + 2x", true],
  ["equation solved for y equals its value", "y = 2x + 3", "2x+3", true],
  ["equation scaled", "5x - 7y + 11z + 4 = 0", "-10x + 14y - 22z - 8 = 0", true],
  ["equation differs", "5x - 7y + 11z + 4 = 0", "5x - 7y + 11z - 4 = 0", false],
  ["assignment prefix", "x=5", "5", true],
  ["solution chain: last value", "x = 2 + 3 = 5", "5", true],
  ["text case-insensitive", "\\text{east}", "East", true],
  ["text in \\text{}", "\\text{Evelyn}", "Evelyn", true],
  ["text differs", "\\text{Evelyn}", "\\text{Navin}", false],
  ["choice letters", "\\text{(B)}", "B", true],
  ["choice letters differ", "\\text{(B)}", "(C)", false],
  ["percent sign is dropped", "10\\%", "10", true],
  ["percent is not a fraction", "10\\%", "0.1", false],
  ["degrees", "30^\\circ", "30", true],
  ["dollars and thousands", "\\$32,\\!348", "32348", true],
  ["units", "864 \\mbox{ inches}^2", "864", true],
  ["mixed number", "1\\frac{4}{5}", "\\frac{9}{5}", true],
  ["mixed number ≠ product", "1\\frac{4}{5}", "\\frac{4}{5}", false],
  ["base subscripts", "4210_{5}", "4210_5", true],
  ["leading .5", ".0000672", "6.72 \\times 10^{-5}", true],
  ["factorial", "5!", "120", true],
  ["factorial differs", "5!", "24", false],
  ["logarithms", "\\log_2 8", "3", true],
  ["empty set", "\\emptyset", "\\{\\}", true],

  // Free variables are probed at negative values too, skipping points outside the real domain.
  ["|x| is not x", "|x|", "x", false],
  ["\\sqrt{x^2} is not x", "\\sqrt{x^2}", "x", false],
  ["\\sqrt{x^2} is |x|", "\\sqrt{x^2}", "|x|", true],
  ["signs mixed across variables", "|x||y|", "xy", false],
  ["|x|/x is not 1", "\\frac{|x|}{x}", "1", false],
  ["odd powers keep their sign", "x^3", "|x|^3", false],
  ["cube root of a cube", "\\sqrt[3]{x^3}", "x", true],
  ["product of roots, on their domain", "\\sqrt{x}\\sqrt{y}", "\\sqrt{xy}", true],
  ["log of a square, on its domain", "\\ln(x^2)", "2\\ln x", true],
  ["power 1/3 and cube root", "x^{1/3}", "\\sqrt[3]{x}", true],
  ["e^{ln x}", "e^{\\ln x}", "x", true],
  ["root over x", "\\frac{\\sqrt{x}}{x}", "\\frac{1}{\\sqrt{x}}", true],
  // Variables that one side simplifies away.
  ["Pythagorean identity", "\\sin^2x+\\cos^2x", "1", true],
  ["cancelled variable", "x - x + 2", "2", true],
  ["a variable that does not cancel", "x + 1", "1", false],
  ["different variables", "x", "y", false],
  // Equations.
  ["solved equation vs general form", "y = 2x+1", "2x - y + 1 = 0", true],
  ["solved equation vs other general form", "y = 2x+1", "2x - y - 1 = 0", false],
  ["solved for different variables", "y = 2x+1", "x = \\frac{y-1}{2}", true],
  ["equation vs other line", "y = 2x+1", "y = 3x+1", false],
  ["an equation without variables is its value", "2+3=5", "5", true],
  // Repeating decimals and approximations.
  ["repeating decimal", "0.\\overline{3}", "\\frac13", true],
  ["repeating decimal with a fixed part", "0.1\\overline{6}", "\\frac{1}{6}", true],
  ["negative repeating decimal", "-1.\\overline{09}", "-\\frac{12}{11}", true],
  ["repeating decimal vs its truncation", "0.\\overline{3}", "0.333", false],
  ["exact value before \\approx", "\\frac12 \\approx 0.5", "\\frac12", true],
  ["exact value before \\approx, not its rounding", "\\frac13 \\approx 0.33", "0.33", false],
  ["x \\approx value", "x \\approx 1.41", "1.41", true],
  // Values past the exact cap become floats; an underflow to 0 is not 0.
  ["underflowed power", "10^{-100000000}", "0", false],
  ["one over an overflowed power", "\\frac{1}{2^{40000}}", "0", false],
  ["exact root of a number past a double", "\\sqrt{10^{400}}", "10^{200}", true],

  // Normalization rules leave different values different.
  ["degrees, other number", "30^\\circ", "31", false],
  ["degrees, digits run together", "30^{\\circ}", "300", false],
  ["dollars, other cents", "\\$18.90", "18.09", false],
  ["dollars, decimal point kept", "\\$18.90", "1890", false],
  ["unit, other number", "5 \\text{ cm}", "50", false],
  ["unit squared is not a power", "5\\text{ cm}^2", "25", false],
  ["unit squared is not a digit", "5\\text{ cm}^2", "52", false],
  ["unit words, other number", "10 square units", "100", false],
  ["leading .5 is not 5", ".5", "5", false],
  ["leading .5 is not 0.05", ".5", "0.05", false],
  ["trailing .0 is not a digit", "3.0", "30", false],
  ["inner zero is kept", "3.05", "3.5", false],
  ["trailing zeros of an integer are kept", "10.0", "1", false],
  ["thousands, other value", "1,000", "1", false],
  ["thousands, other group count", "1,000", "1,000,000", false],
  ["thousands with \\!, other value", "10,\\!080", "1080", false],
  ["a comma that is no thousands separator", "12,34", "1234", false],
  ["\\text{} words differ", "\\text{east}", "\\text{west}", false],
  ["\\text{} number with unit, other number", "\\text{5 cents}", "\\text{50 cents}", false],
  ["\\text{and} joins, not concatenates", "3 \\text{ and } 4", "34", false],
  ["x = prefix, other value", "x=5", "x=6", false],
  ["x = prefix, other sign", "x = 5", "-5", false],
  ["x = prefix is not a product", "x=5", "5x", false],
  ["solved equation, other value", "y = 2x+3", "2x+4", false],
];

describe("answer equivalence", () => {
  for (const [rule, a, b, want] of cases) {
    it(`${rule}: ${a} ${want ? "=" : "≠"} ${b}`, () => {
      assert.equal(answersEqual(a, b).equal, want);
      assert.equal(answersEqual(b, a).equal, want, "symmetric");
    });
  }

  it("grades a whole response against a bare reference", () => {
    const r = gradeAnswer("\\frac{1}{2}", "so the answer is $\\boxed{0.5}$");
    assert.deepEqual(r, { equal: true, predAnswer: "0.5", goldAnswer: "\\frac{1}{2}" });
    const wrong = gradeAnswer("$(1,2)$", "Therefore the answer is $(2,1)$.");
    assert.deepEqual(wrong, { equal: false, predAnswer: "(2,1)", goldAnswer: "(1,2)" });
  });

  it("says so when the prediction states no answer", () => {
    const r = gradeAnswer("5", "I could not solve it.", { lastNumber: false });
    assert.equal(r.equal, false);
    assert.equal(r.predAnswer, null);
    assert.match(r.reason ?? "", /no final answer/);
  });

  it("honours a wider tolerance when asked", () => {
    assert.equal(gradeAnswer("\\pi", "3.1416").equal, false);
    assert.equal(gradeAnswer("\\pi", "3.1416", { relTol: 1e-4 }).equal, true);
  });

  it("applies an explicitly set tolerance to exact numbers too, as Qwen2.5-Math does", () => {
    assert.equal(gradeAnswer("1", "1.0001").equal, false, "unset: finite decimals compare exactly");
    assert.equal(gradeAnswer("1", "1.0001", { relTol: 1e-4 }).equal, true);
    assert.equal(gradeAnswer("1", "1.0002", { relTol: 1e-4 }).equal, false);
    assert.equal(gradeAnswer("11111111100", "11111111101", { relTol: 1e-6 }).equal, true);
    assert.equal(gradeAnswer("(1, 2)", "(1.00001, 2)", { relTol: 1e-4 }).equal, true);
    assert.equal(gradeAnswer("1", "1.0001", { relTol: 0 }).equal, false);
  });
});
