// Every MATH-500 reference answer must equal itself written in other ways and inside a whole
// response, and must not equal its near misses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnswerGrader, createMathAnswerKey } from "../../../src/core/answers/index.js";
import { MATH500_ANSWERS } from "./math500-answers.js";

const grader = new AnswerGrader();

/** The same answer written differently: spacing, \dfrac, \left/\right, delimiters. */
function surfaceForms(g: string): string[] {
  const forms = [
    `$${g}$`,
    `\\(${g}\\)`,
    g.replace(/\\frac/g, "\\dfrac"),
    // Spaces go, except the one a command needs before a letter (`\cot x`).
    g.replace(/ +/g, (sp: string, at: number) =>
      /\\[a-zA-Z]+$/.test(g.slice(0, at)) && /[a-zA-Z]/.test(g[at + sp.length] ?? "") ? " " : "",
    ),
    g.replace(/([+=])/g, " $1 "),
  ];
  // Commas get a space too, except in thousands separators (`10,\!080`, `58,500`).
  if (!/\d,(\\!|\d{3})/.test(g)) forms.push(g.replace(/,/g, ", "));
  if (/^\(.*\)$/.test(g) && !g.includes("\\cup")) forms.push(`\\left${g.slice(0, -1)}\\right)`);
  const frac = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(g);
  if (frac)
    forms.push(
      `${frac[1]}${frac[2]}/${frac[3]}`,
      `${frac[1]}\\frac{${Number(frac[2]) * 3}}{${Number(frac[3]) * 3}}`,
    );
  if (/^-?\d+$/.test(g)) forms.push(`${g}.0`, `${g}.00`);
  return forms;
}

/** Whole responses that state the answer, in the formats the extraction rules cover. */
function responses(g: string): string[] {
  return [
    `We compute step by step.\n\nTherefore, the answer is $\\boxed{${g}}$.`,
    `Final Answer: The final answer is $${g}$. I hope it is correct.`,
    `Some work: $1 + 1 = 2$.\n\nThe answer is $${g}$.`,
    `Some work.\n\n# Answer\n\n${g}`,
  ];
}

/** Answers that differ from g: a changed digit, reversed order, a flipped bracket, other text. */
function nearMisses(g: string): string[] {
  const misses: string[] = [];
  const digit = /\d/.exec(g);
  if (digit)
    misses.push(g.slice(0, digit.index) + String((Number(digit[0]) + 1) % 10) + g.slice(digit.index + 1));
  else misses.push(`${g}x`);
  const pair = /^\\left\(\s*([^,]+),\s*([^,]+?)\s*\\right\)$|^\(([^,()]+),([^,()]+)\)$/.exec(g);
  if (pair) {
    const [a, b] = [pair[1] ?? pair[3]!, pair[2] ?? pair[4]!];
    if (a.trim() !== b.trim()) misses.push(`(${b},${a})`);
  }
  if (/^\(.*\]$/.test(g)) misses.push(`[${g.slice(1)}`);
  if (/^\[.*\]$/.test(g)) misses.push(`(${g.slice(1)}`);
  return misses;
}

describe("MATH-500 reference answers", () => {
  it("has all 500", () => assert.equal(MATH500_ANSWERS.length, 500));

  it("each equals itself", () => {
    for (const g of MATH500_ANSWERS) assert.equal(grader.compare(g, g).equal, true, g);
  });

  it("each, given as the whole prediction, grades equal to itself (as `tts-reasoner grade` does)", () => {
    // The full path with extraction: a bare matrix or "3, 2, and 1" must not fall to the last number.
    for (const g of MATH500_ANSWERS) {
      const r = grader.grade(g, g);
      assert.equal(r.equal, true, `${g} (extracted ${r.predAnswer})`);
    }
  });

  it("each equals itself written in other ways", () => {
    for (const g of MATH500_ANSWERS)
      for (const form of surfaceForms(g))
        assert.equal(grader.compare(g, form).equal, true, `${g} vs ${form}`);
  });

  it("each is found and matched inside a whole response", () => {
    for (const g of MATH500_ANSWERS)
      for (const response of responses(g)) {
        const r = grader.grade(g, response);
        assert.equal(r.equal, true, `${g} in ${JSON.stringify(response)} (extracted ${r.predAnswer})`);
      }
  });

  it("none equals its near misses", () => {
    let checked = 0;
    for (const g of MATH500_ANSWERS)
      for (const miss of nearMisses(g)) {
        assert.equal(grader.compare(g, miss).equal, false, `${g} vs ${miss}`);
        checked++;
      }
    assert.ok(checked > 500);
  });

  it("groups the 500 answers into one group per distinct value", () => {
    const ids = createMathAnswerKey().group(MATH500_ANSWERS);
    const byId = new Map<string, string[]>();
    ids.forEach((id, i) => byId.set(id, [...(byId.get(id) ?? []), MATH500_ANSWERS[i]!]));
    for (const members of byId.values())
      for (const m of members)
        assert.equal(grader.compare(members[0]!, m).equal, true, `${members[0]} grouped with ${m}`);
    const firsts = [...byId.values()].map((m) => m[0]!);
    for (let i = 0; i < firsts.length; i++)
      for (let j = i + 1; j < firsts.length; j++)
        assert.equal(
          grader.compare(firsts[i]!, firsts[j]!).equal,
          false,
          `${firsts[i]} and ${firsts[j]} in two groups`,
        );
  });
});
