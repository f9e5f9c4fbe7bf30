// The search tree by keyboard (WAI-ARIA tree pattern): one row in the tab order, arrows, Home and
// End move the focus through the shown rows, Right and Left open, close and climb, Enter and
// Space select; each row tells a screen reader its step, status and score.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import { replay, type SearchEvent } from "../../../src/core/index.js";
import type { PanelSnapshot, ToHostMessage } from "../../../src/protocol.js";
import { recordRun } from "../extension/fake-run.js";

const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
const doc = dom.window.document;
let App: typeof import("../../../webview/app.js").App;
before(async () => {
  (globalThis as Record<string, unknown>).document = doc;
  ({ App } = await import("../../../webview/app.js"));
});

const options = { strategy: "beam" as const, n: 4, beamWidth: 2, temperature: 0.8, maxSteps: 5 };

function mount(events: SearchEvent[]) {
  const root = doc.createElement("main");
  doc.body.replaceChildren(root);
  const posted: ToHostMessage[] = [];
  const queue: (() => void)[] = [];
  const app = new App(
    root,
    { postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => {} },
    (fn) => queue.push(fn),
  );
  const data: PanelSnapshot = {
    runId: 1,
    seq: events.length,
    view: replay(events),
    running: false,
    replay: false,
    problem: "What is 1 + 1?",
    options,
    hasVerifier: true,
    note: "",
    error: null,
  };
  app.handle({ type: "snapshot", data });
  while (queue.length) queue.splice(0).forEach((f) => f());
  const tree = root.querySelector<HTMLElement>('[role="tree"]')!;
  const press = (key: string): HTMLElement => {
    const at = doc.activeElement as HTMLElement;
    at.dispatchEvent(new dom.window.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    return doc.activeElement as HTMLElement;
  };
  return { root, tree, press, posted };
}

const idOf = (el: Element): string => (el as HTMLElement).dataset.nodeId ?? "";

test("one row is in the tab order, rows carry ARIA tree semantics and say their score and status", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const view = replay(events);
  const { tree } = mount(events);
  const items = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
  assert.ok(items.length > 4);
  assert.equal(items.filter((i) => i.tabIndex === 0).length, 1, "roving tabindex: one row is tabbable");
  assert.equal(tree.tabIndex, -1, "the tree itself is not a tab stop besides its row");
  for (const item of items) {
    const node = view.nodes[idOf(item)]!;
    assert.equal(item.getAttribute("aria-level"), String(node.depth));
    assert.equal(item.getAttribute("aria-selected"), "false");
    const label = item.getAttribute("aria-label")!;
    assert.match(label, new RegExp(`^Step ${node.depth}, ${node.status}, `));
    if (node.score !== undefined) assert.match(label, /score \d\.\d\d/);
    if (item.querySelector('[role="group"]')) assert.equal(item.getAttribute("aria-expanded"), "true");
    else assert.equal(item.hasAttribute("aria-expanded"), false);
  }
  const chosen = tree.querySelector<HTMLElement>(".chosen")!;
  assert.match(chosen.getAttribute("aria-label")!, /, finished, .*answer .*, chosen$/);
});

test("arrows, Home and End move the focus through the shown rows; Left and Right close, open and climb", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const { tree, press } = mount(events);
  const items = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
  items.find((i) => i.tabIndex === 0)!.focus();
  assert.equal(idOf(doc.activeElement!), idOf(items[0]!));
  // Down walks the rows in document order (all open), Up walks back.
  for (let i = 1; i < items.length; i++) {
    const at = press("ArrowDown");
    assert.equal(idOf(at), idOf(items[i]!), `Down from row ${i - 1}`);
    assert.equal(at.tabIndex, 0);
    assert.equal(items[i - 1]!.tabIndex, -1, "the row left behind leaves the tab order");
  }
  assert.equal(idOf(press("ArrowDown")), idOf(items.at(-1)!), "Down on the last row stays");
  assert.equal(idOf(press("Home")), idOf(items[0]!));
  assert.equal(idOf(press("End")), idOf(items.at(-1)!));
  for (let i = items.length - 2; i >= 0; i--) assert.equal(idOf(press("ArrowUp")), idOf(items[i]!));

  // Left on an open row closes it; Down then skips its subtree; Right opens it, Right again enters it.
  const parent = items[0]!;
  assert.ok(parent.querySelector('[role="group"]'), "the first row has children");
  press("ArrowLeft");
  assert.equal(parent.getAttribute("aria-expanded"), "false");
  const below = press("ArrowDown");
  assert.ok(!parent.contains(below), "Down skips the closed row's children");
  press("ArrowUp");
  press("ArrowRight");
  assert.equal(parent.getAttribute("aria-expanded"), "true");
  const child = press("ArrowRight");
  assert.equal(child.parentElement!.closest(".node"), parent, "Right on an open row goes to its first child");
  if (child.querySelector('[role="group"]')) {
    press("ArrowLeft");
    assert.equal(child.getAttribute("aria-expanded"), "false", "Left closes an open row first");
  }
  assert.equal(idOf(press("ArrowLeft")), idOf(parent), "Left on a closed row goes to its parent");
});

test("Enter and Space select the focused row; hidden pruned rows are skipped", async () => {
  const events = await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 });
  const { root, tree, press } = mount(events);
  const first = tree.querySelector<HTMLElement>('[role="treeitem"]')!;
  first.focus();
  const second = press("ArrowDown");
  press("Enter");
  assert.equal(second.getAttribute("aria-selected"), "true");
  assert.ok(root.querySelectorAll('[data-testid="detail-step"]').length > 0, "the path view shows the row");
  const third = press("ArrowDown");
  press(" ");
  assert.equal(third.getAttribute("aria-selected"), "true");
  assert.equal(second.getAttribute("aria-selected"), "false");

  tree.classList.add("hide-pruned");
  first.focus();
  const seen: HTMLElement[] = [first];
  for (let at = press("ArrowDown"); at !== seen.at(-1); at = press("ArrowDown")) seen.push(at);
  assert.ok(
    seen.every((i) => i.dataset.status !== "pruned"),
    "no pruned row takes the focus while pruned rows are hidden",
  );
  const shown = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].filter(
    (i) => !i.closest('[data-status="pruned"]'),
  );
  assert.deepEqual(seen.map(idOf), shown.map(idOf));
});
