// simworld's code world: known tasks are found by their text, larger models write the
// reference more often, mistakes are the realistic kinds, and tests come from the task.
import assert from "node:assert/strict";
import { test } from "node:test";
import { codeTasks, findCodeTask, JS_TASKS } from "../../simworld/code-tasks.js";
import { codeAnswer, solveRate, writeCode } from "../../simworld/code-world.js";
import { mutate } from "../../simworld/code-mutations.js";
import { POLICIES } from "../../simworld/models.js";
import { Rng } from "../../simworld/rng.js";
import {
  codePrompt,
  detectProblem,
  normalizeCode,
  testPrompt,
  type CodeTask,
} from "../../../src/core/index.js";

const stripComments = (code: string): string =>
  normalizeCode(code.replace(/^\s*(#|\/\/) (straightforward|go through|handle each).*$/gm, ""));

test("HumanEval, MBPP and the JavaScript tasks are found from the prompts the core writes", () => {
  const tasks = codeTasks();
  assert.equal(tasks.filter((t) => t.id.startsWith("HumanEval/")).length, 164);
  assert.equal(tasks.filter((t) => t.id.startsWith("MBPP/")).length, 427);
  for (const t of [tasks[0]!, tasks[100]!, tasks[200]!, JS_TASKS[1]!]) {
    const d = detectProblem(t.selection, { languageId: t.language }) as { kind: string; task: CodeTask };
    assert.equal(d.kind, "code", t.id);
    assert.equal(findCodeTask(codePrompt(d.task))?.id, t.id, t.id);
    assert.equal(findCodeTask(testPrompt(d.task))?.id, t.id, t.id);
  }
  assert.equal(findCodeTask("What is 2 + 3?"), null);
  assert.equal(codeAnswer(POLICIES[0]!, "What is 2 + 3?", []), null);
});

test("larger policies write the reference more often (HumanEval, 164 tasks × 4 samples)", () => {
  const humaneval = codeTasks().filter((t) => t.id.startsWith("HumanEval/"));
  const share = (i: number): number => {
    let right = 0;
    for (const t of humaneval)
      for (let k = 0; k < 4; k++) {
        const text = writeCode(POLICIES[i]!, t, ["seed", 1, k]);
        const code = /```\w*\n([^]*)\n```/.exec(text)![1]!;
        if (stripComments(code) === normalizeCode(t.reference)) right++;
      }
    return right / (humaneval.length * 4);
  };
  const small = share(0);
  const large = share(3);
  console.log(`reference written: 0.5b ${(small * 100).toFixed(1)}%, 72b ${(large * 100).toFixed(1)}%`);
  assert.ok(small > 0.2 && small < 0.45, `0.5b ${small}`);
  assert.ok(large > 0.7, `72b ${large}`);
  assert.ok(solveRate(72e9, humaneval[0]!) > solveRate(0.5e9, humaneval[0]!));
});

test("a mutation changes code only outside docstrings and comments", () => {
  const js = JS_TASKS[0]!;
  for (const kind of [
    "off-by-one",
    "wrong-operator",
    "wrong-boundary",
    "missing-case",
    "exception",
  ] as const) {
    const m = mutate(js.reference, kind, new Rng(7), "javascript")!;
    assert.notEqual(m.code, js.reference, kind);
    assert.equal(m.code.split("*/")[0], js.reference.split("*/")[0], `${kind} left the JSDoc alone`);
  }
});
