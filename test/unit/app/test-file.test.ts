// A named test file (the CLI's --tests, the extension's code.testFile): its top-level asserts
// join the task's tests, and with a workspace folder the file must lie inside it.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { addTestFile, problemOf } from "../../../src/app/code.js";
import type { CodeTask } from "../../../src/core/index.js";

const root = mkdtempSync(join(tmpdir(), "tts-test-file-"));
mkdirSync(join(root, "test"));
writeFileSync(
  join(root, "test", "clamp.test.js"),
  'const assert = require("assert");\nassert.strictEqual(clamp(9, 0, 3), 3);\n  assert.strictEqual(nested(), 1);\n',
);
writeFileSync(join(root, "empty.js"), "// no asserts\n");

function clampTask(): CodeTask {
  const p = problemOf(
    "/**\n * Clamps x.\n * clamp(5, 0, 3) // => 3\n */\nfunction clamp(x, lo, hi) {\n}\n",
    "auto",
    "javascript",
  );
  assert.equal(p.kind, "code");
  return p.task;
}

test("a file relative to the workspace folder: its top-level asserts follow the stub's, numbered after them", () => {
  const task = clampTask();
  assert.equal(task.tests.length, 1);
  addTestFile(task, "test/clamp.test.js", root);
  assert.deepEqual(
    task.tests.map((t) => [t.id, t.origin, t.source]),
    [
      ["t1", "doctest", "assert.deepStrictEqual(clamp(5, 0, 3), 3)"],
      ["t2", "file", "assert.strictEqual(clamp(9, 0, 3), 3);"],
    ],
  );
});

test("a file outside the workspace folder is refused, relative or absolute", () => {
  const outside = mkdtempSync(join(tmpdir(), "tts-test-file-out-"));
  writeFileSync(join(outside, "t.js"), "assert.ok(true);\n");
  assert.throws(() => addTestFile(clampTask(), join(outside, "t.js"), root), /outside the workspace folder/);
  assert.throws(
    () => addTestFile(clampTask(), `../${outside.split("/").pop()}/t.js`, root),
    /outside the workspace folder/,
  );
  // Without a folder (the CLI) the same path is read.
  const task = clampTask();
  addTestFile(task, join(outside, "t.js"));
  assert.equal(task.tests.at(-1)!.source, "assert.ok(true);");
});

test("a missing file or one without asserts says so", () => {
  assert.throws(() => addTestFile(clampTask(), "nope.js", root), /Cannot read the test file nope\.js/);
  assert.throws(() => addTestFile(clampTask(), "empty.js", root), /has no top-level assert lines/);
});
