import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import { emptyRunView, replay, resolveSearchConfig, type SearchEvent } from "../../../src/core/index.js";
import { parseToHost, type PanelSnapshot, type ToHostMessage } from "../../../src/protocol.js";
import type { PersistedState } from "../../../webview/vscode-api.js";
import { recordRun, ScriptedPolicy } from "../extension/fake-run.js";
import { assertInert, BIG_STEP, HOSTILE_STEPS } from "./hostile.js";

const dom = new JSDOM("<!DOCTYPE html><body><main id=app></main></body>");
const doc = dom.window.document;
let App: typeof import("../../../webview/app.js").App;
before(async () => {
  (globalThis as Record<string, unknown>).document = doc;
  ({ App } = await import("../../../webview/app.js"));
});

const options = { strategy: "beam" as const, n: 4, beamWidth: 2, temperature: 0.8, maxSteps: 5 };

function mount() {
  const root = doc.createElement("main");
  doc.body.replaceChildren(root);
  const posted: ToHostMessage[] = [];
  let state: PersistedState | undefined;
  const queue: (() => void)[] = [];
  const app = new App(
    root,
    { postMessage: (m) => posted.push(m), getState: () => state, setState: (s) => (state = s) },
    (fn) => queue.push(fn),
  );
  // A frame, and the ones the panel asks for after it (a big tree is drawn over several).
  const frame = (): void => {
    while (queue.length) queue.splice(0).forEach((f) => f());
  };
  return { app, root, posted, frame, state: () => state };
}

function snapshot(events: SearchEvent[], cut: number, runId = 1): PanelSnapshot {
  return {
    runId,
    seq: cut,
    view: replay(events.slice(0, cut)),
    running: cut < events.length,
    replay: false,
    problem: "What is 1 + 1?",
    options,
    hasVerifier: true,
    note: "",
    error: null,
  };
}

const hostile = (d: number, s: number): string =>
  d === 2 && s === 1 ? BIG_STEP : HOSTILE_STEPS[(d * 3 + s) % HOSTILE_STEPS.length]!;

test("hostile model text in steps, answers and warnings renders as text; nothing executes", async () => {
  const problem = `${HOSTILE_STEPS[0]} What is 1 + 1?`;
  const events = await recordRun(
    { strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 },
    new ScriptedPolicy(3, hostile),
    problem,
  );
  events.splice(3, 0, { type: "warning", t: 1, message: HOSTILE_STEPS[1]! });
  const { app, root, frame } = mount();
  app.handle({ type: "snapshot", data: { ...snapshot(events, 1), problem } });
  frame();
  for (let i = 1; i < events.length; i += 7) {
    app.handle({ type: "events", data: { runId: 1, seq: i, events: events.slice(i, i + 7) } });
    frame();
  }
  const view = replay(events);
  // the whole path with the big step, in the detail view
  const big = view.order.find((id) => view.nodes[id]!.text === BIG_STEP.trim());
  assert.ok(big);
  const leaf = view.order.find((id) => {
    for (let n = view.nodes[id]; n; n = n.parentId ? view.nodes[n.parentId] : undefined)
      if (n.id === big) return true;
    return false;
  });
  root.querySelector<HTMLElement>(`[data-node-id="${leaf}"] .row`)!.click();
  assertInert(root);
  assert.equal((globalThis as Record<string, unknown>).__pwned, undefined);
  const shownProblem = root.querySelector('[data-testid="problem"]')!.textContent!;
  assert.ok(shownProblem.includes('<img src=x onerror="globalThis.__pwned = 1"> What is 1 + 1?'));
  assert.ok(root.querySelector('[data-testid="tree"]')!.textContent!.includes("<iframe src=x></iframe>"));
  assert.ok(
    root
      .querySelector('[data-testid="detail"]')!
      .textContent!.includes("Long reasoning <b onclick=alert(1)>"),
  );
  assert.ok(root.querySelector('[data-testid="warnings"]')!.textContent!.includes("<script>"));
});

