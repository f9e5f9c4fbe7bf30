// Model text that must never become markup, and a check that a DOM holds none.
import assert from "node:assert/strict";

export const HOSTILE_STEPS = [
  '<img src=x onerror="globalThis.__pwned = 1">',
  "<script>globalThis.__pwned = 2</script> then 2 + 2 = 4",
  "Click $\\href{javascript:globalThis.__pwned=3}{here}$ for the answer",
  "\\(\\url{javascript:globalThis.__pwned=4}\\) and $\\includegraphics{http://evil.example/x.png}$",
  "$\\htmlClass{pwned}{x} + \\htmlStyle{background:url(http://evil.example/)}{y} + \\htmlData{foo=bar}{z}$",
  "[a link](javascript:globalThis.__pwned=5) and ![img](http://evil.example/t.png) <iframe src=x></iframe>",
  "$$\\def\\a{\\a\\a}\\a$$ and $\\rule{100000em}{100000em}$",
  '<svg onload="globalThis.__pwned=6"><a xlink:href="javascript:1">x</a></svg> &lt;b&gt;',
];

/** A 50 KB step: mostly plain reasoning, with markup throughout and a formula now and then. */
export const BIG_STEP = Array.from({ length: 500 }, (_, i) =>
  i % 25 === 0
    ? `Long reasoning <b onclick=alert(1)>bold?</b> with $x_{${i}}^2$ and <img src=y onerror=alert(2)>.`
    : `Long reasoning <b onclick=alert(1)>bold?</b> about the sum of the first ${i} odd numbers, step by step.`,
)
  .join(" ")
  .padEnd(50_000, " and so on");

const FORBIDDEN_TAGS = [
  "script",
  "img",
  "iframe",
  "object",
  "embed",
  "a",
  "svg",
  "link",
  "style",
  "form",
  "base",
  "meta",
  "video",
  "audio",
  "image",
];

/**
 * Fails when `root` holds markup model text could have made: a forbidden element, an event
 * handler attribute, a script URL, or a URL-bearing attribute. The UI components' own shadow
 * roots (their templates, which model text never reaches) are checked for handlers and script
 * URLs only.
 */
export function assertInert(root: ParentNode, allowTags: readonly string[] = [], inShadow = false): void {
  for (const el of root.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (el.closest("svg.chart-svg")) {
      assertChartSvg(el);
      continue;
    }
    if (!inShadow && !allowTags.includes(tag))
      assert.ok(!FORBIDDEN_TAGS.includes(tag), `a <${tag}> element was created`);
    for (const a of el.attributes) {
      assert.ok(!/^on/i.test(a.name), `<${tag} ${a.name}> event handler attribute`);
      assert.ok(!/^\s*(javascript|vbscript|data):/i.test(a.value), `<${tag} ${a.name}="${a.value}">`);
      if (!inShadow)
        assert.ok(
          !["href", "src", "srcdoc", "xlink:href", "action", "formaction"].includes(a.name.toLowerCase()),
          `<${tag} ${a.name}>`,
        );
    }
    if (el.shadowRoot) assertInert(el.shadowRoot, allowTags, true);
  }
}

// The panel's own charts (score-chart.ts, budget-chart.ts) are SVG made of numbers and fixed
// labels; they may hold only these elements and attributes, none of which can load or run anything.
const CHART_TAGS = ["svg", "line", "polyline", "circle", "text"];
const CHART_ATTRIBUTES = [
  "viewbox",
  "aria-hidden",
  "class",
  "x",
  "y",
  "x1",
  "x2",
  "y1",
  "y2",
  "points",
  "cx",
  "cy",
  "r",
  "text-anchor",
];

function assertChartSvg(el: Element): void {
  const tag = el.tagName.toLowerCase();
  assert.ok(CHART_TAGS.includes(tag), `a <${tag}> element inside a chart`);
  for (const a of el.attributes)
    assert.ok(CHART_ATTRIBUTES.includes(a.name.toLowerCase()), `<${tag} ${a.name}> inside a chart`);
}
