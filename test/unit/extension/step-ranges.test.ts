import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyEdit,
  paragraphBefore,
  problemAndSteps,
  shiftOffset,
  stepSpans,
  type ScoredStep,
} from "../../../src/extension/step-ranges.js";

test("steps are found at blank lines, with document offsets of their trimmed text", () => {
  const doc = "# Notes\n\nStep one: 2 + 3 = 5.\n\nStep two:\nso 5 * 2 = 10.\n\n\nThe answer is 10.\n";
  const base = doc.indexOf("Step one");
  const spans = stepSpans(doc.slice(base), base, "\n\n");
  assert.deepEqual(
    spans.map((s) => s.text),
    ["Step one: 2 + 3 = 5.", "Step two:\nso 5 * 2 = 10.", "The answer is 10."],
  );
  for (const s of spans) assert.equal(doc.slice(s.start, s.end), s.text);
});

test("blank lines with spaces and CRLF line ends still separate steps", () => {
  const text = "a = 1\r\n  \r\nb = 2\r\n\r\nc = 3";
  const spans = stepSpans(text, 100, "\n\n");
  assert.deepEqual(
    spans.map((s) => s.text),
    ["a = 1", "b = 2", "c = 3"],
  );
  assert.equal(text.slice(spans[1]!.start - 100, spans[1]!.end - 100), "b = 2");
});

test("a custom delimiter is matched literally; none makes one step", () => {
  const spans = stepSpans("x ки y ки z.*", 0, " ки ");
  assert.deepEqual(
    spans.map((s) => s.text),
    ["x", "y", "z.*"],
  );
  assert.deepEqual(
    stepSpans("  all of it  ", 5, "").map((s) => [s.start, s.text]),
    [[7, "all of it"]],
  );
  assert.deepEqual(stepSpans("\n\n  \n\n", 0, "\n\n"), []);
});

test("a selection may start with its problem", () => {
  const spans = stepSpans("**Problem:** What is 2+3?\n\n2 + 3 = 5.\n\nAnswer: 5", 0, "\n\n");
  const { problem, steps } = problemAndSteps(spans);
  assert.equal(problem, "What is 2+3?");
  assert.deepEqual(
    steps.map((s) => s.text),
    ["2 + 3 = 5.", "Answer: 5"],
  );
  const plain = problemAndSteps(stepSpans("2 + 3 = 5.\n\nAnswer: 5", 0, "\n\n"));
  assert.equal(plain.problem, null);
  assert.equal(plain.steps.length, 2);
});

const step = (start: number, end: number, index: number): ScoredStep => ({
  start,
  end,
  index,
  count: 3,
  score: 0.5,
  verifier: "vllm-pooling:prm",
  aggregation: "last",
});

test("an edit drops the score of the step it touches and moves the steps after it", () => {
  const steps = [step(10, 20, 1), step(22, 30, 2), step(32, 40, 3)];
  // typing inside step 2
  assert.deepEqual(
    applyEdit(steps, { offset: 25, length: 0, insertedLength: 3 }).map((s) => [s.index, s.start, s.end]),
    [
      [1, 10, 20],
      [3, 35, 43],
    ],
  );
  // deleting a line above everything moves all
  assert.deepEqual(
    applyEdit(steps, { offset: 0, length: 5, insertedLength: 0 }).map((s) => [s.start, s.end]),
    [
      [5, 15],
      [17, 25],
      [27, 35],
    ],
  );
  // typing right at the end of step 1 edits step 1
  assert.deepEqual(
    applyEdit(steps, { offset: 20, length: 0, insertedLength: 1 }).map((s) => s.index),
    [2, 3],
  );
  // an edit in the blank line between steps touches neither
  assert.equal(applyEdit(steps, { offset: 21, length: 0, insertedLength: 1 }).length, 3);
  // a deletion across two steps drops both
  assert.deepEqual(
    applyEdit(steps, { offset: 15, length: 10, insertedLength: 0 }).map((s) => [s.index, s.start]),
    [[3, 22]],
  );
});

test("offsets follow edits; an edit across one leaves it at the edit's end", () => {
  assert.equal(shiftOffset(50, { offset: 10, length: 0, insertedLength: 5 }), 55);
  assert.equal(shiftOffset(50, { offset: 60, length: 3, insertedLength: 0 }), 50);
  assert.equal(shiftOffset(50, { offset: 50, length: 0, insertedLength: 4 }), 54);
  assert.equal(shiftOffset(50, { offset: 40, length: 20, insertedLength: 2 }), 42);
});

test("the paragraph before a selection is the problem guess", () => {
  assert.equal(paragraphBefore("# Title\n\nWhat is 2+3?\nShow work.\n\n  \n"), "What is 2+3?\nShow work.");
  assert.equal(paragraphBefore("\n\n"), "");
});