test("the panel shows what the events say: every node, its status and score, the tally and answer", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const view = replay(events);
  const { app, root, frame } = mount();
  app.handle({ type: "snapshot", data: snapshot(events, 10) });
  app.handle({ type: "events", data: { runId: 1, seq: 10, events: events.slice(10, 40) } });
  // an overlapping batch (sent before a snapshot caught up) is applied once
  app.handle({ type: "events", data: { runId: 1, seq: 30, events: events.slice(30) } });
  frame();
  const rows = [...root.querySelectorAll<HTMLElement>('[data-testid="node"]')];
  assert.equal(rows.length, view.order.length - 1, "every node but the root");
  assert.equal(root.querySelector('[data-testid="tree"]')?.getAttribute("role"), "tree");
  for (const row of rows) {
    const node = view.nodes[row.dataset.nodeId!]!;
    assert.equal(row.dataset.status, node.status);
    if (node.score !== undefined) assert.equal(Number(row.dataset.score), node.score);
  }
  assert.ok(rows.some((r) => r.dataset.status === "pruned"));
  assert.equal(root.querySelectorAll('[data-testid="tally-row"]').length, view.tally.length);
  const answer = root.querySelector<HTMLElement>('[data-testid="answer"]')!;
  assert.equal(answer.dataset.answer, view.result!.answer);
  assert.equal(answer.dataset.final, "true");
  assert.equal(root.querySelector('[data-testid="status"]')!.textContent, "Finished");
  assert.match(
    root.querySelector('[data-testid="cost"]')!.textContent!,
    /requests \(policy \d+, verifier \d+\)/,
  );
  assert.ok(
    root.querySelector(`[data-node-id="${view.result!.chosen!.nodeId}"]`)!.classList.contains("chosen"),
  );
  // the chosen path's step scores and the run's spending, charted with their words
  const scores = view.nodes[view.result!.chosen!.nodeId]!.stepScores!;
  const scoreChart = root.querySelector('[data-testid="detail"] [data-testid="score-chart"]')!;
  assert.equal(scoreChart.querySelectorAll("circle").length, scores.length);
  assert.match(
    scoreChart.querySelector("figcaption")!.textContent!,
    new RegExp(`^Step scores: ${scores.length} steps`),
  );
  assert.match(
    root.querySelector('[data-testid="budget-chart"]')!.textContent!,
    /Tokens spent in [\d.]+ s: policy \d+, verifier \d+\./,
  );
});

test("best-of-N is a list of candidates", async () => {
  const events = await recordRun({ strategy: "best-of-n", n: 5 });
  const { app, root, frame } = mount();
  app.handle({ type: "snapshot", data: snapshot(events, events.length) });
  frame();
  const list = root.querySelector<HTMLElement>('[data-testid="candidates"]')!;
  assert.ok(list);
  assert.equal(list.querySelectorAll('[data-testid="node"]').length, 5);
  assert.equal(list.querySelectorAll(".children").length, 0);
});

test("a missing batch makes the panel ask for a fresh snapshot; other runs' batches are ignored", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const { app, posted, frame, root } = mount();
  posted.length = 0;
  app.handle({ type: "snapshot", data: snapshot(events, 5) });
  app.handle({ type: "events", data: { runId: 0, seq: 5, events: events.slice(5) } });
  frame();
  assert.equal(
    root.querySelectorAll('[data-testid="node"]').length,
    replay(events.slice(0, 5)).order.length - 1,
  );
  app.handle({ type: "events", data: { runId: 1, seq: 9, events: events.slice(9) } });
  assert.deepEqual(posted, [{ type: "ready", data: {} }]);
});

