import assert from "node:assert/strict";
import { test } from "node:test";
import { applyEvent, replay, type RunView, type SearchEvent } from "../../../src/core/index.js";
import { EventBatcher, type EventBatch, type Timer } from "../../../src/extension/event-batcher.js";
import { RunState } from "../../../src/extension/run-state.js";
import type { PanelSnapshot } from "../../../src/protocol.js";
import { recordRun } from "./fake-run.js";

const options = { strategy: "beam" as const, n: 4, beamWidth: 2, temperature: 0.8, maxSteps: 5 };

/** A timer the test fires by hand. */
function manualTimer(): { timer: Timer; fire: () => void; pending: () => number } {
  let queue: (() => void)[] = [];
  return {
    timer: (fn) => {
      queue.push(fn);
      return { cancel: () => (queue = queue.filter((f) => f !== fn)) };
    },
    fire: () => {
      const q = queue;
      queue = [];
      q.forEach((f) => f());
    },
    pending: () => queue.length,
  };
}

/** What the webview does with a snapshot and then batches (see webview/app.ts). */
function webviewFold(snapshot: PanelSnapshot, batches: EventBatch[]): RunView {
  const view = structuredClone(snapshot.view)!;
  let seq = snapshot.seq;
  for (const b of batches) {
    if (b.runId !== snapshot.runId) continue;
    assert.ok(b.seq <= seq, `gap: batch starts at ${b.seq}, webview is at ${seq}`);
    for (const e of b.events.slice(seq - b.seq)) {
      applyEvent(view, e);
      seq++;
    }
  }
  return view;
}

test("a snapshot taken mid-run plus the batches after it rebuild the host's view exactly", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  for (const cut of [0, 1, Math.floor(events.length / 3), events.length - 1, events.length]) {
    const state = new RunState();
    const t = manualTimer();
    const sent: EventBatch[] = [];
    const batcher = new EventBatcher((b) => sent.push(structuredClone(b)), 100, t.timer);
    const runId = state.begin("What is 1 + 1?");
    events.slice(0, cut).forEach((e) => state.push(e));
    const snapshot = structuredClone(state.snapshot({ options, hasVerifier: true, note: "" }));
    assert.equal(snapshot.seq, cut);
    assert.equal(snapshot.running, true);
    for (const e of events.slice(cut)) {
      batcher.push(runId, state.push(e), e);
      if (Math.random() < 0.2) t.fire();
    }
    batcher.flush();
    state.end();
    assert.deepEqual(webviewFold(snapshot, sent), replay(events), `cut at ${cut}`);
    assert.deepEqual(state.view, replay(events));
  }
});

test("the snapshot says what the panel needs from nothing", async () => {
  const events = await recordRun({ strategy: "best-of-n", n: 3 });
  const state = new RunState();
  assert.equal(state.snapshot({ options, hasVerifier: false, note: "" }).view, null);
  state.begin("What is 1 + 1?");
  events.forEach((e) => state.push(e));
  state.end();
  const s = state.snapshot({ options, hasVerifier: false, note: "" });
  assert.equal(s.runId, 1);
  assert.equal(s.seq, events.length);
  assert.equal(s.running, false);
  assert.equal(s.problem, "What is 1 + 1?");
  assert.equal(s.hasVerifier, false);
  assert.deepEqual(s.options, options);
  assert.ok(s.view?.result);
  // Plain data: postMessage carries it by structured clone (no functions, no cycles).
  assert.equal(JSON.stringify(structuredClone(s)), JSON.stringify(s));
});

test("a failure before the run starts is a new run id with the error and no view", () => {
  const state = new RunState();
  state.begin("old");
  state.fail("new problem", { message: "The policy endpoint (http://x) refused", action: "testConnection" });
  const s = state.snapshot({ options, hasVerifier: true, note: "" });
  assert.equal(s.runId, 2);
  assert.equal(s.view, null);
  assert.equal(s.problem, "new problem");
  assert.equal(s.error?.action, "testConnection");
});

test("the batcher coalesces events into one message per interval", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const body = events.filter((e) => e.type !== "run-finished");
  const t = manualTimer();
  const sent: EventBatch[] = [];
  const b = new EventBatcher((x) => sent.push(x), 100, t.timer);
  body.forEach((e, i) => b.push(1, i, e));
  assert.equal(sent.length, 0, "nothing goes out before the interval");
  assert.equal(t.pending(), 1, "one timer for the whole burst");
  t.fire();
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.events.length, body.length);
  assert.equal(sent[0]!.seq, 0);
});

test("the end of a run is sent at once; a new run or a gap starts a new batch", () => {
  const t = manualTimer();
  const sent: EventBatch[] = [];
  const b = new EventBatcher((x) => sent.push(x), 100, t.timer);
  const warn = (i: number): SearchEvent => ({ type: "warning", t: i, message: `w${i}` });
  b.push(1, 0, warn(0));
  b.push(1, 1, warn(1));
  b.push(2, 0, warn(2)); // another run: the first batch must not swallow it
  b.push(2, 5, warn(3)); // not contiguous: separate batch
  const finished = { type: "run-finished", t: 9, result: {} } as unknown as SearchEvent;
  b.push(2, 6, finished);
  assert.deepEqual(
    sent.map((x) => [x.runId, x.seq, x.events.length]),
    [
      [1, 0, 2],
      [2, 0, 1],
      [2, 5, 2],
    ],
  );
  assert.equal(t.pending(), 0);
});

test("discard drops what a snapshot already holds; large bursts go out without waiting", () => {
  const t = manualTimer();
  const sent: EventBatch[] = [];
  const b = new EventBatcher((x) => sent.push(x), 100, t.timer, 3);
  const warn = (i: number): SearchEvent => ({ type: "warning", t: i, message: `w${i}` });
  b.push(1, 0, warn(0));
  b.discard();
  t.fire();
  assert.equal(sent.length, 0);
  [1, 2, 3].forEach((i) => b.push(1, i, warn(i)));
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.events.length, 3);
});
