// What a run came to: the error banner, Auto's choice and early stop, the answer with its
// actions, the tally, the cost and the warnings.
import { failedPaths } from "../src/core/run-view.js";
import type { RunView } from "../src/core/index.js";
import { currentAnswer, strategyName, toHost, type PanelError, type ToHostMessage } from "../src/protocol.js";
import type { Dom, FormButton } from "./dom.js";
import { budgetChart } from "./budget-chart.js";
import { costLine } from "./format.js";
import { renderAnswer } from "./rich-text.js";
import { renderTally } from "./tally-view.js";

const ACTION_LABELS: Record<NonNullable<PanelError["action"]>, string> = {
  testConnection: "Test Connection",
  openSettings: "Open Settings",
  setApiKey: "Set API Key…",
};

export interface SummaryState {
  view: RunView | null;
  error: PanelError | null;
  /** 0 before the first run. */
  runId: number;
}

export class SummaryView {
  readonly error: HTMLElement;
  readonly notes: HTMLElement;
  readonly answerSection: HTMLElement;
  readonly warnings: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly errorAction: FormButton;
  private readonly answerLabel: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly insertAnswer: FormButton;
  private readonly insertSolution: FormButton;
  private readonly copyAnswer: FormButton;
  private readonly copySolution: FormButton;
  private readonly exportTrace: FormButton;
  private readonly tally: HTMLElement;
  private readonly cost: HTMLElement;
  private readonly spending: HTMLElement;
  private readonly warningList: HTMLElement;
  private action: PanelError["action"];
  /** What the answer, tally and chart last showed: a batch of events redraws only what changed. */
  private shown = { answer: "", tally: "", spending: "" };

  constructor(
    private readonly dom: Dom,
    post: (m: ToHostMessage) => void,
  ) {
    const el = dom.el.bind(dom);
    this.errorText = el("span", { className: "error-text" });
    this.errorAction = dom.button("", "plug", "error-action", () => {
      if (this.action) post(toHost("command", { command: this.action }));
    });
    this.error = el(
      "div",
      { className: "error-banner", testid: "error" },
      el("span", { className: "codicon codicon-error" }),
      this.errorText,
      this.errorAction,
    );
    this.error.setAttribute("role", "alert");
    this.notes = el("p", { className: "notes", testid: "notes" });

    this.answerLabel = el("span", { className: "answer-label", text: "Answer" });
    this.answer = el("span", { className: "answer-value", testid: "answer" });
    this.insertAnswer = dom.button("Insert answer", "insert", "insert-answer", () =>
      post(toHost("insertAnswer", { nodeId: null })),
    );
    this.insertSolution = dom.button("Insert solution", "list-ordered", "insert-solution", () =>
      post(toHost("insertSolution", { nodeId: null })),
    );
    this.copyAnswer = dom.button("Copy answer", "copy", "copy-answer", () =>
      post(toHost("copy", { what: "answer", nodeId: null })),
    );
    this.copySolution = dom.button("Copy solution", "copy", "copy-solution", () =>
      post(toHost("copy", { what: "solution", nodeId: null })),
    );
    this.exportTrace = dom.button("Export trace", "save", "export-trace", () =>
      post(toHost("exportTrace", {})),
    );
    this.tally = el("div", { className: "tally", testid: "tally" });
    this.tally.setAttribute("aria-label", "Answer tally");
    this.cost = el("p", { className: "cost", testid: "cost" });
    this.spending = el("div", { className: "spending" });
    this.answerSection = el(
      "section",
      { className: "answer-section" },
      el("div", { className: "answer-line" }, this.answerLabel, this.answer),
      el(
        "div",
        { className: "actions" },
        this.insertAnswer,
        this.insertSolution,
        this.copyAnswer,
        this.copySolution,
        this.exportTrace,
      ),
      el("h2", { text: "Answers" }),
      this.tally,
      this.cost,
      this.spending,
    );
    this.warningList = el("ul", { className: "warning-list" });
    this.warnings = el("vscode-collapsible", { testid: "warnings" }, this.warningList);
    this.warnings.setAttribute("heading", "Warnings");
  }

