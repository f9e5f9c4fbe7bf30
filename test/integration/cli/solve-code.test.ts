// `solve --kind code` end to end: the CLI against simworld's code world over HTTP, candidates
// run in the real sandbox (python3, node), the chosen code printed with its test summary.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { JS_TASKS, TS_TASKS } from "../../simworld/code-tasks.js";
import { startCli } from "./cli-helpers.js";

let sim: Simworld;
const dir = mkdtempSync(join(tmpdir(), "tts-solve-code-"));
const HUMANEVAL_0 = JSON.parse(
  readFileSync(join(__dirname, "../../../data/humaneval.jsonl"), "utf8").split("\n")[0]!,
) as { prompt: string; test: string; entry_point: string };

before(async () => {
  sim = await startSimworld({ flavour: "vllm", port: 0, seed: 3 });
});
after(() => sim.close());

interface CodeJson {
  answer: string;
  code: {
    language: string;
    code: string;
    reason: string;
    tests: { id: string; origin: string; source: string }[];
    candidates: {
      nodeId: string;
      chosen: boolean;
      passed: number;
      failed: number;
      firstFailure?: { message: string };
    }[];
  };
}

async function solve(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(["solve", "--policy-url", sim.url, "--seed", "5", ...args]);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

test("a HumanEval stub from a .py file: 8 candidates run against its doctests and generated tests; the chosen code passes the hidden tests", async () => {
  const file = join(dir, "stub.py");
  writeFileSync(file, HUMANEVAL_0.prompt);
  const r = await solve(["--file", file, "--policy-model", "sim-policy-7b", "--n", "8", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CodeJson;
  assert.equal(out.code.language, "python");
  assert.equal(out.answer, out.code.code);
  assert.deepEqual(
    out.code.tests.filter((t) => t.origin === "doctest").map((t) => t.id),
    ["t1", "t2"],
  );
  assert.ok(
    out.code.tests.some((t) => t.origin === "generated"),
    "CodeT tests were sampled",
  );
  assert.equal(out.code.candidates.length, 8);
  assert.equal(out.code.candidates.filter((c) => c.chosen).length, 1);
  // The file's own hidden tests, run by plain python3 on the chosen code.
  const program = join(dir, "check.py");
  writeFileSync(program, `${out.code.code}\n${HUMANEVAL_0.test}\ncheck(${HUMANEVAL_0.entry_point})\n`);
  execFileSync("python3", [program]);
});

test("a JavaScript function with a JSDoc: the summary lists each candidate's tests and first failure", async () => {
  const task = JS_TASKS[0]!;
  const file = join(dir, "clamp.js");
  writeFileSync(file, task.selection);
  const r = await solve(["--file", file, "--policy-model", "sim-policy-72b", "--n", "6"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /function clamp\(x, lo, hi\) \{/);
  assert.match(r.stderr, /Tests: 2 given, \d+ generated\./);
  assert.match(r.stderr, /\(chosen\)/);
  const program = join(dir, "clamp-check.js");
  writeFileSync(program, `const assert = require("assert");\n${r.stdout}\n${task.asserts.join(";\n")};\n`);
  execFileSync(process.execPath, [program]);
});

test("a TypeScript stub with type annotations: candidates run with their types stripped, and the chosen code passes under tsx", async () => {
  const task = TS_TASKS[0]!;
  const file = join(dir, "sum-range.ts");
  writeFileSync(file, task.selection);
  const r = await solve(["--file", file, "--policy-model", "sim-policy-72b", "--n", "6", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CodeJson;
  assert.equal(out.code.language, "typescript");
  assert.match(out.code.code, /export function sumRange\(lo: number, hi: number\): number \{/);
  assert.equal(out.code.candidates.length, 6);
  assert.deepEqual(
    out.code.tests.filter((t) => t.origin === "doctest").map((t) => t.id),
    ["t1", "t2"],
  );
  // None reports a parse error (as all did when TypeScript ran as JavaScript); the chosen one
  // passes the most tests (a generated test may itself be wrong).
  assert.ok(out.code.candidates.every((c) => !/SyntaxError/.test(c.firstFailure?.message ?? "")));
  const chosen = out.code.candidates.find((c) => c.chosen)!;
  assert.ok(chosen.passed >= 2, JSON.stringify(chosen));
  assert.equal(chosen.passed, Math.max(...out.code.candidates.map((c) => c.passed)));
  // The task's own tests, run on the chosen code as TypeScript by tsx, outside our sandbox.
  const program = join(dir, "sum-range-check.ts");
  writeFileSync(
    program,
    `import assert from "node:assert";\n${out.code.code}\n${task.asserts.join(";\n")};\n`,
  );
  execFileSync(process.execPath, ["--import", "tsx", program]);
});

test("--tests (the setting code.testFile) adds a test file's top-level asserts, run on every candidate", async () => {
  const task = JS_TASKS[0]!;
  const file = join(dir, "clamp-tests.js");
  writeFileSync(file, task.selection);
  const tests = join(dir, "clamp.test.js");
  writeFileSync(tests, `const assert = require("assert");\n${task.asserts.slice(2).join(";\n")};\n`);
  const args = [
    "--file",
    file,
    "--policy-model",
    "sim-policy-72b",
    "--n",
    "2",
    "--test-samples",
    "0",
    "--json",
  ];
  const r = await solve([...args, "--tests", tests]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CodeJson;
  assert.deepEqual(
    out.code.tests.map((t) => t.origin),
    ["doctest", "doctest", "file", "file", "file"],
  );
  assert.ok(out.code.candidates.every((c) => c.passed + c.failed === 5));
  const missing = await solve([...args, "--tests", join(dir, "nope.test.js")]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Cannot read the test file/);
});

test("a statement with an assert line (MBPP) is code; with --code-execution never nothing runs", async () => {
  const r = await solve([
    "--kind",
    "code",
    "--code-execution",
    "never",
    "--policy-model",
    "sim-policy-7b",
    "--n",
    "4",
    "--json",
    "Write a python function to identify non-prime numbers.\nassert is_not_prime(2) == False",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CodeJson;
  assert.match(out.code.reason, /^Not run: code\.execution is set to never\./);
  assert.deepEqual(out.code.tests, []);
  assert.ok(out.code.candidates.every((c) => c.passed === 0 && c.failed === 0));
  assert.match(out.code.code, /def is_not_prime\(n\)/);
});
