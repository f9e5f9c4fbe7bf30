// Hostile candidates against the real sandbox (python3 and node child processes): each is
// stopped or refused, the refusal is reported, nothing escapes, and the next run goes on.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createServer } from "node:net";
import type { CodeTest } from "../../../src/core/index.js";
import { createExecutor, networkIsolation } from "../../../src/exec/index.js";

const executor = createExecutor({ testMs: 1000, memoryMb: 256 });
// For allocation: a time limit far off, so on a loaded machine memory runs out first.
const roomy = createExecutor({ testMs: 30_000, memoryMb: 128 });
const STUB = 'def add(a, b):\n    """Add."""\n';
const PY_TESTS: CodeTest[] = [
  { id: "t1", source: "assert add(1, 2) == 3", origin: "doctest" },
  { id: "t2", source: "assert add(2, 2) == 4", origin: "assert" },
];
const JS_TESTS: CodeTest[] = [
  { id: "t1", source: "assert.deepStrictEqual(add(1, 2), 3)", origin: "doctest" },
  { id: "t2", source: "assert.deepStrictEqual(add(2, 2), 4)", origin: "assert" },
];
const outside = (name: string): string => join(tmpdir(), `tts-escape-${process.pid}-${name}`);

/** After every hostile run, a good candidate still runs: the executor goes on. */
async function goesOn(language: "python" | "javascript"): Promise<void> {
  const code = language === "python" ? `${STUB}    return a + b\n` : "function add(a, b) { return a + b; }";
  const run = await executor.run(language, code, language === "python" ? PY_TESTS : JS_TESTS);
  assert.deepEqual(
    run.results.map((r) => r.passed),
    [true, true],
  );
}