  render({ view, error, runId }: SummaryState): void {
    const result = view?.result ?? null;
    // error
    this.action = error?.action;
    this.error.hidden = !error;
    if (error) {
      this.errorText.textContent = error.message;
      this.errorAction.hidden = !error.action;
      if (error.action) this.errorAction.textContent = ACTION_LABELS[error.action];
    }
    // Auto's choice
    const notes: string[] = [];
    if (view?.decision) {
      const dcs = view.decision;
      notes.push(
        dcs.bucket === null
          ? `Auto chose ${strategyName(dcs.method)} without a probe (${dcs.policyClass} policy, ${dcs.verifierClass} verifier, ${dcs.source} table).`
          : `Auto chose ${strategyName(dcs.method)} for ${dcs.bucket === "easy" ? "an" : "a"} ${dcs.bucket} problem (${dcs.policyClass} policy, ${dcs.verifierClass} verifier; probe agreement ${dcs.probe.agreement.toFixed(2)}, ${dcs.source} table).`,
      );
    }
    if (view?.earlyStop)
      notes.push(`Stopped early: ${view.earlyStop.reason} (${view.earlyStop.budgetSaved} samples saved).`);
    this.notes.textContent = notes.join(" ");
    this.notes.hidden = !notes.length;
    // answer
    const answer = view ? currentAnswer(view) : null;
    this.answerLabel.textContent = result
      ? result.aborted
        ? "Best answer so far"
        : "Answer"
      : "Leading answer";
    const answerKey = `${answer ?? ""}\u0000${!!result}`;
    if (answerKey !== this.shown.answer) {
      this.shown.answer = answerKey;
      if (answer) renderAnswer(this.answer, answer);
      else this.answer.textContent = result ? "none found" : "–";
    }
    this.answer.dataset.answer = answer ?? "";
    this.answer.dataset.final = result ? "true" : "false";
    const hasSolution = !!result?.chosen;
    this.insertAnswer.disabled = !answer;
    this.copyAnswer.disabled = !answer;
    this.insertSolution.disabled = !hasSolution;
    this.copySolution.disabled = !hasSolution;
    this.exportTrace.disabled = !view || runId === 0;
    // tally and cost
    const chosenGroup = result?.chosen?.group ?? null;
    const tallyKey = JSON.stringify([view?.tally ?? [], chosenGroup]);
    if (tallyKey !== this.shown.tally) {
      this.shown.tally = tallyKey;
      renderTally(this.tally, view?.tally ?? [], chosenGroup);
    }
    this.cost.textContent = view ? costLine(view.cost, result?.cost.wallMs ?? view.t) : "";
    const last = view?.spending[view.spending.length - 1];
    const spendingKey = view ? `${runId}:${view.spending.length}:${last?.t}:${view.earlyStop?.t}` : "";
    if (spendingKey !== this.shown.spending) {
      this.shown.spending = spendingKey;
      const chart = view ? budgetChart(this.dom.doc, view) : null;
      this.spending.replaceChildren(...(chart ? [chart] : []));
    }
    // warnings, the paths lost to failed scoring first: they must not vanish from the tree unseen
    const failures = (view ? failedPaths(view) : []).map(
      (f) => `Scoring failed for ${f.paths} path${f.paths === 1 ? "" : "s"}: ${f.message}`,
    );
    const warnings = view?.warnings ?? [];
    const count = failures.length + warnings.length;
    this.warnings.hidden = !count;
    this.warnings.setAttribute("heading", `${count} warning${count === 1 ? "" : "s"}`);
    const item = (text: string, testid?: string): HTMLElement => {
      const li = this.dom.el("li", { text, ...(testid ? { testid } : {}) });
      return li;
    };
    this.warningList.replaceChildren(
      ...failures.slice(0, 20).map((f) => item(f, "failure")),
      ...warnings.slice(-50).map((w) => item(w)),
    );
  }
}
