import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import { assertInert, BIG_STEP, HOSTILE_STEPS } from "./hostile.js";

// KaTeX builds its DOM through the global document, as it does in the webview.
const dom = new JSDOM("<!DOCTYPE html><body></body>");
const g = globalThis as Record<string, unknown>;
let rich: typeof import("../../../webview/rich-text.js");
before(async () => {
  g.document = dom.window.document;
  rich = await import("../../../webview/rich-text.js");
});

function render(text: string): HTMLElement {
  const el = dom.window.document.createElement("div");
  rich.renderRichText(el, text);
  return el;
}

test("HTML in model text stays text", () => {
  for (const step of HOSTILE_STEPS) {
    const el = render(step);
    assertInert(el);
    assert.equal(g.__pwned, undefined);
  }
  assert.match(render(HOSTILE_STEPS[0]!).textContent!, /<img src=x onerror="globalThis.__pwned = 1">/);
  assert.match(
    render(HOSTILE_STEPS[1]!).textContent!,
    /<script>globalThis.__pwned = 2<\/script> then 2 \+ 2 = 4/,
  );
});

test("LaTeX commands that could link, load or style are not trusted", () => {
  const el = render(HOSTILE_STEPS[2]!);
  assert.equal(el.querySelectorAll("a").length, 0);
  assert.doesNotMatch(el.innerHTML, /href="javascript/);
  assert.ok(el.querySelector(".katex"), "the formula is still rendered");
  const styled = render(HOSTILE_STEPS[4]!);
  assert.equal(styled.querySelectorAll(".pwned").length, 0);
  // The source survives only as text (KaTeX's MathML annotation), never in an attribute.
  for (const node of styled.querySelectorAll("*"))
    for (const a of node.attributes) assert.doesNotMatch(a.value, /evil|foo/, `${node.tagName} ${a.name}`);
});

test("links and images in markdown show their text, never a target", () => {
  const el = render(HOSTILE_STEPS[5]!);
  assertInert(el);
  assert.match(el.textContent!, /a link/);
  assert.match(el.textContent!, /\[image: img\]/);
});

test("macro bombs and giant sizes are cut off by KaTeX's limits", () => {
  const el = render(HOSTILE_STEPS[6]!);
  assertInert(el);
  for (const node of el.querySelectorAll<HTMLElement>("[style]")) {
    const style = node.getAttribute("style")!;
    for (const m of style.matchAll(/(-?[\d.]+)em/g)) assert.ok(Math.abs(Number(m[1])) <= 40, style);
  }
});

test("a 50 KB step renders as text, all of it", () => {
  assert.ok(BIG_STEP.length >= 50_000);
  const el = render(BIG_STEP);
  assertInert(el);
  assert.equal(
    (el.textContent!.match(/Long reasoning <b onclick=alert\(1\)>bold\?<\/b>/g) ?? []).length,
    500,
  );
  assert.equal(el.querySelectorAll(".katex").length, 20);
});

test("math is cut out before markdown reads it", () => {
  const el = render(
    "Let $a_1 * b_2 * c$ and \\(x_{i}\\) be; prices $5 and $6 stay text.\n\n$$\n\\sum_{i=1}^n i\n$$",
  );
  assert.equal(el.querySelectorAll(".math-inline .katex").length, 2);
  assert.equal(el.querySelectorAll(".math-display .katex").length, 1);
  assert.equal(el.querySelectorAll("em").length, 0, "underscores and stars inside math are not emphasis");
  assert.match(el.textContent!, /prices \$5 and \$6 stay text/);
});

test("overlong formulas are shown as source", () => {
  const tex = "x+".repeat(3000) + "1";
  const el = render(`$${tex}$`);
  assert.equal(el.querySelector(".math-source")?.textContent, tex);
  assert.equal(el.querySelectorAll(".katex").length, 0);
});

test("one-line previews fold whitespace and cut", () => {
  assert.equal(rich.plainLine("a\n\n  b\tc"), "a b c");
  assert.equal(rich.plainLine("x".repeat(200), 10), "xxxxxxxxx…");
});

test("the formula cap is per panel: a 10,000-step path, shown a page at a time, typesets at most MAX_FORMULAS in all", async () => {
  const { renderDetail } = await import("../../../webview/detail-view.js");
  const { emptyRunView } = await import("../../../src/core/index.js");
  const view = emptyRunView();
  view.nodes.n0 = { id: "n0", parentId: null, depth: 0, text: "", status: "active" };
  const steps = Array.from({ length: 10_000 }, (_, i) => `Then $x_{${i}} = ${i} + 1$ and $y = ${i}$.`);
  steps.forEach((text, i) => {
    const id = `n${i + 1}`;
    view.nodes[id] = { id, parentId: `n${i}`, depth: i + 1, text, status: "active" };
  });
  const el = dom.window.document.createElement("div");
  renderDetail(el, view, "n10000");
  // A page of steps at first; the rest as the person asks for them, under the same allowance.
  const { DETAIL_PAGE } = await import("../../../webview/detail-view.js");
  assert.equal(el.querySelectorAll('[data-testid="detail-step"]').length, DETAIL_PAGE);
  const more = el.querySelector<HTMLElement>('[data-testid="more-steps"]')!;
  assert.equal(more.textContent, `Show ${DETAIL_PAGE} more steps (${10_000 - DETAIL_PAGE} not shown)`);
  for (let pages = 1; !more.hidden; pages++) {
    assert.ok(pages < 10_000 / DETAIL_PAGE, "every click shows a page");
    more.click();
  }
  assert.equal(el.querySelectorAll('[data-testid="detail-step"]').length, 10_000);
  assert.equal(el.querySelectorAll(".katex").length, rich.MAX_FORMULAS);
  assert.equal(el.querySelectorAll(".math-source").length, 2 * 10_000 - rich.MAX_FORMULAS);
  assert.match(el.textContent!, /x_\{9999\} = 9999 \+ 1/, "the rest shows as source");
});

test("a formula KaTeX cannot parse shows as source, without KaTeX's error node and its style attribute", () => {
  for (const tex of ["\\frac{1}{", "\\undefinedcommand{x}", "x^^2"]) {
    const el = render(`Bad: $${tex}$ here.`);
    assert.equal(el.querySelectorAll(".katex-error").length, 0, tex);
    assert.equal(el.querySelectorAll("[style]").length, 0, `${tex}: a style attribute trips the CSP`);
    assert.equal(el.querySelector(".math-source")?.textContent, tex);
  }
});