test("Solve sends a message the host accepts; a bad budget is explained instead", () => {
  const { app, root, posted } = mount();
  app.handle({
    type: "snapshot",
    data: { ...snapshot([], 0), view: null, running: false, problem: "What is 6 * 7?" },
  });
  posted.length = 0;
  root.querySelector<HTMLElement>('[data-testid="solve"]')!.click();
  assert.equal(posted.length, 1);
  const parsed = parseToHost(JSON.parse(JSON.stringify(posted[0])));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, {
    type: "solve",
    data: { problem: "What is 6 * 7?", options: { ...options, kind: "auto" } },
  });

  const n = root.querySelector<HTMLElement & { value: string }>('[data-testid="n"]')!;
  n.value = "5"; // not a multiple of the beam width (2)
  root.querySelector<HTMLElement>('[data-testid="solve"]')!.click();
  assert.equal(posted.length, 1, "nothing sent");
  assert.match(root.querySelector('[data-testid="form-error"]')!.textContent!, /multiple of the beam width/);
});

test("errors show with the action that fixes them; the action goes back as an allowed command", () => {
  const { app, root, posted, frame } = mount();
  app.handle({
    type: "snapshot",
    data: {
      ...snapshot([], 0),
      view: emptyRunView(),
      running: false,
      error: {
        message: "The policy endpoint (http://127.0.0.1:9/v1) refused the connection.",
        action: "testConnection",
      },
    },
  });
  frame();
  const banner = root.querySelector<HTMLElement>('[data-testid="error"]')!;
  assert.equal(banner.hidden, false);
  assert.match(banner.textContent!, /policy endpoint \(http:\/\/127\.0\.0\.1:9\/v1\)/);
  posted.length = 0;
  root.querySelector<HTMLElement>('[data-testid="error-action"]')!.click();
  assert.deepEqual(posted, [{ type: "command", data: { command: "testConnection" } }]);
});

test("the selection survives the page being hidden and shown (setState)", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const first = mount();
  first.app.handle({ type: "snapshot", data: snapshot(events, events.length) });
  first.frame();
  const id = replay(events).order[3]!;
  first.root.querySelector<HTMLElement>(`[data-node-id="${id}"] .row`)!.click();
  assert.equal(first.state()?.selected, id);
  // a new page with the saved state, as VS Code does when the panel is shown again
  const root = doc.createElement("main");
  doc.body.replaceChildren(root);
  const saved = first.state();
  const queue: (() => void)[] = [];
  const again = new App(root, { postMessage: () => {}, getState: () => saved, setState: () => {} }, (f) =>
    queue.push(f),
  );
  again.handle({ type: "snapshot", data: snapshot(events, events.length) });
  while (queue.length) queue.splice(0).forEach((f) => f());
  assert.ok(root.querySelector(`[data-node-id="${id}"] .row`)!.classList.contains("selected"));
  assert.ok(root.querySelectorAll('[data-testid="detail-step"]').length > 0);
});

test("paths whose scoring failed are listed with their cause, counted per cause", () => {
  const node = (id: string) => ({
    id,
    parentId: "n0",
    depth: 1,
    text: `step ${id}`,
    status: "active" as const,
  });
  const cause = "The verifier endpoint (http://127.0.0.1:9/pooling) answered HTTP 503.";
  const events: SearchEvent[] = [
    {
      type: "run-started",
      t: 0,
      problem: { text: "What is 1 + 1?" },
      config: resolveSearchConfig({ strategy: "best-of-n", n: 3 }),
      policy: "p",
      verifier: "vllm-pooling:prm",
    },
    { type: "node-added", t: 1, node: { id: "n0", parentId: null, depth: 0, text: "", status: "active" } },
    ...["n1", "n2", "n3"].map((id): SearchEvent => ({ type: "node-added", t: 2, node: node(id) })),
    { type: "node-failed", t: 3, id: "n1", error: cause },
    { type: "node-failed", t: 3, id: "n3", error: cause },
  ];
  const { app, root, frame } = mount();
  app.handle({ type: "snapshot", data: snapshot(events, events.length) });
  frame();
  const items = [...root.querySelectorAll('[data-testid="failure"]')].map((li) => li.textContent);
  assert.deepEqual(items, [`Scoring failed for 2 paths: ${cause}`]);
  assert.equal(root.querySelector('[data-testid="warnings"]')!.getAttribute("heading"), "1 warning");
});
