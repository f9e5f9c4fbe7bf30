import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { emptyCost, type StrategyId } from "../../../src/core/index.js";
import { writeBenchOutputs } from "../../../src/cli/bench/output.js";
import { accuracyPlot, reportPanel } from "../../../src/cli/bench/plot.js";
import { buildReport, reportMarkdown, wilson } from "../../../src/cli/bench/report.js";
import { runKey, type RunRecord } from "../../../src/cli/bench/store.js";

/** [strategy, n, problem, level, correct, policy tokens, verifier tokens, flops, wall ms, error] */
type Row = [StrategyId, number, string, number, boolean, number, number, number, number, string?];
const rows: Row[] = [
  ["majority", 4, "p1", 1, true, 100, 0, 1e12, 1000],
  ["majority", 4, "p2", 2, false, 200, 0, 2e12, 2000],
  ["majority", 4, "p3", 2, true, 300, 0, 3e12, 3000],
  ["majority", 16, "p1", 1, true, 400, 0, 4e12, 1000],
  ["majority", 16, "p2", 2, true, 400, 0, 4e12, 1000],
  ["majority", 16, "p3", 2, true, 400, 0, 4e12, 1000],
  ["beam", 4, "p1", 1, true, 100, 50, 1e12, 500],
  ["beam", 4, "p2", 2, false, 0, 0, 0, 100, "every policy call failed"],
  ["beam", 4, "p3", 2, false, 200, 100, 2e12, 1500],
  ["beam", 16, "p1", 1, true, 600, 300, 6e12, 3000],
  ["beam", 16, "p2", 2, true, 600, 300, 6e12, 3000],
  ["beam", 16, "p3", 2, false, 600, 300, 6e12, 3000],
];

const records: RunRecord[] = rows.map(
  ([strategy, n, problemId, level, correct, pt, vt, flops, wallMs, error]) => {
    const cost = emptyCost();
    cost.policy.promptTokens = pt / 2;
    cost.policy.completionTokens = pt / 2;
    cost.policy.requests = 1;
    cost.verifier.promptTokens = vt;
    cost.flops = flops;
    cost.wallMs = wallMs;
    return {
      key: runKey(problemId, strategy, n, 0),
      problemId,
      level,
      strategy,
      n,
      seed: 0,
      gold: "1",
      answer: correct ? "1" : error ? null : "2",
      correct,
      candidates: n,
      cost,
      ...(error ? { error } : {}),
      finishedAt: "2025-01-01T00:00:00Z",
    };
  },
);

test("the Wilson interval matches the textbook value", () => {
  const [lo, hi] = wilson(2, 3);
  assert.equal(lo.toFixed(3), "0.208");
  assert.equal(hi.toFixed(3), "0.939");
  assert.deepEqual(wilson(0, 0), [0, 0]);
});

