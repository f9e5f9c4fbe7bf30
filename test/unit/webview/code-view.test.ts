import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import type { CodeOutcome } from "../../../src/core/index.js";
import type { ToHostMessage } from "../../../src/protocol.js";
import { tokens } from "../../../webview/code-highlight.js";
import { CodeView } from "../../../webview/code-view.js";
import { Dom } from "../../../webview/dom.js";
import { assertInert, HOSTILE_STEPS } from "./hostile.js";

const doc = new JSDOM("<!DOCTYPE html><body></body>").window.document;

const code = (text: string): CodeOutcome => ({
  language: "python",
  tests: [
    { id: "t1", source: "assert f(1) == 2", origin: "doctest" },
    { id: "g1", source: "assert f(2) == 3", origin: "generated" },
  ],
  candidates: [
    { nodeId: "n1", code: text, passed: 2, failed: 0, score: 2, behaviour: "a", results: [] },
    {
      nodeId: "n2",
      code: "def f(x): return x",
      passed: 0,
      failed: 2,
      firstFailure: { testId: "t1", message: "AssertionError: got 1, expected 2" },
      score: 0,
      behaviour: "b",
      results: [],
      stopped: "refused: network connection",
    },
  ],
  code: text,
  chosenNodeId: "n1",
  reason: "1 of 2 candidates pass all 2 tests.",
  isolationNote: null,
});

test("the code view marks each candidate, shows the first failure, highlights the chosen code and inserts it", () => {
  const posted: ToHostMessage[] = [];
  const view = new CodeView(new Dom(doc), (m) => posted.push(m));
  doc.body.replaceChildren(view.element);
  assert.equal(view.element.hidden, true);
  view.render(code('def f(x):\n    # one more\n    return x + 1  # "done"\n'));
  assert.equal(view.element.hidden, false);
  const rows = [...view.element.querySelectorAll('[data-testid="code-candidate"]')];
  assert.deepEqual(
    rows.map((r) => r.querySelector(".mark")!.textContent),
    ["✓", "✗"],
  );
  assert.match(rows[0]!.textContent!, /n1 \(chosen\)/);
  assert.match(rows[1]!.textContent!, /t1: AssertionError: got 1, expected 2/);
  assert.match(rows[1]!.textContent!, /refused: network connection/);
  assert.equal(
    view.element.querySelector("pre code")!.textContent,
    'def f(x):\n    # one more\n    return x + 1  # "done"\n',
  );
  assert.deepEqual(
    [...view.element.querySelectorAll("pre span")].map((s) => [s.className, s.textContent]),
    [
      ["tok-keyword", "def"],
      ["tok-comment", "# one more"],
      ["tok-keyword", "return"],
      ["tok-number", "1"],
      ["tok-comment", '# "done"'],
    ],
  );
  (view.element.querySelector('[data-testid="insert-code"]') as HTMLElement).click();
  assert.deepEqual(posted, [{ type: "insertAnswer", data: { nodeId: null } }]);
});

test("model code never becomes markup in the code view", () => {
  const view = new CodeView(new Dom(doc), () => undefined);
  doc.body.replaceChildren(view.element);
  const text = HOSTILE_STEPS.join("\n");
  view.render(code(text));
  assert.equal(view.element.querySelector("pre code")!.textContent, text);
  assertInert(view.element);
});

test("tokens give the code back whole, in either language", () => {
  for (const [src, lang] of [
    ["const s = `a ${b}`; // c\nlet n = 1.5;", "javascript"],
    ['x = """doc\n# not a comment"""\n# real', "python"],
  ] as const)
    assert.equal(
      tokens(src, lang)
        .map(([t]) => t)
        .join(""),
      src,
    );
});
