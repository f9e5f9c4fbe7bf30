// A code run's results in the panel: the chosen code (highlighted), why it was chosen, Insert
// (replaces the selected stub), and each candidate with its pass/fail mark, tests passed and
// the first failure's message.
import type { CodeOutcome } from "../src/core/index.js";
import { toHost, type ToHostMessage } from "../src/protocol.js";
import { highlighted } from "./code-highlight.js";
import type { Dom } from "./dom.js";

export class CodeView {
  readonly element: HTMLElement;
  private last: CodeOutcome | null | undefined = undefined;

  constructor(
    private readonly dom: Dom,
    private readonly post: (m: ToHostMessage) => void,
  ) {
    this.element = dom.el("section", { className: "code-section", testid: "code-section" });
    this.element.hidden = true;
  }

  render(code: CodeOutcome | null | undefined): void {
    if (code === this.last) return;
    this.last = code;
    this.element.hidden = !code;
    if (!code) return this.element.replaceChildren();
    this.element.dataset.language = code.language;
    const el = this.dom.el.bind(this.dom);
    const given = code.tests.filter((t) => t.origin !== "generated").length;
    const chosen = code.candidates.find((c) => c.nodeId === code.chosenNodeId);
    const rows = code.candidates.map((c) => {
      const total = c.passed + c.failed;
      const ok = c.parseError === undefined && c.failed === 0 && total > 0;
      const row = el(
        "li",
        {
          className: `code-candidate${c.nodeId === code.chosenNodeId ? " chosen" : ""}`,
          testid: "code-candidate",
        },
        el("span", { className: `mark ${ok ? "pass" : "fail"}`, text: ok ? "✓" : "✗" }),
        el("span", { className: "counts", text: `${c.passed}/${total} tests` }),
        el("span", {
          className: "node",
          text: c.nodeId === code.chosenNodeId ? `${c.nodeId} (chosen)` : c.nodeId,
        }),
      );
      row.dataset.passed = String(c.passed);
      row.dataset.failed = String(c.failed);
      const why =
        c.parseError !== undefined
          ? `does not parse: ${c.parseError}`
          : c.firstFailure && `${c.firstFailure.testId}: ${c.firstFailure.message}`;
      if (why) row.append(el("div", { className: "first-failure", text: why }));
      if (c.stopped) row.append(el("div", { className: "stopped", text: c.stopped }));
      return row;
    });
    const insert = this.dom.button(
      "Insert code",
      "insert",
      "insert-code",
      () => this.post(toHost("insertAnswer", { nodeId: null })),
      false,
    );
    insert.disabled = !code.code;
    this.element.replaceChildren(
      el("h2", { text: "Code" }),
      el("p", { className: "code-reason", testid: "code-reason", text: code.reason }),
      ...(code.isolationNote ? [el("p", { className: "code-note", text: code.isolationNote })] : []),
      el("p", {
        className: "code-tests",
        testid: "code-tests",
        text: `Tests: ${given} given, ${code.tests.length - given} generated${chosen ? `; the chosen candidate passes ${chosen.passed} of ${chosen.passed + chosen.failed}` : ""}.`,
      }),
      ...(code.code ? [highlighted(this.dom.doc, code.code, code.language)] : []),
      el("div", { className: "actions" }, insert),
      el("ol", { className: "code-candidates", testid: "code-candidates" }, ...rows),
    );
  }
}
