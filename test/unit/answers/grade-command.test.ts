import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { gradeLine } from "../../../src/cli/grade.js";
import { AnswerGrader } from "../../../src/core/answers/index.js";

const gradeModule = fileURLToPath(new URL("../../../src/cli/grade.ts", import.meta.url));
const commanderModule = createRequire(import.meta.url).resolve("commander");

/** Runs the command as registered, in its own process, with real stdin and stdout. */
function runGrade(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const script = [
    `import { Command } from ${JSON.stringify(commanderModule)};`,
    `import { registerGrade } from ${JSON.stringify(gradeModule)};`,
    "const program = new Command();",
    "registerGrade(program);",
    `program.parseAsync(["node", "tts-reasoner", "grade", ...${JSON.stringify(args)}]);`,
  ].join("\n");
  const dir = mkdtempSync(join(tmpdir(), "grade-cli-"));
  const entry = join(dir, "grade-entry.ts");
  writeFileSync(entry, script);
  try {
    return spawnSync(process.execPath, ["--import", "tsx", entry], {
      input,
      encoding: "utf8",
      timeout: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("tts-reasoner grade", () => {
  const grader = new AnswerGrader();

  it("grades one line into the documented fields", () => {
    const out = JSON.parse(
      gradeLine('{"gold":"\\\\frac{1}{2}","pred":"so the answer is $\\\\boxed{0.5}$"}', 1, grader),
    );
    assert.deepEqual(out, { equal: true, pred_answer: "0.5", gold_answer: "\\frac{1}{2}" });
  });

  it("answers a bad line with an error that names the line", () => {
    assert.match(JSON.parse(gradeLine("{not json", 3, grader)).error, /^line 3: not JSON/);
    assert.match(
      JSON.parse(gradeLine('{"gold": 5, "pred": "5"}', 4, grader)).error,
      /line 4: .*"gold" and "pred"/,
    );
    assert.match(JSON.parse(gradeLine("null", 5, grader)).error, /line 5/);
  });

  it("reads stdin and writes one line per input, blank ones too, in order, going on after bad lines", () => {
    const input = [
      JSON.stringify({ gold: "(1,2)", pred: "The answer is $(1, 2)$." }),
      "garbage",
      "",
      JSON.stringify({ gold: "(1,2)", pred: "The answer is $(2,1)$." }),
      JSON.stringify({
        gold: "10\\%",
        pred: "Final Answer: The final answer is $10$. I hope it is correct.",
      }),
    ].join("\n");
    const r = runGrade([], input);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // A blank line gets its line too, so output line k answers input line k.
    assert.equal(lines.length, 5);
    assert.deepEqual(lines[0], { equal: true, pred_answer: "(1, 2)", gold_answer: "(1,2)" });
    assert.match(lines[1].error, /line 2: not JSON/);
    assert.deepEqual(lines[2], { error: "line 3: blank" });
    assert.equal(lines[3].equal, false);
    assert.equal(lines[4].equal, true);
  });

  it("applies --rel-tol to every pair of numbers, and compares finite decimals exactly without it", () => {
    const input = [
      JSON.stringify({ gold: "1", pred: "1.0001" }),
      JSON.stringify({ gold: "1", pred: "1.0002" }),
    ].join("\n");
    const equal = (r: ReturnType<typeof runGrade>): boolean[] =>
      r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).equal);
    assert.deepEqual(equal(runGrade(["--rel-tol", "1e-4"], input)), [true, false]);
    assert.deepEqual(equal(runGrade([], input)), [false, false]);
    const bad = runGrade(["--rel-tol", "-1"], input);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--rel-tol must be a non-negative number/);
  });
});
