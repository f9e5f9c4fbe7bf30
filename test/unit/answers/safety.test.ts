import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnswerGrader, answersEqual, gradeAnswer } from "../../../src/core/answers/index.js";

const rep = (s: string, n: number): string => s.repeat(n);

/** Inputs that would hang, exhaust memory or crash a naive grader: each must come back "not equal". */
const hostile: [string, string, string, RegExp | null][] = [
  ["100 KB answer", "1", rep("1", 100_000), /longer than/],
  ["100 KB answers, identical", rep("7", 100_000), rep("7", 100_000), /longer than/],
  ["deep braces", rep("{", 300) + "1" + rep("}", 300), "1", /nested deeper/],
  ["unbalanced parentheses (exponential in the parser)", rep("(", 40) + "1", "1", /nested deeper|unbalanced/],
  ["unbalanced brackets", rep("[", 12) + "1", rep("[", 12) + "2", /unbalanced/],
  ["tower of exponents", "9^{9^{9^{9}}}", "9^{9^{9^{9}}}+1", /too large/],
  ["giant power", "10^{10^{10}}", "10^{10^{10}}+1", /too large/],
  ["giant factorial", "(10^{100})!", "(10^{100})!+1", /too large/],
  ["nested exponentials", "e^{e^{e^{e^{10}}}}", "e^{e^{e^{e^{10}}}}+1", /too large/],
  ["\\underbrace soup", rep("\\underbrace{x}_{y}", 20), "x", /could not compare/],
  [
    "repeated \\int (exponential in the parser)",
    rep("\\int", 30) + "x",
    rep("\\int", 30) + "y",
    /could not compare/,
  ],
  ["a list too long to match", Array.from({ length: 200 }, (_, i) => i).join(","), "1", null],
];

describe("grader safety", () => {
  for (const [what, a, b, reason] of hostile) {
    it(`${what}: not equal, with a reason`, () => {
      const v = answersEqual(a, b);
      assert.equal(v.equal, false);
      if (reason) assert.match(v.reason ?? "", reason);
    });
  }

  it("still decides what it safely can about large values", () => {
    assert.equal(answersEqual("10^{10^{10}}", "10^{10^{10}}").equal, true, "the same string");
    assert.equal(answersEqual("10^{1000}/10^{999}", "10").equal, true, "exact big rationals");
    assert.equal(answersEqual("2^{10000}", "4^{5000}").equal, true);
    assert.equal(answersEqual("30!", "265252859812191058636308480000000").equal, true);
    assert.equal(answersEqual(rep("-", 60) + "x", "x").equal, true, "sign runs collapse");
  });

  it("stops a comparison that runs out of work", () => {
    const grader = new AnswerGrader({ limits: { maxWork: 50 } });
    const sum = Array.from({ length: 60 }, (_, i) => `${i}x`).join("+");
    const v = grader.compare(sum, "1770x");
    assert.equal(v.equal, false);
    assert.match(v.reason ?? "", /work units/);
  });

  it("stops a comparison that runs out of time, by the clock it is given", () => {
    let t = 0;
    const grader = new AnswerGrader({ now: () => (t += 1000), limits: { maxMillis: 500 } });
    const v = grader.compare("x^2+2x+1", "(x+1)^2");
    assert.equal(v.equal, false);
    assert.match(v.reason ?? "", /longer than 500 ms/);
  });

  it("grades a 100 KB response whose answer is at the end", () => {
    const r = gradeAnswer("5", rep("We think hard. ", 7000) + "So the answer is $\\boxed{5}$.");
    assert.equal(r.equal, true);
  });

  it("never throws on random LaTeX-like input", () => {
    const atoms = [
      "x",
      "1",
      "0.5",
      "\\pi",
      "+",
      "-",
      "^",
      "_",
      "\\frac",
      "\\sqrt",
      "!",
      ",",
      "=",
      "\\le",
      "\\cup",
      "\\pm",
    ];
    atoms.push(
      "\\text{a}",
      "\\int",
      "\\left(",
      "\\right)",
      "&",
      "\\\\",
      "|",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "\\{",
      "\\}",
    );
    atoms.push(
      "\\begin{pmatrix}",
      "\\end{pmatrix}",
      "\\infty",
      "\\%",
      " and ",
      "\\in",
      "^{10^{10}}",
      "\\boxed{",
      "$",
    );
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const grader = new AnswerGrader();
    for (let i = 0; i < 300; i++) {
      const make = (): string =>
        Array.from(
          { length: 1 + Math.floor(next() * 30) },
          () => atoms[Math.floor(next() * atoms.length)],
        ).join("");
      const a = make();
      const b = next() < 0.3 ? a : make();
      assert.doesNotThrow(() => grader.compare(a, b), `${a} vs ${b}`);
      assert.doesNotThrow(() => grader.grade(a, `The answer is $${b}$.`), `${a} vs ${b}`);
    }
  });
});
