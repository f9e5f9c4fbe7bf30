// `calibrate` end to end: a development set on simworld → a strategy table → Auto uses it.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseCalibratedTable } from "../../../src/core/index.js";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { startCli } from "./cli-helpers.js";

let sim: Simworld;
const dir = mkdtempSync(join(tmpdir(), "tts-calibrate-"));
const problems = generateProblems({ count: 10, seed: 31 });

before(async () => {
  sim = await startSimworld({ flavour: "vllm", port: 0, seed: 5 });
});
after(() => sim.close());

const endpoints = (): string[] => [
  "--policy-url",
  sim.url,
  "--policy-model",
  "sim-policy-0.5b",
  "--verifier",
  "vllm-pooling",
  "--verifier-model",
  "sim-prm-qwen",
];

test("calibrate writes a table per probe bucket, and Auto follows it", async () => {
  const data = join(dir, "dev.jsonl");
  writeFileSync(data, problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const out = join(dir, "table.json");
  const run = startCli(["calibrate", "--data", data, "--out", out, "--n", "4", ...endpoints()]);
  const { code } = await run.exited;
  assert.equal(code, 0, run.stderr());
  const table = parseCalibratedTable(JSON.parse(readFileSync(out, "utf8")));
  assert.equal(table.policy, "sim-policy-0.5b");
  assert.equal(table.verifier, "vllm-pooling:sim-prm-qwen");
  const buckets = Object.keys(table.plans);
  assert.ok(buckets.length >= 1, "at least one bucket had problems");
  // The measured options Auto chooses from by compute: every method at n = 4, per bucket.
  const options = Object.values(table.byBudget?.["4"] ?? {}).flat();
  assert.ok(options.length >= 4, JSON.stringify(table.byBudget));
  for (const o of options) {
    assert.equal(o.n, 4);
    assert.ok(o.accuracy >= 0 && o.accuracy <= 1 && o.flops > 0 && o.runs >= 3, JSON.stringify(o));
  }
  assert.match(run.stdout(), /\| bucket \| runs \| majority \| best-of-n \| beam \| dvts \| pick \|/);
  assert.match(run.stdout(), /\| 4 \| (easy|medium|hard) \| (majority|best-of-n|beam|dvts) \(4\) \| /);

  // A table that says DVTS everywhere (plans only: measured options would take precedence): Auto
  // must say it used the calibrated table and run DVTS.
  const forced = join(dir, "forced.json");
  const plan = { method: "dvts", beamWidth: 2, aggregation: "last", selection: "prm-vote" };
  writeFileSync(
    forced,
    JSON.stringify(
      { ...table, byBudget: undefined, plans: { easy: plan, medium: plan, hard: plan } },
      null,
      2,
    ),
  );
  const solve = startCli([
    "solve",
    ...endpoints(),
    "--strategy",
    "auto",
    "--n",
    "8",
    "--strategy-table",
    forced,
    "--json",
    problems[0]!.problem,
  ]);
  assert.equal((await solve.exited).code, 0, solve.stderr());
  const result = JSON.parse(solve.stdout()) as {
    decision: { method: string; source: string; reason: string };
  };
  assert.equal(result.decision.method, "dvts");
  assert.equal(result.decision.source, "calibrated");
  assert.match(result.decision.reason, /calibrated table/);

  const broken = join(dir, "broken.json");
  writeFileSync(broken, "{}");
  const bad = startCli(["solve", ...endpoints(), "--strategy", "auto", "--strategy-table", broken, "x"]);
  assert.notEqual((await bad.exited).code, 0);
  assert.match(bad.stderr(), /strategy table .*broken\.json is not valid/);
});
