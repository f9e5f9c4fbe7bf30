/* eslint-disable no-control-regex -- these tests look for terminal control sequences on purpose */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTrace, runSearch, serializeTrace, type SearchEvent } from "../../../src/core/index.js";
import { LiveView, renderFrame } from "../../../src/cli/live-view.js";
import { summarizeTrace, traceText } from "../../../src/cli/trace.js";
import { oneLine, safeText } from "../../../src/cli/view-text.js";
import { ToyPolicy, ToyVerifier, toyProblem } from "../core/toy-world.js";

async function beamRun(): Promise<{ events: SearchEvent[]; answer: string | null }> {
  const events: SearchEvent[] = [];
  let clock = 0;
  const result = await runSearch({
    problem: toyProblem({ start: 3, ops: [4, 5, 6] }),
    policy: new ToyPolicy({ errorRate: 0.3 }),
    verifier: new ToyVerifier(),
    config: { strategy: "beam", n: 8, beamWidth: 4, seed: 1 },
    onEvent: (e) => events.push(e),
    now: () => (clock += 5),
  });
  return { events, answer: result.answer };
}

test("a trace summary folds the same events the run emitted", async () => {
  const { events, answer } = await beamRun();
  const parsed = parseTrace(serializeTrace(events));
  const { summary } = summarizeTrace(parsed);
  assert.equal(summary.answer, answer);
  assert.equal(summary.answer, "18");
  assert.equal(summary.finished, true);
  assert.equal(summary.strategy, "beam");
  assert.equal(summary.tree.depth, 4, "three steps and the answer step");
  assert.equal(summary.tree.nodes, events.filter((e) => e.type === "node-added").length - 1);
  const finished = events.filter((e) => e.type === "path-finished").length;
  assert.equal(summary.tree.finished, finished);
  assert.equal(summary.tree.pruned, events.filter((e) => e.type === "node-pruned").length);
  assert.equal(summary.tree.active, 0, "kept inner nodes are not open leaves");
  const text = traceText(parsed).join("\n");
  assert.match(text, /Answer: {4}18/);
  assert.match(text, /Search: {4}beam, n=8, beamWidth=4/);
  assert.match(text, /Chosen solution/);
  assert.match(text, /▶ +\d+ votes/);
});

test("a trace cut off mid-run says so and shows the best path so far", async () => {
  const { events } = await beamRun();
  const cut = events.slice(0, Math.floor(events.length / 2));
  const text = traceText(cut).join("\n");
  assert.match(text, /ends before the run finished/);
  assert.match(text, /Best path so far/);
  assert.equal(summarizeTrace(cut).summary.finished, false);
});

test("the live view draws frames on a terminal and plain lines elsewhere", async () => {
  const { events } = await beamRun();
  const plain: string[] = [];
  const lines = new LiveView({ out: { write: (t: string) => plain.push(t) }, tty: false });
  events.forEach(lines.onEvent);
  lines.finish();
  const out = plain.join("");
  assert.match(out, /^beam, n=8, policy toy-policy-1b, verifier http:toy-prm-1b\n/);
  assert.match(out, /step 1: 8 candidates, best score 0\.900/);
  assert.match(out, /finished n\d+ → 18/);
  assert.doesNotMatch(out, /\x1b\[/, "no escape codes when not on a terminal");

  const tty: string[] = [];
  const live = new LiveView({
    out: { write: (t: string) => tty.push(t), columns: 80 },
    tty: true,
    frameMs: 0,
  });
  const half = Math.floor(events.length / 2);
  events.slice(0, half).forEach(live.onEvent);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(tty.length, 1, "events are coalesced into one frame per interval");
  assert.match(tty[0]!, /running/);
  events.slice(half).forEach(live.onEvent);
  live.finish();
  assert.equal(tty.length, 2, "the finished run is drawn once");
  const last = tty.at(-1)!;
  assert.match(last, /^\x1b\[\d+F\x1b\[J/, "a later frame redraws over the previous one");
  assert.match(last, /beam · n=8 · M=4 · step 4\/40 · .* · done/);
  assert.match(last, /▶ +\d+ votes .* 18/);
  for (const line of last.replace(/^\x1b\[\d+F\x1b\[J/, "").split("\n"))
    assert.ok([...line].length <= 79, line);
  const frame = renderFrame(live.view, 60);
  assert.ok(frame.every((l) => [...l].length <= 60));
});

test("model text cannot send terminal control sequences", () => {
  const hostile = "ok\x1b]0;pwned\x07\x1b[2J\u009b31m";
  assert.equal(safeText(hostile), "ok\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m");
  assert.doesNotMatch(oneLine(hostile, 100), /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
});

test("Auto's choice and early stop show in the live lines and the trace summary", async () => {
  const events: SearchEvent[] = [];
  await runSearch({
    problem: toyProblem({ start: 2, ops: [1, 1] }),
    policy: new ToyPolicy({ errorRate: 0.05, maxN: 8 }),
    verifier: new ToyVerifier(),
    config: { strategy: "auto", n: 16, seed: 2 },
    onEvent: (e) => events.push(e),
  });
  const chosen = events.find((e) => e.type === "strategy-chosen");
  assert.ok(chosen && chosen.type === "strategy-chosen");
  const plain: string[] = [];
  const live = new LiveView({ out: { write: (t: string) => plain.push(t) }, tty: false });
  events.forEach(live.onEvent);
  assert.match(plain.join(""), new RegExp(`auto chose ${chosen.decision.method}: `));
  const text = traceText(events).join("\n");
  assert.match(text, new RegExp(`Auto: +chose ${chosen.decision.method}`));
  const stopped = events.some((e) => e.type === "early-stopped");
  assert.equal(/Stopped: +early/.test(text), stopped);
  assert.match(renderFrame(live.view, 80)[0]!, new RegExp(`^auto→${chosen.decision.method} · n=16`));
});

test("paths whose scoring failed are in the result and the trace summary, with their cause", async () => {
  const events: SearchEvent[] = [];
  const result = await runSearch({
    problem: toyProblem({ start: 3, ops: [4, 5] }),
    policy: new ToyPolicy({ errorRate: 0 }),
    verifier: new ToyVerifier({ scoreCount: () => 0 }),
    config: { strategy: "best-of-n", n: 4, seed: 1 },
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(
    result.failures?.map((f) => [f.role, f.paths]),
    [["verifier", 4]],
  );
  assert.match(result.failures![0]!.message, /returned 0 scores for \d+ steps/);
  const text = traceText(parseTrace(serializeTrace(events))).join("\n");
  assert.match(text, /Failed: {4}4 paths \(scoring\): The verifier \(http, toy-prm-1b\) returned 0 scores/);
});
