// The CLI: `npm run simworld -- --port <p> --flavour <f>` prints a line with its URL and serves;
// `--export-problems` writes JSON lines in the shape of math500.jsonl.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chainAnswer, findWorldProblem, generateProblems } from "../../simworld/world.js";
import { MATH500 } from "./helpers.js";

const CLI = ["--import", "tsx", "test/simworld/cli.ts"];

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("simworld CLI", () => {
  it("prints its URL and serves until stopped", async () => {
    const child = spawn(process.execPath, [...CLI, "--port", "0", "--flavour", "ollama", "--seed", "3"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(m[0]);
        });
        child.on("close", () => reject(new Error(`exited before printing its URL: ${out}`)));
      });
      const res = await fetch(`${url}/api/version`);
      assert.equal(res.status, 200);
      assert.ok(((await res.json()) as { version: string }).version);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("exports a problem set shaped like math500.jsonl", async () => {
    const dir = mkdtempSync(join(tmpdir(), "simworld-"));
    try {
      const file = join(dir, "problems.jsonl");
      const r = await run(["--export-problems", file, "--count", "12", "--seed", "4"]);
      assert.equal(r.code, 0, r.out);
      const lines = readFileSync(file, "utf8").trimEnd().split("\n");
      assert.equal(lines.length, 12);
      const math500 = JSON.parse(readFileSync(MATH500, "utf8").split("\n")[0]!) as Record<string, unknown>;
      for (const line of lines) {
        const p = JSON.parse(line) as Record<string, unknown>;
        for (const key of ["problem", "solution", "answer", "subject", "level", "unique_id"])
          assert.equal(typeof p[key], typeof math500[key], key);
        assert.equal(typeof p.id, "string");
        assert.ok([1, 2, 3, 4, 5].includes(p.level as number));
        // The answer is the chain's, read back from the problem text alone.
        assert.equal(String(chainAnswer(findWorldProblem(String(p.problem))!.chain)), p.answer);
        assert.match(String(p.solution), new RegExp(`\\\\boxed\\{${p.answer}\\}`));
      }
      const same = generateProblems({ count: 12, seed: 4 }).map((p) => p.problem);
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { problem: string }).problem),
        same,
        "the same seed gives the same set",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says what is wrong with a bad flavour", async () => {
    const r = await run(["--port", "0", "--flavour", "tgi"]);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /unknown flavour "tgi"/);
  });
});
