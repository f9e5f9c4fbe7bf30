// The panel's two charts: a path's step scores by depth, and the run's tokens over time by role
// with Auto's early stop; each with its facts in words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { emptyCost } from "../../../src/core/cost.js";
import { replay, resolveSearchConfig, SPENDING_POINTS, type SearchEvent } from "../../../src/core/index.js";
import { budgetChart, describeSpending } from "../../../webview/budget-chart.js";
import { describeScores, scoreChart } from "../../../webview/score-chart.js";

const doc = new JSDOM("<!DOCTYPE html><body></body>").window.document;

const pointsOf = (chart: HTMLElement, selector: string): [number, number][] =>
  chart
    .querySelector(selector)!
    .getAttribute("points")!
    .split(" ")
    .map((p) => p.split(",").map(Number) as [number, number]);

test("the score chart draws one point per step, says where the PRM lost and gained confidence", () => {
  const scores = [0.9, 0.8, 0.3, 0.6];
  assert.equal(
    describeScores(scores),
    "Step scores: 4 steps, from 0.90 to 0.60; lowest 0.30 at step 3; biggest drop 0.50 at step 3; biggest gain 0.30 at step 4.",
  );
  const chart = scoreChart(doc, scores)!;
  assert.equal(chart.dataset.testid, "score-chart");
  assert.equal(chart.querySelector("figcaption")!.textContent, describeScores(scores));
  assert.equal(chart.querySelector("svg")!.getAttribute("aria-hidden"), "true", "the caption is the text");
  const line = pointsOf(chart, "polyline.score");
  assert.equal(line.length, 4);
  assert.ok(
    line.every(([x], i) => i === 0 || x > line[i - 1]![0]),
    "depth grows left to right",
  );
  const y = line.map(([, v]) => v);
  assert.ok(y[2]! > y[0]! && y[2]! > y[3]!, "the low step is drawn lowest (SVG y grows down)");
  assert.deepEqual(
    [...chart.querySelectorAll("circle")].map((c) => c.getAttribute("class")),
    ["dot band-high", "dot band-high", "dot band-low", "dot band-medium"],
  );
  assert.equal(scoreChart(doc, []), null);
  assert.equal(scoreChart(doc, undefined), null);
});

test("a 10,000-step path is a thinned line that keeps its lowest step", () => {
  const scores = Array.from({ length: 10_000 }, (_, i) => 0.8 + 0.1 * Math.sin(i));
  scores[7_777] = 0.05;
  const chart = scoreChart(doc, scores)!;
  const line = pointsOf(chart, "polyline.score");
  assert.ok(line.length <= 4 * 320, `${line.length} points for a 320-wide chart`);
  const bottom = Math.max(...line.map(([, v]) => v));
  const lowY = pointsOf(scoreChart(doc, [0.05, 1])!, "polyline.score")[0]![1];
  assert.equal(bottom, lowY, "the dip to 0.05 survives thinning");
  assert.equal(chart.querySelectorAll("circle").length, 0, "no dots on a long path");
  assert.match(chart.textContent!, /lowest 0\.05 at step 7778/);
});

function costAt(policy: number, verifier: number) {
  const cost = emptyCost();
  cost.policy.completionTokens = policy;
  cost.verifier.promptTokens = verifier;
  return cost;
}

const started: SearchEvent = {
  type: "run-started",
  t: 0,
  problem: { text: "What is 1 + 1?" },
  config: resolveSearchConfig({ strategy: "auto", n: 16 }),
  policy: "p-1.5b",
  verifier: "vllm-pooling:prm",
};

test("the budget chart draws each role's tokens over time and marks Auto's early stop", () => {
  const events: SearchEvent[] = [
    started,
    { type: "cost", t: 1000, cost: costAt(400, 0) },
    { type: "cost", t: 2000, cost: costAt(800, 300) },
    { type: "early-stopped", t: 2500, reason: "the probe's vote is settled", budgetSaved: 4 },
    { type: "cost", t: 3000, cost: costAt(1200, 600) },
    { type: "early-stopped", t: 3500, reason: "a DVTS wave settled the vote", budgetSaved: 2 },
    { type: "cost", t: 4000, cost: costAt(1500, 900) },
  ];
  const view = replay(events);
  assert.deepEqual(view.earlyStop, { reason: "a DVTS wave settled the vote", budgetSaved: 6, t: 2500 });
  assert.deepEqual(
    view.spending.map((p) => [p.t, p.policy, p.verifier]),
    [
      [1000, 400, 0],
      [2000, 800, 300],
      [3000, 1200, 600],
      [4000, 1500, 900],
    ],
  );
  const chart = budgetChart(doc, view)!;
  assert.equal(chart.dataset.testid, "budget-chart");
  const policy = pointsOf(chart, "polyline.policy");
  const verifier = pointsOf(chart, "polyline.verifier");
  assert.equal(policy.length, 5, "from (0, 0) through every cost event");
  assert.ok(policy.at(-1)![1] < verifier.at(-1)![1], "the policy spent more: its line ends higher");
  const marker = chart.querySelector("line.early-stop")!;
  const x = Number(marker.getAttribute("x1"));
  assert.ok(x > policy[2]![0] && x < policy[3]![0], "the early stop sits between 2 s and 3 s");
  assert.equal(
    describeSpending(view),
    "Tokens spent in 4.0 s: policy 1.5k, verifier 900. Auto stopped early at 2.5 s, saving 6 samples.",
  );
  assert.equal(chart.querySelector("figcaption")!.textContent, describeSpending(view));
  assert.match(
    chart.querySelector(".chart-legend")!.textContent!,
    /policy 1\.5k tokens.*verifier 900 tokens/,
  );
  assert.equal(budgetChart(doc, replay([started])), null, "nothing spent, no chart");
});

test("a long run's spending is thinned to a bounded series that keeps its latest point", () => {
  const events: SearchEvent[] = [started];
  for (let i = 1; i <= 5000; i++) events.push({ type: "cost", t: i * 10, cost: costAt(i * 3, i) });
  const view = replay(events);
  assert.ok(view.spending.length <= SPENDING_POINTS, `${view.spending.length} points`);
  assert.ok(view.spending.length > SPENDING_POINTS / 4);
  assert.deepEqual(view.spending.at(-1), { t: 50_000, policy: 15_000, verifier: 5000 });
  assert.ok(view.spending.every((p, i) => i === 0 || p.t > view.spending[i - 1]!.t));
  assert.deepEqual(replay(events).spending, view.spending, "the same events leave the same points");
});
