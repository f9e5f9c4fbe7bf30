import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { emptyCost } from "../../../src/core/index.js";
import {
  RunStore,
  runKey,
  STORE_FILE,
  type BenchSetup,
  type RunRecord,
} from "../../../src/cli/bench/store.js";

const setup: BenchSetup = { policy: "p-1b", verifier: "vllm-pooling:prm", search: { beamWidth: 4 } };

function record(problemId: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    key: runKey(problemId, "beam", 4, 0),
    problemId,
    level: 1,
    strategy: "beam",
    n: 4,
    seed: 0,
    gold: "1",
    answer: "1",
    correct: true,
    candidates: 4,
    cost: emptyCost(),
    finishedAt: "2025-01-01T00:00:00.000Z",
    ...extra,
  };
}

test("records survive a reopen; an errored run is not done", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  const a = RunStore.open(dir, setup);
  a.append(record("p1"));
  a.append(record("p2", { error: "every policy call failed", answer: null, correct: false }));
  a.close();
  const b = RunStore.open(dir, setup);
  assert.equal(b.isDone(runKey("p1", "beam", 4, 0)), true);
  assert.equal(b.isDone(runKey("p2", "beam", 4, 0)), false);
  assert.equal(b.records().length, 2);
  assert.deepEqual(b.get(runKey("p1", "beam", 4, 0)), record("p1"));
  b.append(record("p2"));
  b.close();
  const c = RunStore.open(dir, setup);
  assert.equal(c.isDone(runKey("p2", "beam", 4, 0)), true, "the later record of a key wins");
  assert.equal(c.records().length, 2);
  c.close();
});

test("a line torn by a crash is dropped and the next record starts on a clean line", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  const a = RunStore.open(dir, setup);
  a.append(record("p1"));
  a.close();
  appendFileSync(join(dir, STORE_FILE), '{"type":"run","key":"p2|be');
  const b = RunStore.open(dir, setup);
  assert.equal(b.records().length, 1);
  assert.equal(b.unreadable, 0);
  b.append(record("p3"));
  b.close();
  const lines = readFileSync(join(dir, STORE_FILE), "utf8").trimEnd().split("\n");
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => JSON.parse(l)));
  const c = RunStore.open(dir, setup);
  assert.deepEqual(
    c.records().map((r) => r.problemId),
    ["p1", "p3"],
  );
  c.close();
});

test("a store of another setup is refused, naming both", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  RunStore.open(dir, setup).close();
  assert.throws(
    () => RunStore.open(dir, { ...setup, policy: "p-7b" }),
    (e: Error) =>
      /another setup \(policy p-1b/.test(e.message) && /this bench is policy p-7b/.test(e.message),
  );
  // Key order inside the search settings does not matter.
  RunStore.open(dir, { verifier: setup.verifier, search: { beamWidth: 4 }, policy: "p-1b" }).close();
});

test("a store of other parameter counts or another strategy table is refused: Auto would choose otherwise", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  RunStore.open(dir, setup).close();
  assert.throws(() => RunStore.open(dir, { ...setup, policyParams: 72e9 }), /policy parameters 72B/);
  const strategyTable = {
    policy: "p-1b",
    verifier: "vllm-pooling:prm",
    plans: {
      hard: {
        method: "dvts" as const,
        beamWidth: 4,
        aggregation: "last" as const,
        selection: "prm-vote" as const,
      },
    },
  };
  assert.throws(() => RunStore.open(dir, { ...setup, strategyTable }), /strategy table for p-1b/);
  // The setup it was made with still opens it.
  RunStore.open(dir, setup).close();
});

test("a corrupt line in the middle is reported with its line number, and failed runs are not counted as done", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  const a = RunStore.open(dir, setup);
  a.append(record("p1"));
  a.append(record("p2", { error: "every policy call failed", answer: null, correct: false }));
  a.close();
  const path = join(dir, STORE_FILE);
  const lines = readFileSync(path, "utf8").split("\n");
  lines.splice(2, 0, '{"type":"run","key":"p9|beam|n=4|seed=0","answer":"1"', "garbage");
  writeFileSync(path, lines.join("\n"));
  const b = RunStore.open(dir, setup);
  assert.deepEqual(b.unreadableLines, [3, 4]);
  const notes = b.resumeNotes();
  assert.equal(notes[0], `Resuming: 1 runs already done in ${path}; 1 failed run is run again.`);
  assert.match(notes[1]!, /2 lines could not be read and were skipped \(lines 3, 4\)/);
  b.close();
});

test("--out naming a file is refused in words, not with a raw EEXIST", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-store-"));
  const file = join(dir, "report.md");
  writeFileSync(file, "# not a folder\n");
  assert.throws(
    () => RunStore.open(file, setup),
    (e: Error) => /is a file, not a folder/.test(e.message) && !/EEXIST/.test(e.message),
  );
  assert.throws(
    () => RunStore.open(join(file, "out"), setup),
    (e: Error) => /Cannot make the output folder .*: a part of its path is a file/.test(e.message),
  );
});
