import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import { replay } from "../../../src/core/index.js";
import { recordRun, ScriptedPolicy } from "../extension/fake-run.js";
import { assertInert, BIG_STEP, HOSTILE_STEPS } from "./hostile.js";

// KaTeX builds its DOM through the global document, as it does in the webview.
const dom = new JSDOM("<!DOCTYPE html><body></body>");
const doc = dom.window.document;
let preview: typeof import("../../../webview/step-preview.js");
let SearchView: typeof import("../../../webview/search-view.js").SearchView;
before(async () => {
  (globalThis as Record<string, unknown>).document = doc;
  preview = await import("../../../webview/step-preview.js");
  ({ SearchView } = await import("../../../webview/search-view.js"));
});

/** The text a person sees: KaTeX's MathML copy (for screen readers, visually hidden) left out. */
function visibleText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const m of copy.querySelectorAll(".katex-mathml")) m.remove();
  return copy.textContent ?? "";
}

function draw(text: string, budget = preview.previewBudget()) {
  const el = doc.createElement("span");
  const cost = preview.renderPreview(el, text, budget);
  return { el, cost, budget };
}

test("a step's preview typesets its math: no dollars or backslash commands left in view", () => {
  const { el, cost } = draw(
    "Scaling by $9$ gives\n$34 \\times 9 = 306$, and \\(\\frac{306}{2}\\) is half:\n\n$$x^2 + 1$$",
  );
  assert.equal(el.querySelectorAll(".katex").length, 4);
  assert.equal(cost.formulas, 4);
  const seen = visibleText(el);
  assert.doesNotMatch(seen, /\$|\\[a-z(]/i, seen);
  assert.match(seen, /^Scaling by 9 gives 34×9=306, and 2306\u200b is half: x2\+1$/);
  assert.equal(el.querySelectorAll(".math-display").length, 0, "display math stays on the line");
});

test("a long step is cut to one line between formulas, never inside one", () => {
  const words = "word ".repeat(30);
  const formula = "\\sum_{i=1}^{100} i^2 + \\frac{a}{b}";
  const { el, cost } = draw(`${words}$${formula}$ and more text after it that will not be shown`);
  // The formula would run past the line, so the line ends before it, whole text and an ellipsis.
  assert.equal(el.querySelectorAll(".katex").length, 0);
  assert.equal(el.textContent, `${words}…`);
  assert.equal(cost.formulas, 0);

  const short = draw(`${"word ".repeat(20)}$${formula}$ ${"tail ".repeat(40)}`);
  assert.equal(short.el.querySelectorAll(".katex").length, 1, "a formula that fits is shown whole");
  assert.equal(short.el.querySelector(".katex-mathml annotation")?.textContent, formula);
  assert.match(visibleText(short.el), /^(word ){20}∑.* tail .*…$/);
  assert.ok(visibleText(short.el).length < preview.PREVIEW_CHARS + 60);
});

test("hostile and huge steps stay inert in a preview", () => {
  for (const step of [...HOSTILE_STEPS, BIG_STEP]) assertInert(draw(step).el);
  assert.equal((globalThis as Record<string, unknown>).__pwned, undefined);
  const big = draw(BIG_STEP).el;
  assert.ok(visibleText(big).length <= preview.PREVIEW_CHARS + 1, visibleText(big));
  assert.match(visibleText(big), /^Long reasoning <b onclick=alert\(1\)>bold\?<\/b> with x02\u200b and <img/);
});

test("rows past the panel's budget show plain text; a refund makes room again", () => {
  const budget = preview.previewBudget();
  budget.left = 3;
  const first = draw("$a$ plus $b$ is $c$", budget);
  assert.equal(first.cost.formulas, 3);
  assert.equal(budget.left, 0);
  const second = draw("then $d$", budget);
  assert.equal(second.cost.plain, true);
  assert.equal(second.el.textContent, "then $d$");
  assert.equal(draw("no math here", budget).cost.plain, false, "text without math needs no formulas");
  preview.refund(budget, first.cost);
  assert.equal(budget.left, 3);
  assert.equal(draw("then $d$", budget).el.querySelectorAll(".katex").length, 1);
});

test("the search tree's rows render math, keep the full step on hover, and offer more past the budget", async () => {
  // 24 steps of 30 formulas each: more than one panel's allowance.
  const step = (d: number, s: number): string =>
    `Step ${d}.${s}: ` + Array.from({ length: 30 }, (_, i) => `$x_{${i}}$`).join(" ");
  const events = await recordRun(
    { strategy: "beam", n: 4, beamWidth: 2, maxSteps: 6 },
    new ScriptedPolicy(6, step),
  );
  const view = replay(events);
  const selected: string[] = [];
  const search = new SearchView(doc, (id) => selected.push(id));
  doc.body.replaceChildren(search.element, search.more);
  search.reset(view);

  const rows = [...search.element.querySelectorAll<HTMLElement>('[data-testid="node"]')];
  assert.equal(rows.length, view.order.length - 1);
  const text = (r: HTMLElement): HTMLElement => r.querySelector(":scope > .row > .step-text")!;
  const typeset = rows.filter((r) => text(r).querySelector(".katex"));
  const plain = rows.filter((r) => !text(r).querySelector(".katex"));
  assert.equal(typeset.length, Math.floor(preview.PREVIEW_FORMULAS / 30));
  assert.ok(plain.length > 0, "some rows are past the budget");
  for (const r of typeset) assert.doesNotMatch(visibleText(text(r)), /\$|\\/);
  for (const r of rows) {
    const node = view.nodes[r.dataset.nodeId!]!;
    assert.equal(r.querySelector(".row")!.getAttribute("title"), node.text, "the full step on hover");
  }
  assert.equal(search.more.hidden, false);
  assert.equal(search.more.textContent, `Show math in ${plain.length} more rows`);

  search.more.click();
  for (const r of rows) assert.ok(text(r).querySelector(".katex"), `row ${r.dataset.nodeId} typeset`);
  assert.equal(search.more.hidden, true);

  // An update that leaves the text alone does not draw (or pay for) the preview again.
  const first = text(rows[0]!).firstChild;
  search.update(view, rows[0]!.dataset.nodeId!);
  assert.equal(text(rows[0]!).firstChild, first);
});

test("a whole long solution previews its first line as a short one does, with the cut marked", () => {
  const steps = Array.from({ length: 10_000 }, (_, i) => `Then $x_{${i}} = ${i} + 1$ and $y = ${i}$.`);
  const long = draw(steps.join("\n\n"));
  const short = draw(steps.slice(0, 40).join("\n\n"));
  assert.equal(visibleText(long.el), visibleText(short.el));
  assert.match(visibleText(long.el), /…$/);
  assert.deepEqual(long.cost, short.cost);
  // the first line of a solution that fits whole, parsed whole: no cut is shown
  const tiny = draw(steps.slice(0, 2).join("\n\n"));
  assert.doesNotMatch(visibleText(tiny.el), /…$/);
});