describe("python candidates in the sandbox", () => {
  test("a right and a wrong candidate: passes, and a failure with got/expected and the value", async () => {
    const good = await executor.run("python", `${STUB}    return a + b\n`, PY_TESTS);
    assert.deepEqual(good.results, [
      { testId: "t1", passed: true, value: "3" },
      { testId: "t2", passed: true, value: "4" },
    ]);
    const bad = await executor.run("python", `${STUB}    return a * b\n`, PY_TESTS);
    assert.equal(bad.results[0]!.passed, false);
    assert.equal(bad.results[0]!.message, "AssertionError: got 2, expected 3");
    assert.equal(bad.results[1]!.passed, true);
  });

  test("code that does not parse is reported as such, with no test run", async () => {
    const run = await executor.run("python", "def add(a, b)\n    return a + b\n", PY_TESTS);
    assert.match(run.parseError ?? "", /SyntaxError/);
    assert.deepEqual(run.results, []);
  });

  test("an infinite loop is stopped at the time limit and reported", async () => {
    const run = await executor.run("python", `${STUB}    while True:\n        pass\n`, PY_TESTS);
    assert.ok(run.results.every((r) => !r.passed && /timed out/.test(r.message ?? "")));
    assert.match(run.stopped ?? "", /time limit/);
    await goesOn("python");
  });

  test("a loop that swallows the timeout is killed with its process group at the wall-time limit", async () => {
    const code = `${STUB}    import time\n    while True:\n        try:\n            time.sleep(10)\n        except BaseException:\n            pass\n`;
    const run = await executor.run("python", code, PY_TESTS.slice(0, 1));
    assert.match(run.stopped ?? "", /wall-time limit/);
    assert.equal(run.results[0]!.passed, false);
    await goesOn("python");
  });

  test("unbounded allocation is stopped at the memory limit and reported", async () => {
    const run = await roomy.run(
      "python",
      `${STUB}    x = []\n    while True:\n        x.append(" " * 10**6)\n`,
      PY_TESTS,
    );
    assert.ok(
      run.results.every((r) => !r.passed && /MemoryError: memory limit \(128 MB\)/.test(r.message ?? "")),
    );
    assert.match(run.stopped ?? "", /memory limit/);
    await goesOn("python");
  });

  test("writing outside its temporary directory is refused and reported, and nothing is written", async () => {
    const target = outside("py");
    rmSync(target, { force: true });
    const code = `${STUB}    open(${JSON.stringify(target)}, "w").write("x")\n    return a + b\n`;
    const run = await executor.run("python", code, PY_TESTS);
    assert.equal(existsSync(target), false);
    assert.match(run.results[0]!.message ?? "", /writing outside the temporary directory/);
    assert.match(run.stopped ?? "", /refused: writing outside the temporary directory/);
    const inside = await executor.run(
      "python",
      `${STUB}    open("scratch.txt", "w").write("x")\n    return a + b\n`,
      PY_TESTS,
    );
    assert.ok(
      inside.results.every((r) => r.passed),
      "writing inside its directory is allowed",
    );
    await goesOn("python");
  });

  test("a network connection is refused and reported, even to a listening loopback port", async () => {
    const server = createServer((s) => s.end("hello"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const code = `${STUB}    import socket\n    socket.create_connection(("127.0.0.1", ${port}), timeout=1).recv(5)\n    return a + b\n`;
      const run = await executor.run("python", code, PY_TESTS);
      assert.ok(run.results.every((r) => !r.passed));
      assert.match(run.stopped ?? "", /refused: network connection/);
    } finally {
      server.close();
    }
    await goesOn("python");
  });

  test("starting a process is refused", async () => {
    const target = outside("py-proc");
    const code = `${STUB}    import os\n    os.system("touch ${target}")\n    return a + b\n`;
    const run = await executor.run("python", code, PY_TESTS);
    assert.equal(existsSync(target), false);
    assert.match(run.stopped ?? "", /refused: os\.system/);
  });

  test("a run is cancelled by its signal, the process group killed", async () => {
    const controller = new AbortController();
    const pending = executor.run(
      "python",
      `${STUB}    while True:\n        pass\n`,
      PY_TESTS,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 200);
    const run = await pending;
    assert.match(run.stopped ?? "", /cancelled/);
  });
});

describe("javascript candidates in the sandbox", () => {
  test("a right and a wrong candidate", async () => {
    const good = await executor.run("javascript", "function add(a, b) { return a + b; }", JS_TESTS);
    assert.deepEqual(
      good.results.map((r) => [r.passed, r.value]),
      [
        [true, "3"],
        [true, "4"],
      ],
    );
    const bad = await executor.run("javascript", "const add = (a, b) => a - b;", JS_TESTS);
    assert.match(bad.results[0]!.message ?? "", /AssertionError: got -1, expected 3/);
  });

  test("code that does not parse is reported", async () => {
    const run = await executor.run("javascript", "function add(a, b) { return a + ; }", JS_TESTS);
    assert.match(run.parseError ?? "", /SyntaxError/);
  });

  test("an infinite loop is stopped and reported", async () => {
    const run = await executor.run("javascript", "function add(a, b) { while (true) {} }", JS_TESTS);
    assert.ok(run.results.every((r) => /timed out/.test(r.message ?? "")));
    await goesOn("javascript");
  });

  test("unbounded allocation is stopped at the heap limit and reported", async () => {
    const code = "function add(a, b) { const x = []; while (true) x.push(new Array(1e6).fill(1)); }";
    const run = await roomy.run("javascript", code, JS_TESTS);
    assert.match(run.stopped ?? "", /memory limit \(128 MiB\)/);
    assert.ok(run.results.every((r) => !r.passed));
    await goesOn("javascript");
  });

  test("writing outside its temporary directory is refused and reported", async () => {
    const target = outside("js");
    rmSync(target, { force: true });
    const code = `function add(a, b) { require("fs").writeFileSync(${JSON.stringify(target)}, "x"); return a + b; }`;
    const run = await executor.run("javascript", code, JS_TESTS);
    assert.equal(existsSync(target), false);
    assert.match(run.stopped ?? "", /refused: file access outside the temporary directory/);
    await goesOn("javascript");
  });

  test("a network connection is refused and reported", async () => {
    const code = 'function add(a, b) { require("net").connect(80, "127.0.0.1"); return a + b; }';
    const run = await executor.run("javascript", code, JS_TESTS);
    assert.match(run.stopped ?? "", /refused: network connection/);
    await goesOn("javascript");
  });
});

describe("typescript candidates in the sandbox", () => {
  const TS_TESTS: CodeTest[] = [
    { id: "t1", source: "assert.deepStrictEqual(add(1 as number, 2), 3)", origin: "doctest" },
    { id: "t2", source: "assert.deepStrictEqual(add(2, 2), 4)", origin: "assert" },
  ];

  test("an annotated, exported candidate runs as JavaScript; a wrong one fails with got/expected", async () => {
    const good = await executor.run(
      "typescript",
      "interface Pair { a: number; b: number }\nexport function add(a: number, b: number): number {\n  const p: Pair = { a, b };\n  return p.a + p.b;\n}\n",
      TS_TESTS,
    );
    assert.equal(good.parseError, undefined);
    assert.deepEqual(
      good.results.map((r) => [r.passed, r.value]),
      [
        [true, "3"],
        [true, "4"],
      ],
    );
    const bad = await executor.run(
      "typescript",
      "const add = (a: number, b: number): number => a - b;",
      TS_TESTS,
    );
    assert.match(bad.results[0]!.message ?? "", /AssertionError: got -1, expected 3/);
  });

  test("code that does not parse is reported, with no test run", async () => {
    const run = await executor.run(
      "typescript",
      "function add(a: number, b: number { return a + b; }",
      TS_TESTS,
    );
    assert.match(run.parseError ?? "", /SyntaxError/);
    assert.deepEqual(run.results, []);
  });

  test("the same sandbox: a network connection is refused and reported", async () => {
    const code =
      'function add(a: number, b: number): number { require("net").connect(80, "127.0.0.1"); return a + b; }';
    const run = await executor.run("typescript", code, TS_TESTS);
    assert.match(run.stopped ?? "", /refused: network connection/);
  });
});

test("network isolation is detected once and says when it is missing", () => {
  const iso = networkIsolation();
  assert.equal(iso.prefix.length > 0, iso.note === null);
  if (process.platform === "linux" && iso.note) console.log(`note: ${iso.note}`);
});
