import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  mathAnswerKey,
  runSearch,
  type ExpandRequest,
  type ExpandResult,
  type Policy,
} from "../../../src/core/index.js";
import type { AnalyzedAnswer } from "../../../src/core/answers/analyze.js";
import { AnswerGrader, createMathAnswerKey } from "../../../src/core/answers/index.js";
import { groupAnswers } from "../../../src/core/answers/group.js";

/** A real grader that counts the pairwise comparisons grouping asks of it. */
class CountingGrader extends AnswerGrader {
  comparisons = 0;
  override compareAnalyzed(
    a: AnalyzedAnswer,
    b: AnalyzedAnswer,
  ): ReturnType<AnswerGrader["compareAnalyzed"]> {
    this.comparisons++;
    return super.compareAnalyzed(a, b);
  }
}

/** Eight answer values, each in several surface forms. */
const FORMS: string[][] = [
  ["\\frac{1}{2}", "0.5", "\\dfrac12", "\\left(\\frac12\\right)", "1/2", "\\frac{2}{4}"],
  ["(1,2)", "\\left( 1, 2 \\right)", "(1, 2)"],
  ["(2,1)", "\\left(2,1\\right)"],
  ["2\\sqrt{5}", "\\sqrt{20}", "2 \\sqrt 5", "4.47213595"],
  ["\\{1,2\\}", "\\{2,1\\}", "2, 1", "1 \\text{ and } 2"],
  ["x^2+2x+1", "(x+1)^2", "(1+x)^2"],
  ["\\text{Evelyn}", "Evelyn", "\\text{evelyn}"],
  ["10080", "10,\\!080", "10{,}080", "10080.0"],
];

describe("vote grouping", () => {
  it("puts equivalent answers in one group and others apart", () => {
    const answers = FORMS.flat();
    const ids = mathAnswerKey.group(answers);
    let at = 0;
    for (const forms of FORMS) {
      const group = ids.slice(at, at + forms.length);
      assert.equal(new Set(group).size, 1, `one group for ${forms.join(" | ")}: ${group.join(" | ")}`);
      at += forms.length;
    }
    assert.equal(new Set(ids).size, FORMS.length);
  });

  it("names a group by the normalized form of its first answer", () => {
    assert.deepEqual(mathAnswerKey.group(["0.5", "\\frac12", "3"]), ["0.5", "0.5", "3"]);
  });

  it("groups 256 answers with far fewer comparisons than pairs", () => {
    const answers: string[] = [];
    for (let i = 0; i < 256; i++) {
      const forms = FORMS[i % FORMS.length]!;
      // Distinct wrong answers too, as a weak policy writes them.
      answers.push(i % 4 === 3 ? `${i}` : forms[Math.floor(i / FORMS.length) % forms.length]!);
    }
    const grader = new CountingGrader();
    const ids = groupAnswers(answers, grader);
    assert.equal(ids.length, 256);
    const pairs = (256 * 255) / 2;
    assert.ok(grader.comparisons < pairs / 20, `${grader.comparisons} comparisons for ${pairs} pairs`);
    // The groups agree with pairwise equivalence.
    const check = new AnswerGrader();
    for (let i = 0; i < 256; i += 5)
      for (let j = i + 1; j < 256; j += 7)
        assert.equal(
          ids[i] === ids[j],
          check.compare(answers[i]!, answers[j]!).equal,
          `${answers[i]} / ${answers[j]}`,
        );
  });

  it("groups an equation solved for a variable with the same equation written otherwise", () => {
    const ids = mathAnswerKey.group([
      "y = 2x+1",
      "2x - y + 1 = 0",
      "2x+1",
      "y = 2x+2",
      "\\sin^2x+\\cos^2x",
      "1",
    ]);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[0], ids[2]);
    assert.notEqual(ids[0], ids[3]);
    assert.equal(ids[4], ids[5], "variables that cancel");
  });

  it("groups numbers within an explicitly set tolerance", () => {
    const ids = createMathAnswerKey({ relTol: 1e-3 }).group(["1", "1.0005", "1.01", "2", "1.9995"]);
    assert.deepEqual(
      ids.map((id) => ids.indexOf(id)),
      [0, 0, 2, 3, 3],
    );
    const exact = mathAnswerKey.group(["1", "1.0005"]);
    assert.notEqual(exact[0], exact[1], "without it, finite decimals compare exactly");
  });

  it("extracts answers from whole solutions", () => {
    assert.equal(
      mathAnswerKey.extract("so $x = 2$ and the answer is $\\boxed{\\frac{1}{2}}$."),
      "\\frac{1}{2}",
    );
    assert.equal(mathAnswerKey.extract("We get 3 apples and then 7"), "7");
  });

  it("is how runSearch votes by default: different surface forms count as one answer", async () => {
    const texts = [
      "so \\boxed{0.5}",
      "so \\boxed{\\frac{1}{2}}",
      "so \\boxed{3}",
      "The answer is $1/2$.",
      "so \\boxed{3.0}",
    ];
    let call = 0;
    const policy: Policy = {
      model: "fixed-forms-1b",
      capabilities: { maxN: 1, continuation: true },
      async expand(request: ExpandRequest): Promise<ExpandResult> {
        const generations = Array.from({ length: request.k }, () => ({
          text: texts[call++ % texts.length]!,
          ended: true,
        }));
        return { generations, usage: { promptTokens: 1, completionTokens: 1 } };
      },
    };
    const result = await runSearch({
      problem: { text: "1/2?" },
      policy,
      config: { strategy: "majority", n: 5 },
    });
    assert.equal(result.tally.length, 2);
    assert.equal(result.tally[0]!.votes, 3);
    assert.equal(result.tally[1]!.votes, 2);
    assert.ok(["0.5", "\\frac{1}{2}", "1/2"].includes(result.answer ?? ""), String(result.answer));
  });
});
