// A rebuilt search view (a snapshot of a big run) draws a slice of rows a frame, so the panel
// shows the top of the tree at once and never stalls; what arrives or is chosen meanwhile lands
// where it belongs.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import { applyEvent, replay } from "../../../src/core/index.js";
import { beamTrace } from "../../../scripts/panel-trace.js";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
const doc = dom.window.document;
let search: typeof import("../../../webview/search-view.js");
before(async () => {
  (globalThis as Record<string, unknown>).document = doc;
  search = await import("../../../webview/search-view.js");
});

test("a 1,024-node snapshot is drawn a slice a frame, in order, with its selection and chosen row", () => {
  const events = beamTrace(1024);
  const cut = events.findIndex((e) => e.type === "path-finished");
  const view = replay(events.slice(0, cut));
  const frames: (() => void)[] = [];
  const view_ = new search.SearchView(
    doc,
    () => {},
    (fn) => frames.push(fn),
  );
  doc.body.replaceChildren(view_.element);
  const rows = (): number => view_.element.querySelectorAll('[data-testid="node"]').length;
  const picked = view.order[700]!;
  view_.reset(view);
  view_.select(picked);
  assert.ok(rows() >= 1 && rows() <= search.ROWS_PER_FRAME, `the first frame draws a slice: ${rows()} rows`);
  // the run finishes while it draws: the panel folds the events into the same view
  for (const e of events.slice(cut)) applyEvent(view, e);
  for (const id of view.order.slice(-3)) view_.add(view, id);
  view_.setChosen(view.result!.chosen!.nodeId);
  const full = view;
  assert.equal(view_.element.getAttribute("aria-busy"), "true", "busy while rows are still to come");
  let drawn = rows();
  while (frames.length) {
    frames.shift()!();
    assert.ok(rows() > drawn, "each frame draws more");
    assert.ok(rows() - drawn <= search.ROWS_PER_FRAME);
    drawn = rows();
  }
  assert.equal(rows(), full.order.length - 1, "every node drawn once");
  assert.equal(view_.element.hasAttribute("aria-busy"), false, "no longer busy once all are drawn");
  const ids = [...view_.element.querySelectorAll<HTMLElement>('[data-testid="node"]')].map(
    (r) => r.dataset.nodeId,
  );
  assert.equal(new Set(ids).size, ids.length);
  for (const item of view_.element.querySelectorAll<HTMLElement>('[data-testid="node"]')) {
    const node = full.nodes[item.dataset.nodeId!]!;
    const parent = item.parentElement!.closest<HTMLElement>('[data-testid="node"]');
    assert.equal(parent?.dataset.nodeId ?? "n0", node.parentId, `${node.id} under its parent`);
  }
  const selected = view_.element.querySelector<HTMLElement>('[aria-selected="true"]')!;
  assert.equal(selected.dataset.nodeId, picked, "the selection made before its row was drawn");
  assert.equal(selected.tabIndex, 0);
  const chosen = view_.element.querySelector<HTMLElement>(".chosen")!;
  assert.equal(chosen.dataset.nodeId, full.result!.chosen!.nodeId);
  assert.match(chosen.getAttribute("aria-label")!, /, chosen$/);
});

test("a rebuild while another is still drawing draws the new view, whole, and nothing of the old", () => {
  const frames: (() => void)[] = [];
  const tree = new search.SearchView(
    doc,
    () => {},
    (fn) => frames.push(fn),
  );
  const old = replay(beamTrace(1024));
  const fresh = replay(beamTrace(256));
  tree.reset(old);
  assert.ok(frames.length > 0, "the old view is still drawing");
  tree.reset(fresh);
  while (frames.length) frames.shift()!();
  const ids = [...tree.element.querySelectorAll<HTMLElement>('[data-testid="node"]')].map(
    (r) => r.dataset.nodeId,
  );
  assert.deepEqual(ids.sort(), fresh.order.slice(1).sort());
  assert.equal(tree.element.hasAttribute("aria-busy"), false);
});
