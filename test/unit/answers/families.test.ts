import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AnswerGrader,
  answersEqual,
  createMathAnswerKey,
  gradeAnswer,
} from "../../../src/core/answers/index.js";

// Issue 18's families, from our own cases: [what, gold, response (whole or bare), equal].
type Case = [string, string, string, boolean];

const families: Record<string, Case[]> = {
  "answers buried in prose or after a label": [
    ["a sentence after a label", "12", "Final answer: the smallest $k$ is 12.", true],
    ["a sentence after a label, other value", "12", "Final answer: the smallest $k$ is 13.", false],
    [
      "a sentence with its value in math",
      "\\frac{1}{2}",
      "The answer is: the probability is $\\frac{2}{4}$.",
      true,
    ],
    ["a value that equals, in math", "24", "The answer is the area, which equals $24$.", true],
    ["a value before its explanation", "12", "The answer is 12, since 3 times 4 is 12.", true],
    ["a value before a remark", "12", "Final answer: 12 (the smallest value).", true],
    ["one number among words", "12", "The answer is therefore 12.", true],
    ["one number among words, other value", "12", "The answer is therefore 13.", false],
    ["the last math of a response", "\\frac{3}{4}", "Thus the probability is $\\frac{3}{4}$.", true],
    ["the last math, not its last number", "4", "Thus the probability is $\\frac{3}{4}$.", false],
    ["a number after the last math wins", "7", "So $x = 2$, and we need 7 boxes.", true],
    ["an expression to evaluate", "5", "Answer: $(7-2)$", true],
    ["an expression to evaluate, other value", "5", "Answer: $(7-3)$", false],
    ["a chain of equalities", "7", "The answer is $x = 3+4 = 7$.", true],
    ["a chain whose last value differs", "7", "The answer is $x = 3+4 = 8$.", false],
    [
      "after thinking, not the guess inside it",
      "5",
      "<think>maybe \\boxed{3}? No.</think>\n\nThe answer is 5.",
      true,
    ],
    [
      "after thinking: the guess inside it is not it",
      "3",
      "<think>maybe \\boxed{3}? No.</think>\n\nThe answer is 5.",
      false,
    ],
    ["a trace that ends in thought", "5", "<think>long work, so the answer is 5</think>", true],
    ["a box after thinking", "9", "<think>I guess 4.</think>\nSo we have $\\boxed{9}$.", true],
    ["a last number after thinking", "42", "<think>2 or 3?</think>\nIt makes 42 apples.", true],
    [
      "a stated answer inside the thinking beats a number after it",
      "5",
      "<think>The answer is 5.</think>\nHope 2 helps.",
      true,
    ],
    [
      "a matrix inside a sentence",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "The answer is the matrix $\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$.",
      true,
    ],
    [
      "a matrix inside a sentence, one entry off",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "The answer is the matrix $\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}$.",
      false,
    ],
    [
      "a matrix displayed on the line after the sentence",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "The final answer is the matrix\n\\[\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\\]",
      true,
    ],
    [
      "a named matrix",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "Final answer: $\\mathbf{A} = \\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$",
      true,
    ],
    [
      "a named matrix, one entry off",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "Final answer: $\\mathbf{A} = \\begin{pmatrix}1&2\\\\3&0\\end{pmatrix}$",
      false,
    ],
    [
      "an array after words, no dollars",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "The answer is the matrix \\left[\\begin{array}{cc}1&2\\\\3&4\\end{array}\\right].",
      true,
    ],
    [
      "\\left[\\begin{array}…\\right]",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "\\boxed{\\left[\\begin{array}{cc}1&2\\\\3&4\\end{array}\\right]}",
      true,
    ],
    [
      "\\left[\\begin{array}…\\right], transposed",
      "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
      "\\boxed{\\left[\\begin{array}{cc}1&3\\\\2&4\\end{array}\\right]}",
      false,
    ],
  ],
  "labelled answers": [
    ["a tuple of names", "(4,1)", "\\boxed{(a,b)=(4,1)}", true],
    ["a tuple of names, swapped values", "(4,1)", "\\boxed{(a,b)=(1,4)}", false],
    ["labelled lengths", "6, 9", "\\boxed{XY=6, YZ=9}", true],
    ["labelled lengths, one off", "6, 9", "\\boxed{XY=6, YZ=8}", false],
    ["a function value", "3", "\\boxed{g(t)=3}", true],
    ["a function value, other value", "3", "\\boxed{g(t)=4}", false],
    ["a function defined", "x^2+1", "\\boxed{f(x) = x^2+1}", true],
    ["a function defined differently", "x^2+1", "\\boxed{f(x) = x^2-1}", false],
    ["a named ratio", "2:5", "\\boxed{A_1:A_2=2:5}", true],
    ["a named ratio, inverted", "2:5", "\\boxed{A_1:A_2=5:2}", false],
    ["a ratio as a fraction", "2:5", "\\boxed{\\frac{2}{5}}", true],
    ["a ratio of three parts, scaled", "1:2:3", "\\boxed{2:4:6}", true],
    ["a ratio of three parts, reordered", "1:2:3", "\\boxed{1:3:2}", false],
    ["solutions as assignments", "(2,1),(3,1)", "\\boxed{m=2,n=1;m=3,n=1}", true],
    ["solutions as assignments, in any order", "(3,1),(2,1)", "\\boxed{n=1,m=2;m=3,n=1}", true],
    ["solutions as assignments, values swapped", "(2,1),(3,1)", "\\boxed{m=1,n=2;m=3,n=1}", false],
    ["an angle", "30", "\\boxed{m\\angle ABC = 30^\\circ}", true],
    ["a segment", "5", "\\boxed{\\overline{AB}=5}", true],
    ["a tuple of variables", "(1,2)", "\\boxed{(x, y) = (1, 2)}", true],
    ["a named length with a radical", "2\\sqrt{3}", "\\boxed{AB = 2\\sqrt{3}}", true],
    ["a probability", "\\frac13", "\\boxed{P(\\text{red}) = \\frac{1}{3}}", true],
    ["an inverse function value", "2", "\\boxed{f^{-1}(3) = 2}", true],
    ["a word as a label", "24", "\\boxed{\\text{Area} = 24}", true],
    ["an area in brackets", "6", "\\boxed{[ABC] = 6}", true],
    ["a subscripted name", "6", "\\boxed{S_{\\triangle ABC} = 6}", true],
    ["a subscripted name, other value", "6", "\\boxed{S_{\\triangle ABC} = 8}", false],
    ["an equation is no label", "5", "\\boxed{x+y=5}", false],
    // Not decided (README "Labels"): one list of assignments stays a list of values.
    ["one list of assignments is not a tuple", "(1,2)", "\\boxed{x=1, y=2}", false],
    ["one list of assignments is a list of values", "2, 1", "\\boxed{x=1, y=2}", true],
  ],
  "several answers": [
    ["one box per answer", "2, 3", "so $x=\\boxed{2}$ and $x=\\boxed{3}$", true],
    ["one box per answer, against a set", "\\{2,3\\}", "$\\boxed{3}$, $\\boxed{2}$", true],
    ["one box per answer, one missing", "2, 3", "so $x=\\boxed{2}$ and $x=\\boxed{4}$", false],
    ["boxes apart by prose: the last one", "2", "first $\\boxed{1}$, then $\\boxed{2}$", true],
    ["the same box twice", "5", "$\\boxed{5}$ and $\\boxed{5}$", true],
    ["boxes joined by \\text{ and }", "2, 3", "\\boxed{2} \\text{ and } \\boxed{3}", true],
    ["pairs joined by or", "(2,5),(5,2)", "(2,5) or (5,2)", true],
    ["pairs joined by or, against one", "(2,5)", "(2,5) or (5,2)", false],
    [
      "\\quad \\text{and} \\quad in one box",
      "(3,4),(1,2)",
      "\\boxed{(1,2) \\quad \\text{and} \\quad (3,4)}",
      true,
    ],
    [
      "\\quad \\text{and} \\quad, a pair reversed",
      "(1,2),(3,4)",
      "\\boxed{(1,2) \\quad \\text{and} \\quad (4,3)}",
      false,
    ],
  ],
  relations: [
    ["an inequality times -1", "x<3", "\\boxed{-x>-3}", true],
    ["an inequality times -1, direction kept", "x<3", "\\boxed{-x<-3}", false],
    ["an inequality times 2", "x \\le 3", "\\boxed{2x \\le 6}", true],
    ["an inequality as an interval", "(-\\infty, 3)", "\\boxed{6 > 2x}", true],
    ["strict and not strict", "x \\le 3", "\\boxed{2x < 6}", false],
    ["\\le and <=", "x \\le 3", "\\boxed{x<=3}", true],
    ["\\ge and >=", "[3, \\infty)", "\\boxed{x>=3}", true],
    ["<= is not <", "x \\le 3", "\\boxed{x<3}", false],
    ["a double inequality on |w|", "(-3,-1)\\cup(1,3)", "\\boxed{1<|w|<3}", true],
    ["a double inequality on |w|, closed end", "(-3,-1]\\cup[1,3)", "\\boxed{1\\le|w|<3}", true],
    ["a double inequality on |w|, wrong ends", "(-3,-1)\\cup(1,3)", "\\boxed{1\\le|w|<3}", false],
    ["a double inequality on |w|, one side only", "(1,3)", "\\boxed{1<|w|<3}", false],
    ["|w| below a bound", "(-2,2)", "\\boxed{|w|<2}", true],
    ["|w| at least a bound", "(-\\infty,-1]\\cup[1,\\infty)", "\\boxed{|w| \\ge 1}", true],
    ["a bounded range of values", "(0,1)", "\\boxed{0<f(x)<1}", true],
    ["a bounded range of values, closed at one end", "(0,1)", "\\boxed{0<f(x)\\le 1}", false],
    ["a range of y", "[-1,1]", "\\boxed{-1 \\le y \\le 1}", true],
    ["a range written with \\in", "(0,1)", "\\boxed{f(x) \\in (0,1)}", true],
    ["a range written with \\in, other interval", "[0,1]", "\\boxed{f(x) \\in (0,1)}", false],
    ["inequalities joined by or", "(-\\infty,-1)\\cup(1,\\infty)", "\\boxed{x<-1 \\text{ or } x>1}", true],
    [
      "inequalities joined by or, one closed",
      "(-\\infty,-1)\\cup(1,\\infty)",
      "\\boxed{x<-1 \\text{ or } x\\ge 1}",
      false,
    ],
    ["|x| above a bound", "(-\\infty,-1)\\cup(1,\\infty)", "\\boxed{|x|>1}", true],
    ["x \\ne 3", "(-\\infty,3)\\cup(3,\\infty)", "\\boxed{x \\ne 3}", true],
    ["x \\ne 2 is not x \\ne 3", "(-\\infty,3)\\cup(3,\\infty)", "\\boxed{x \\ne 2}", false],
    ["a set written by a condition", "(2,\\infty)", "\\boxed{\\{x | x > 2\\}}", true],
    ["a set written by another condition", "(2,\\infty)", "\\boxed{\\{x \\mid x \\ge 2\\}}", false],
    // Not decided (README "Relations"): a nonlinear inequality is not solved.
    ["a nonlinear inequality is not its solution set", "(-2,2)", "\\boxed{x^2<4}", false],
    ["a nonlinear inequality equals itself scaled", "x^2<4", "\\boxed{2x^2<8}", true],
  ],
  forms: [
    ["a mixed number in LaTeX", "\\frac{7}{3}", "\\boxed{2\\frac13}", true],
    ["a mixed number with a slash", "\\frac{7}{3}", "\\boxed{2 1/3}", true],
    ["a negative mixed number", "-\\frac{7}{3}", "\\boxed{-2 1/3}", true],
    ["a mixed number is not 21/3", "7", "\\boxed{2 1/3}", false],
    ["a unit glued to the number", "12", "\\boxed{12days}", true],
    ["a unit glued to the number, other value", "12", "\\boxed{13days}", false],
    ["a short unit glued, squared", "5", "\\boxed{5cm^2}", true],
    ["letters glued to a number are a product", "2", "\\boxed{2ab}", false],
    ["\\text{even} and even", "\\text{even}", "even", true],
    ["\\text{even} and \\text{Even}", "\\text{even}", "\\boxed{\\text{Even}}", true],
    ["even and odd", "\\text{even}", "\\boxed{\\text{odd}}", false],
    ["products commute inside sums with subscripts", "a_1b_2+a_2b_1", "\\boxed{b_1a_2+b_2a_1}", true],
    ["subscripts differ", "a_1b_2+a_2b_1", "\\boxed{a_1b_1+a_2b_2}", false],
    ["subscripted sum", "x_1+x_2", "\\boxed{x_{2}+x_{1}}", true],
    ["Unicode membership", "(0,1)", "x ∈ (0, 1)", true],
    ["Unicode empty set", "\\emptyset", "∅", true],
    ["Unicode empty set is not zero", "0", "∅", false],
  ],
  "a number picked out of noise": [
    ["a number inside a word", "7", "QBXT7Q", false],
    ["a number inside a word, in prose", "7", "the code is QBXT7Q", false],
    ["a hex number", "7", "we saw 0x7F", false],
    ["a chemical formula", "2", "water is H2O", false],
    ["a version number", "2.3", "we used v2.3.1 of the tool", false],
    ["a number with a unit is still one", "12", "so it takes 12days", true],
    ["a number in prose is still one", "7", "we count 7 apples", true],
  ],
};

