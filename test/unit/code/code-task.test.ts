import assert from "node:assert/strict";
import { test } from "node:test";
import {
  codePrompt,
  detectProblem,
  extractCode,
  fileTests,
  generatedTests,
  numberTests,
  type CodeTask,
} from "../../../src/core/index.js";

const PY_STUB = `from typing import List


def below_zero(operations: List[int]) -> bool:
    """ Detect if the balance falls below zero.
    >>> below_zero([1, 2, 3])
    False
    >>> below_zero([1, 2, -4, 5])
    True
    """
`;

function codeTask(text: string, languageId?: string): CodeTask {
  const d = detectProblem(text, { languageId });
  assert.equal(d.kind, "code", `not code: ${text}`);
  return (d as { task: CodeTask }).task;
}

test("a Python def with a docstring is code; its doctest examples become tests", () => {
  const task = codeTask(PY_STUB, "python");
  assert.equal(task.language, "python");
  assert.equal(task.entryPoint, "below_zero");
  assert.deepEqual(
    task.tests.map((t) => [t.id, t.source, t.origin]),
    [
      ["t1", "assert below_zero([1, 2, 3]) == False", "doctest"],
      ["t2", "assert below_zero([1, 2, -4, 5]) == True", "doctest"],
    ],
  );
});

test("a JS function with a JSDoc is code; `f(x) // => y` examples become tests", () => {
  const task = codeTask(
    "/**\n * Sums a list.\n * sum([1, 2]) // => 3\n */\nfunction sum(xs) {\n}\n",
    "javascript",
  );
  assert.equal(task.entryPoint, "sum");
  assert.deepEqual(
    task.tests.map((t) => t.source),
    ["assert.deepStrictEqual(sum([1, 2]), 3)"],
  );
  assert.equal(codeTask("// Doubles x.\nconst double = (x) => {\n};", "typescript").entryPoint, "double");
});

test("HumanEval's `f(x) == y` and `f(x) ➞ y` docstring lines become tests", () => {
  const task = codeTask(
    'def x_or_y(n, x, y):\n    """Examples:\n    for x_or_y(7, 34, 12) == 34\n    x_or_y(15, 8, 5) ➞ 5\n    """\n',
    "python",
  );
  assert.deepEqual(
    task.tests.map((t) => t.source),
    ["assert x_or_y(7, 34, 12) == 34", "assert x_or_y(15, 8, 5) == 5"],
  );
});

test("a statement asking for a function, with assert lines (MBPP), is code; the asserts are its tests", () => {
  const text =
    "Write a function to find the shared elements from the given two lists.\nassert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))";
  const task = codeTask(text, "markdown");
  assert.equal(task.language, "python");
  assert.equal(task.stub, null);
  assert.equal(task.entryPoint, "similar_elements");
  assert.equal(task.tests.length, 1);
  assert.equal(task.tests[0]!.origin, "assert");
  assert.match(
    codePrompt(task),
    /^Write a function to find the shared elements[^]*Your code should pass these tests:\nassert set/,
  );
});

test("a fenced code task is code in the fence's language", () => {
  const task = codeTask("Please implement:\n```js\nfunction inc(n) {\n  // add one\n}\n```\n");
  assert.equal(task.language, "javascript");
  assert.equal(task.entryPoint, "inc");
});

test("math stays math: a MATH problem, a def without docs in a plain text file, and --kind math", () => {
  assert.equal(detectProblem("What is $\\frac{1}{2} + \\frac{1}{3}$?").kind, "math");
  assert.equal(detectProblem("Find all x such that x^2 = 4.", { languageId: "python" }).kind, "math");
  assert.equal(detectProblem(PY_STUB, { languageId: "python", kind: "math" }).kind, "math");
  assert.equal(detectProblem("Compute the sum of the first 10 primes.", { kind: "code" }).kind, "code");
});

test("code from a fenced block that defines the function, with the stub's imports kept", () => {
  const task = codeTask(PY_STUB, "python");
  const response =
    "Here is a helper:\n```python\nx = 1\n```\nAnd the solution:\n```python\ndef below_zero(operations):\n    return False\n```\nDone.";
  assert.equal(
    extractCode(response, task),
    "from typing import List\ndef below_zero(operations):\n    return False",
  );
});

test("a body without a signature completes the stub (indented under it)", () => {
  const task = codeTask(PY_STUB, "python");
  const code = extractCode(
    "balance = 0\nfor op in operations:\n    balance += op\n    if balance < 0:\n        return True\nreturn False",
    task,
  )!;
  assert.ok(code.startsWith(PY_STUB.trimEnd()));
  assert.match(code, /\n {4}balance = 0\n {4}for op in operations:\n {8}balance \+= op/);
  const js = codeTask("/** Adds one. */\nfunction inc(n) {\n}", "javascript");
  assert.equal(
    extractCode("```js\n  return n + 1;\n```", js),
    "/** Adds one. */\nfunction inc(n) {\n  return n + 1;\n}",
  );
});

test("a response with no code and no stub has none", () => {
  const task = codeTask("Write a function named `twice` that doubles a number.", "python");
  assert.equal(task.entryPoint, "twice");
  assert.equal(extractCode("I am not sure.", task), null);
});

test("generated tests: assert lines that call the function, deduplicated, numbered after the user's", () => {
  const drafts = generatedTests(
    "python",
    [
      "```python\nassert below_zero([]) == False\nassert below_zero([-1]) == True\nprint('x')\n```",
      "def test_it():\n    assert below_zero([-1]) ==  True\n    assert other(1) == 2\n",
    ],
    "below_zero",
  );
  assert.deepEqual(
    drafts.map((d) => d.source),
    ["assert below_zero([]) == False", "assert below_zero([-1]) == True"],
  );
  const tests = numberTests([{ source: "assert below_zero([]) == False", origin: "doctest" }], drafts);
  assert.deepEqual(
    tests.map((t) => t.id),
    ["t1", "g1"],
  );
  assert.deepEqual(
    fileTests("javascript", "const x = 1;\nassert.equal(f(1), 2);\n  assert.equal(f(2), 3);\n").map(
      (t) => t.source,
    ),
    ["assert.equal(f(1), 2);"],
  );
});
