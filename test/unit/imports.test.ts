import assert from "node:assert/strict";
import { test } from "node:test";
import { importCycles } from "../../scripts/import-cycles.js";

test("no import cycles in src/ and webview/, type-only imports included", () => {
  assert.deepEqual(importCycles(), []);
});

test("the cycle finder finds a cycle", () => {
  // src/extension/ once had context.ts ↔ runs.ts; a pair of test files stands in for it.
  const cycles = importCycles(["test/unit/fixtures-cycle"]);
  assert.deepEqual(cycles, [["test/unit/fixtures-cycle/a.ts", "test/unit/fixtures-cycle/b.ts"]]);
});