test("accuracy, costs, levels and winners of a tiny fixed run", () => {
  const r = buildReport(records, { title: "tiny" });
  assert.deepEqual(r.strategies, ["majority", "beam"]);
  assert.deepEqual(r.budgets, [4, 16]);
  assert.deepEqual(r.levels, [1, 2]);
  assert.equal(r.problems, 3);
  const cell = (s: StrategyId, n: number) => r.cells.find((c) => c.strategy === s && c.n === n)!;
  assert.equal(cell("majority", 4).accuracy, 2 / 3);
  assert.equal(cell("majority", 16).accuracy, 1);
  assert.equal(cell("beam", 4).accuracy, 1 / 3);
  assert.equal(cell("beam", 4).errors, 1);
  assert.equal(cell("beam", 16).accuracy, 2 / 3);
  assert.equal(cell("majority", 4).meanTokens, 200);
  assert.equal(cell("beam", 4).meanTokens, 150);
  assert.equal(cell("beam", 4).meanPolicyTokens, 100);
  assert.equal(cell("beam", 4).meanVerifierTokens, 50);
  assert.equal(cell("majority", 4).meanFlops, 2e12);
  assert.equal(cell("beam", 16).meanWallMs, 3000);
  const lvl = (s: StrategyId, n: number, level: number) =>
    r.byLevel.find((c) => c.strategy === s && c.n === n && c.level === level)!;
  assert.equal(lvl("majority", 4, 2).accuracy, 0.5);
  assert.equal(lvl("beam", 4, 1).accuracy, 1);
  assert.equal(lvl("beam", 4, 2).accuracy, 0);
  const win = (n: number, level: number | "all") => r.winners.find((w) => w.n === n && w.level === level)!;
  assert.deepEqual(win(4, "all").strategies, ["majority"]);
  assert.deepEqual(win(4, 1).strategies, ["majority", "beam"], "a tie lists both");
  assert.deepEqual(win(16, 2).strategies, ["majority"]);

  const md = reportMarkdown(r, { plot: "accuracy.svg" });
  assert.match(md, /^# tiny$/m);
  assert.match(md, /3 problems × 2 strategies × 2 budgets × 1 seed = 12 runs/);
  assert.match(
    md,
    /\| majority \| 4 \| 66\.7 \| 20\.8–93\.9 \| 3 \| 0 \| 0 \| 200 \| 200 \| 0 \| 1 \| 2\.00e12 \| 2\.00 \|/,
  );
  assert.match(md, /\| beam \| 4 \| 33\.3 \| .* \| 3 \| 1 \| 0 \| 150 \| 100 \| 50 \|/);
  assert.match(md, /\| majority \| 4 \| 100\.0 \(1\) \| 50\.0 \(2\) \|/);
  assert.match(md, /\| level 1 \| majority = beam \(100\.0\) \| majority = beam \(100\.0\) \|/);
  assert.match(md, /!\[accuracy against budget\]\(accuracy\.svg\)/);
});

test("the plot is well-formed SVG with a line and markers per strategy", () => {
  const r = buildReport(records, { title: "tiny <&>" });
  const svg = accuracyPlot([reportPanel(r), reportPanel(r, "again")], { title: "A & B", columns: 2 });
  const doc = new JSDOM(svg, { contentType: "image/svg+xml" }).window.document;
  assert.equal(doc.querySelector("parsererror"), null);
  assert.equal(doc.querySelectorAll("polyline").length, 4);
  const texts = [...doc.querySelectorAll("text")].map((t) => t.textContent);
  assert.ok(texts.includes("tiny <&>"));
  assert.ok(texts.includes("majority") && texts.includes("beam"));
  // The majority line ends at 100%: the top of the plot area, 30 (title) + 28 (panel margin).
  const majority = doc.querySelectorAll("polyline")[0]!.getAttribute("points")!.split(" ");
  assert.equal(majority.length, 2);
  assert.equal(majority[1]!.split(",")[1], "58.0");
});

test("outputs: results.json per problem and run, the report and the plot", () => {
  const dir = mkdtempSync(join(tmpdir(), "tts-report-"));
  const problems = ["p1", "p2", "p3"].map((id, i) => ({
    id,
    problem: `${id}?`,
    answer: "1",
    level: i === 0 ? 1 : 2,
  }));
  const setup = { policy: "a", verifier: null, search: {} };
  const { files } = writeBenchOutputs(dir, setup, problems, records, {
    title: "tiny",
    strategies: ["majority"],
    budgets: [4, 16],
    seeds: [0],
  });
  const results = JSON.parse(readFileSync(files[0]!, "utf8"));
  assert.equal(results.problems.length, 3);
  assert.equal(results.problems[1].id, "p2");
  assert.deepEqual(
    results.problems[1].runs.map((x: { n: number; correct: boolean }) => [x.n, x.correct]),
    [
      [4, false],
      [16, true],
    ],
    "only the asked strategies are reported",
  );
  assert.match(readFileSync(files[1]!, "utf8"), /3 problems × 1 strategies × 2 budgets/);
  assert.match(readFileSync(files[2]!, "utf8"), /^<svg/);
});

test("the report says which role's FLOPs are missing for want of a parameter count", () => {
  const known = records.map((r) => {
    const cost = structuredClone(r.cost);
    cost.policy.flops = cost.flops;
    return { ...r, cost };
  });
  const report = buildReport(known, { title: "params" });
  assert.deepEqual(report.flopsUnknown, ["verifier"]);
  const md = reportMarkdown(report);
  assert.match(md, /The verifier's parameter count is unknown .*--verifier-params/);
  assert.doesNotMatch(md, /The policy's parameter count is unknown/);
});

test("a failures column counts the paths lost to failed calls, also in runs that have an answer", () => {
  const withFailures = records.map((r) =>
    r.strategy === "beam" && r.n === 16
      ? {
          ...r,
          failures: [
            { role: "verifier" as const, message: "The verifier endpoint answered HTTP 503.", paths: 3 },
            { role: "policy" as const, message: "The policy endpoint reset the connection.", paths: 2 },
          ],
        }
      : r,
  );
  const report = buildReport(withFailures, { title: "failures" });
  assert.equal(report.cells.find((c) => c.strategy === "beam" && c.n === 16)!.failures, 15);
  assert.equal(report.cells.find((c) => c.strategy === "beam" && c.n === 4)!.failures, 0);
  const md = reportMarkdown(report);
  assert.match(md, /\| strategy \| n \| accuracy \| 95% CI \| runs \| errors \| failures \|/);
  assert.match(md, /\| beam \| 16 \| 66\.7 \| .* \| 3 \| 0 \| 15 \|/);
});