describe("issue 18: the grader reads answers the way a careful human grader does", () => {
  for (const [family, cases] of Object.entries(families)) {
    describe(family, () => {
      it("has equal and not-equal cases", () => {
        assert.ok(cases.some((c) => c[3]) && cases.some((c) => !c[3]));
      });
      for (const [what, gold, response, equal] of cases) {
        it(`${what}: ${equal ? "equal" : "not equal"}`, () => {
          const r = gradeAnswer(gold, response);
          assert.equal(r.equal, equal, `${JSON.stringify(response)} read as ${JSON.stringify(r.predAnswer)}`);
        });
      }
    });
  }

  it("what it does not decide is not equal, with the reason (README's grading section)", () => {
    assert.deepEqual(answersEqual("x=1, y=2", "(1,2)"), {
      equal: false,
      reason: "a list of assignments is compared as a list of values, not as a tuple",
    });
    assert.deepEqual(answersEqual("(-2,2)", "x^2<4"), {
      equal: false,
      reason: "an inequality that is not linear in one variable is not solved into intervals",
    });
  });

  it("equality is reflexive, symmetric and transitive over the families' forms, but for y = 2x+1", () => {
    const pool = [
      ...["x<3", "-x>-3", "(-\\infty,3)", "2x<6", "6>2x", "x \\le 3", "x<=3", "(-\\infty,3]", "3 \\ge x"],
      ...["2:5", "\\frac25", "0.4", "A_1:A_2=2:5", "4:10", "5:2", "2.5"],
      ...["(4,1)", "(a,b)=(4,1)", "\\left(4,1\\right)", "(1,4)", "4, 1", "1, 4", "a=4, b=1", "\\{1,4\\}"],
      ...["(-3,-1)\\cup(1,3)", "1<|w|<3", "(1,3)\\cup(-3,-1)", "(1,3)", "x<-1 \\text{ or } x>1", "|x|>1"],
      ...["(-\\infty,-1)\\cup(1,\\infty)", "\\frac73", "2 1/3", "2\\frac{1}{3}", "7/3", "7", "21/3"],
      ...["6, 9", "XY=6, YZ=9", "9, 6", "(6,9)", "3", "g(t)=3", "x=3", "y=3", "3.0", "f(x)=3"],
      ...[
        "(2,1),(3,1)",
        "m=2,n=1;m=3,n=1",
        "(3,1),(2,1)",
        "2,1,3,1",
        "x \\ne 3",
        "(-\\infty,3)\\cup(3,\\infty)",
      ],
      ...["\\text{even}", "even", "\\text{Even}", "(0,1)", "0<f(x)<1", "0<y<1", "f(x) \\in (0,1)"],
      ...["\\{x | 0 < x < 1\\}", "12", "12days", "12 days", "\\text{Area} = 12", "[ABC]=12"],
      ...["y=2x+1", "2x+1", "2x-y+1=0", "y-2x=1"],
    ];
    const grader = new AnswerGrader();
    const eq = pool.map((a) => pool.map((b) => grader.compare(a, b).equal));
    const broken: string[] = [];
    pool.forEach((a, i) => {
      if (!eq[i]![i]) broken.push(`${a} ≠ itself`);
      pool.forEach((b, j) => {
        if (eq[i]![j] !== eq[j]![i]) broken.push(`${a} vs ${b}: not symmetric`);
        if (eq[i]![j])
          pool.forEach((c, k) => {
            if (i < k && eq[j]![k] && !eq[i]![k]) broken.push(`${a} = ${b} = ${c}`);
          });
      });
    });
    // README "Transitivity": an equation solved for a variable equals its value and its equation.
    assert.deepEqual(broken, ["2x+1 = y=2x+1 = 2x-y+1=0", "2x+1 = y=2x+1 = y-2x=1"]);
  });

  it("votes group every form of one value together (equality stays transitive)", () => {
    const key = createMathAnswerKey();
    const groups = [
      ["x<3", "-x>-3", "(-\\infty,3)", "2x<6", "6>2x"],
      ["2:5", "\\frac25", "0.4", "A_1:A_2=2:5", "4:10"],
      ["(4,1)", "(a,b)=(4,1)", "\\left(4,1\\right)"],
      ["(-3,-1)\\cup(1,3)", "1<|w|<3", "(1,3)\\cup(-3,-1)"],
      ["\\frac73", "2 1/3", "2\\frac{1}{3}", "7/3"],
    ];
    const answers = groups.flat();
    const ids = key.group(answers);
    let at = 0;
    for (const g of groups) {
      const mine = ids.slice(at, at + g.length);
      assert.equal(new Set(mine).size, 1, `${g.join(" | ")} → ${mine.join(" | ")}`);
      at += g.length;
    }
    assert.equal(new Set(ids).size, groups.length);
  });
});
