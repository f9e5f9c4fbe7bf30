import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { parseBudgets, parseSeeds, parseStrategies, registerBench } from "../../../src/cli/bench/command.js";
import { registerCalibrate } from "../../../src/cli/calibrate.js";
import { estimateRemainingMs, ProgressBar, progressLine } from "../../../src/cli/bench/progress.js";

test("bench flags: budgets, strategies and seeds", () => {
  assert.deepEqual(parseBudgets("4, 16,64,16"), [4, 16, 64]);
  assert.throws(() => parseBudgets("4,0"), /--n: "0" is not a whole number ≥ 1/);
  assert.deepEqual(parseStrategies("majority,beam"), ["majority", "beam"]);
  assert.throws(() => parseStrategies("beam,mcts"), /"mcts" is not a strategy/);
  assert.deepEqual(parseSeeds("3"), [0, 1, 2]);
  assert.deepEqual(parseSeeds("2-4"), [2, 3, 4]);
  assert.deepEqual(parseSeeds("0,5"), [0, 5]);
  assert.throws(() => parseSeeds("x"), /--seeds/);
  assert.throws(() => parseSeeds("4-2"), /--seeds/);
});

test("bench and calibrate refuse a --limit or --concurrency that is not a whole number ≥ 1", () => {
  for (const register of [registerBench, registerCalibrate]) {
    const program = new Command().exitOverride();
    register(program);
    const name = program.commands[0]!.name();
    for (const [flag, value] of [
      ["--concurrency", "abc"],
      ["--concurrency", "0"],
      ["--limit", "2.5"],
    ])
      assert.throws(
        () => program.parse([name, "--data", "d.jsonl", "--out", "o", flag!, value!], { from: "user" }),
        new RegExp(`${flag}: "${value}" is not a whole number`),
        `${name} ${flag} ${value}`,
      );
  }
});

test("the ETA counts only runs done in this session", () => {
  const p = { total: 100, done: 60, skipped: 40, failed: 0, inFlight: 2, correct: 30 };
  assert.equal(estimateRemainingMs(p, 10_000), 20_000, "20 runs in 10 s, 40 to go");
  assert.equal(estimateRemainingMs({ ...p, done: 40 }, 5_000), null);
  const line = progressLine(p, 10_000, 100);
  const m = /^\[(#+)(\.+)\] 60\/100 runs \(60%\), 40 resumed · 50% right · 10\.0 s · ETA 20\.0 s$/.exec(line);
  assert.ok(m, line);
  assert.equal(m[1]!.length, Math.round(0.6 * (m[1]!.length + m[2]!.length)));
  assert.ok(line.length <= 100);
});

test("the progress bar redraws one line on a terminal and prints every 5% elsewhere", () => {
  let clock = 0;
  const plain: string[] = [];
  const bar = new ProgressBar({ write: (t: string) => plain.push(t) }, false, () => clock);
  for (let done = 0; done <= 40; done++) {
    clock += 100;
    bar.update({ total: 40, done, skipped: 0, failed: 0, inFlight: 1, correct: done });
  }
  assert.equal(plain.length, 21);
  assert.ok(plain.every((l) => l.endsWith("\n") && !l.includes("\r")));
  const tty: string[] = [];
  const live = new ProgressBar({ write: (t: string) => tty.push(t), columns: 80 }, true, () => clock);
  clock += 1000;
  live.update({ total: 2, done: 1, skipped: 0, failed: 0, inFlight: 1, correct: 1 });
  live.finish();
  assert.ok(tty.every((l) => l.startsWith("\r\x1b[2K")));
  assert.ok(tty.at(-1)!.endsWith("\n"));
});
