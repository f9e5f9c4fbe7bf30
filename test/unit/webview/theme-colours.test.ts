// The panel draws in the theme's colours only (var(--vscode-…) tokens): a colour written into the
// webview's CSS, TypeScript or SVG would look wrong in some theme (dark on dark, or invisible in
// high contrast). This reads every webview source and fails on a colour literal.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const WEBVIEW = join(import.meta.dirname, "..", "..", "..", "webview");

// CSS colour keywords that appear in hand-written styles (the full list has 148; these are the
// ones a person reaches for). `transparent`, `currentColor` and `inherit` follow the theme.
const NAMED = [
  "white",
  "black",
  "red",
  "green",
  "blue",
  "yellow",
  "orange",
  "purple",
  "gray",
  "grey",
  "silver",
  "maroon",
  "navy",
  "teal",
  "olive",
  "lime",
  "aqua",
  "fuchsia",
  "pink",
  "brown",
  "gold",
  "crimson",
  "darkgray",
  "darkgrey",
  "lightgray",
  "lightgrey",
  "whitesmoke",
  "tomato",
  "orangered",
  "steelblue",
];

const HEX = /(?<![\w&])#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})(?![\w-])/gi;
const FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/gi;
// A colour keyword as the value (or part of it) of a style or SVG paint property, in CSS
// (`fill: red`) or in code (`setAttribute("fill", "red")`, `style.color = "red"`).
const NAMED_IN_PROPERTY = new RegExp(
  `(?:color|background|border|outline|fill|stroke|shadow|stop-color)[\\w-]*["']?\\s*[:=,]\\s*["']?[^;{}"'\\n]*(?<![\\w-])(${NAMED.join("|")})(?![\\w-])`,
  "gi",
);

/** Colour literals in one source file, as `line: text`. */
export function colourLiterals(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const re of [HEX, FUNCTION, NAMED_IN_PROPERTY])
      for (const m of line.matchAll(re)) found.push(`${i + 1}: ${m[0]}`);
  });
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.(css|ts|svg|html)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

test("the checker finds colour literals in every form a hand-written one takes", () => {
  for (const sample of [
    "color: #fff;",
    "  --band: var(--vscode-x, #89d185);",
    "border: 1px solid rgba(128, 128, 128, 0.35);",
    "background: hsl(0 0% 50%);",
    "fill: red;",
    'path.setAttribute("stroke", "steelblue");',
    'el.style.color = "black";',
    "stroke: oklch(70% 0.1 200);",
  ])
    assert.notDeepEqual(colourLiterals(sample), [], sample);
  for (const sample of [
    "color: var(--vscode-foreground);",
    "fill: currentColor;",
    "background: transparent;",
    "label.textContent = `#${++this.ordinal}`;",
    'item.dataset.testid = "node";',
    "border-left: 3px solid var(--vscode-focusBorder);",
    "stroke: var(--vscode-charts-red);",
    "/* the selected row */",
  ])
    assert.deepEqual(colourLiterals(sample), [], sample);
});

test("the webview's sources hold no colour literal: every colour is a theme token", () => {
  const files = sources(WEBVIEW);
  assert.ok(files.some((f) => f.endsWith(".css")) && files.some((f) => f.endsWith(".ts")));
  const offenders = files.flatMap((f) =>
    colourLiterals(readFileSync(f, "utf8")).map((hit) => `${relative(WEBVIEW, f)}:${hit}`),
  );
  assert.deepEqual(offenders, [], "use a var(--vscode-…) token instead");
});
