// The panel: draws the host's run and sends the user's intents back. It folds event batches
// through the core's own reducer (`applyEvent`), so a replayed trace looks exactly as the run did,
// and redraws at most once per animation frame however many events arrive.
import { applyEvent, failedPaths } from "../src/core/run-view.js";
import type { RunView, SearchEvent, StrategyId } from "../src/core/index.js";
import { findStrategy, strategies } from "../src/core/strategies/index.js";
import {
  checkOptions,
  currentAnswer,
  isToWebviewMessage,
  OPTION_LIMITS,
  strategyName,
  strategyLabel,
  toHost,
  type PanelError,
  type PanelOptions,
  type PanelSnapshot,
  type ToWebviewMessage,
} from "../src/protocol.js";
import { renderDetail } from "./detail-view.js";
import { costLine } from "./format.js";
import { renderAnswer, renderRichText } from "./rich-text.js";
import { layoutFor, SearchView } from "./search-view.js";

/** "A, B and C". */
const listLabels = (items: readonly { label: string }[]): string =>
  items
    .map((i) => i.label)
    .join(", ")
    .replace(/, ([^,]*)$/, " and $1");
import { renderTally } from "./tally-view.js";
import type { HostApi, PersistedState } from "./vscode-api.js";

export type Schedule = (fn: () => void) => void;

const ACTION_LABELS: Record<NonNullable<PanelError["action"]>, string> = {
  testConnection: "Test Connection",
  openSettings: "Open Settings",
  setApiKey: "Set API Key…",
};

interface Dirty {
  reset: boolean;
  added: string[];
  changed: Set<string>;
  summary: boolean;
}

export class App {
  private view: RunView | null = null;
  private runId = 0;
  private seq = 0;
  private running = false;
  private replay = false;
  private error: PanelError | null = null;
  private problem = "";
  private hasVerifier = true;
  private note = "";
  private selected: string | null;
  private editing = false;
  private dirty: Dirty = { reset: true, added: [], changed: new Set(), summary: true };
  private scheduled = false;
  private detailKey = "";
  private readonly persisted: PersistedState;
  private readonly doc: Document;
  private readonly ui: ReturnType<App["build"]>;
  private readonly search: SearchView;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: HostApi,
    private readonly schedule: Schedule = (fn) => requestAnimationFrame(fn),
  ) {
    this.doc = root.ownerDocument;
    this.persisted = api.getState() ?? {};
    this.selected = this.persisted.selected ?? null;
    this.search = new SearchView(this.doc, (id) => this.select(id));
    this.ui = this.build();
    this.ui.hidePruned.checked = this.persisted.hidePruned ?? false;
    this.search.element.classList.toggle("hide-pruned", this.persisted.hidePruned ?? false);
    if (this.persisted.draft) {
      this.editing = true;
      this.ui.problemInput.value = this.persisted.draft;
    }
    this.render();
    api.postMessage(toHost("ready", {}));
  }

  // ---- messages from the host -------------------------------------------------------------

  handle(raw: unknown): void {
    if (!isToWebviewMessage(raw)) return;
    const msg = raw as ToWebviewMessage;
    switch (msg.type) {
      case "snapshot":
        this.applySnapshot(msg.data);
        break;
      case "events":
        this.applyEvents(msg.data.runId, msg.data.seq, msg.data.events);
        break;
      case "status":
        if (msg.data.runId !== this.runId) return;
        this.running = msg.data.running;
        this.error = msg.data.error;
        this.dirty.summary = true;
        break;
      case "options":
        this.setForm(msg.data.options);
        this.hasVerifier = msg.data.hasVerifier;
        this.note = msg.data.note;
        this.dirty.summary = true;
        break;
    }
    this.requestRender();
  }

  private applySnapshot(s: PanelSnapshot): void {
    this.runId = s.runId;
    this.seq = s.seq;
    this.view = s.view;
    this.running = s.running;
    this.replay = s.replay;
    this.error = s.error;
    this.hasVerifier = s.hasVerifier;
    this.note = s.note;
    if (s.problem !== this.problem) {
      this.problem = s.problem;
      if (s.problem && !this.persisted.draft) this.editing = false;
    }
    if (this.selected && !s.view?.nodes[this.selected]) this.selected = null;
    this.setForm(s.options);
    this.dirty = { reset: true, added: [], changed: new Set(), summary: true };
  }

  private applyEvents(runId: number, seq: number, events: SearchEvent[]): void {
    if (runId !== this.runId || !this.view) return;
    if (seq > this.seq) {
      // A batch went missing (the page was busy or reloaded): ask for the whole state again.
      this.api.postMessage(toHost("ready", {}));
      return;
    }
    const fresh = events.slice(this.seq - seq);
    for (const e of fresh) {
      applyEvent(this.view, e);
      this.seq++;
      switch (e.type) {
        case "run-started":
          this.dirty.reset = true;
          this.problem = e.problem.text;
          break;
        case "node-added":
          this.dirty.added.push(e.node.id);
          break;
        case "node-scored":
        case "node-pruned":
        case "node-failed":
        case "path-finished":
          this.dirty.changed.add(e.id);
          break;
        case "run-finished":
          this.running = false;
          break;
        default:
          break;
      }
    }
    this.dirty.summary = true;
  }

  // ---- drawing ------------------------------------------------------------------------------

  private requestRender(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Draws what changed since the last call (tests call it directly). */
  render(): void {
    const view = this.view;
    const d = this.dirty;
    this.dirty = { reset: false, added: [], changed: new Set(), summary: false };
    const layoutChanged = view !== null && layoutFor(view) !== this.search.currentLayout;
    if (d.reset || layoutChanged) {
      this.renderProblem();
      this.search.reset(view);
      this.search.select(this.selected);
    } else if (view) {
      for (const id of d.added) this.search.add(view, id);
      for (const id of d.changed) this.search.update(view, id);
    }
    if (view?.result) this.search.setChosen(view.result.chosen?.nodeId ?? null);
    this.renderDetailIfChanged(d.reset || layoutChanged);
    if (d.reset || d.summary) this.renderSummary();
  }

  /** Redraws the path view only when what it shows changed: steps can be long and full of math. */
  private renderDetailIfChanged(force: boolean): void {
    const id = this.detailNode();
    const node = id ? this.view?.nodes[id] : undefined;
    const key = node
      ? `${this.runId}:${id}:${node.status}:${node.stepScores?.join(",")}:${this.view?.answers[id!] ?? ""}:${!!this.view?.result}`
      : `${this.runId}:none`;
    if (!force && key === this.detailKey) return;
    this.detailKey = key;
    renderDetail(this.ui.detail, this.view, id);
    this.ui.detailActions.hidden = !node;
  }

  /** The selected node, or after a run its chosen candidate. */
  private detailNode(): string | null {
    return this.selected ?? this.view?.result?.chosen?.nodeId ?? null;
  }

  private renderProblem(): void {
    const { problemView, problemInput, editProblem } = this.ui;
    const editing = this.editing || !this.problem;
    problemView.hidden = editing;
    problemInput.hidden = !editing;
    editProblem.hidden = !this.problem;
    editProblem.textContent = editing ? "Show problem" : "Edit problem";
    if (!editing) renderRichText(problemView, this.problem);
    else if (!problemInput.value) problemInput.value = this.problem;
  }

  private renderSummary(): void {
    const ui = this.ui;
    const view = this.view;
    const result = view?.result ?? null;
    // status
    let status = "Ready";
    if (this.running) status = this.replay ? "Replaying" : "Running";
    else if (result?.error || this.error) status = "Failed";
    else if (result?.aborted) status = "Cancelled";
    else if (result) status = this.replay ? "Replayed" : "Finished";
    ui.status.textContent = status;
    ui.status.dataset.state = status.toLowerCase();
    ui.progress.hidden = !this.running;
    ui.solve.disabled = this.running;
    ui.stop.disabled = !this.running;
    ui.runLabel.textContent = view?.config
      ? `${strategyLabel(view.config)}${view.policy ? ` · policy ${view.policy}` : ""}${view.verifier ? ` · verifier ${view.verifier}` : ""}`
      : "";
    // error
    const error = this.error;
    ui.error.hidden = !error;
    if (error) {
      ui.errorText.textContent = error.message;
      ui.errorAction.hidden = !error.action;
      if (error.action) ui.errorAction.textContent = ACTION_LABELS[error.action];
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
    ui.notes.textContent = notes.join(" ");
    ui.notes.hidden = !notes.length;
    // answer
    const answer = view ? currentAnswer(view) : null;
    ui.answerLabel.textContent = result
      ? result.aborted
        ? "Best answer so far"
        : "Answer"
      : "Leading answer";
    if (answer) renderAnswer(ui.answer, answer);
    else ui.answer.textContent = result ? "none found" : "–";
    ui.answer.dataset.answer = answer ?? "";
    ui.answer.dataset.final = result ? "true" : "false";
    const hasSolution = !!result?.chosen;
    ui.insertAnswer.disabled = !answer;
    ui.copyAnswer.disabled = !answer;
    ui.insertSolution.disabled = !hasSolution;
    ui.copySolution.disabled = !hasSolution;
    ui.exportTrace.disabled = !view || this.runId === 0;
    // tally and cost
    const chosenGroup = result?.chosen?.group ?? null;
    renderTally(ui.tally, view?.tally ?? [], chosenGroup);
    ui.cost.textContent = view ? costLine(view.cost, result?.cost.wallMs ?? view.t) : "";
    // warnings, the paths lost to failed scoring first: they must not vanish from the tree unseen
    const failures = (view ? failedPaths(view) : []).map(
      (f) => `Scoring failed for ${f.paths} path${f.paths === 1 ? "" : "s"}: ${f.message}`,
    );
    const warnings = view?.warnings ?? [];
    const count = failures.length + warnings.length;
    ui.warnings.hidden = !count;
    ui.warnings.setAttribute("heading", `${count} warning${count === 1 ? "" : "s"}`);
    const item = (text: string, testid?: string): HTMLLIElement => {
      const li = this.doc.createElement("li");
      li.textContent = text;
      if (testid) li.dataset.testid = testid;
      return li;
    };
    ui.warningList.replaceChildren(
      ...failures.slice(0, 20).map((f) => item(f, "failure")),
      ...warnings.slice(-50).map((w) => item(w)),
    );
    // verifier-less strategies
    for (const opt of ui.strategyOptions) {
      const needs = findStrategy(opt.value)?.needsVerifier ?? false;
      opt.toggleAttribute("disabled", needs && !this.hasVerifier);
    }
    ui.verifierNote.hidden = this.hasVerifier;
    ui.endpointNote.textContent = this.note;
    ui.endpointNote.hidden = !this.note;
    this.syncFormState();
  }

  // ---- the user's actions -----------------------------------------------------------------

  private select(id: string): void {
    this.selected = id;
    this.search.select(id);
    this.persist();
    this.renderDetailIfChanged(false);
  }

  private persist(): void {
    this.api.setState({
      selected: this.selected,
      hidePruned: this.ui.hidePruned.checked,
      ...(this.editing && this.ui.problemInput.value ? { draft: this.ui.problemInput.value } : {}),
    });
  }

  private formOptions(): PanelOptions {
    const ui = this.ui;
    return {
      strategy: ui.strategy.value as StrategyId,
      n: Number(ui.n.value),
      beamWidth: Number(ui.beamWidth.value),
      temperature: Number(ui.temperature.value),
      maxSteps: Number(ui.maxSteps.value),
    };
  }

  private setForm(o: PanelOptions): void {
    const ui = this.ui;
    ui.strategy.value = o.strategy;
    ui.n.value = String(o.n);
    ui.beamWidth.value = String(o.beamWidth);
    ui.temperature.value = String(o.temperature);
    ui.maxSteps.value = String(o.maxSteps);
    this.syncFormState();
  }

  /** Greedy takes no budget; only tree searches (and Auto, for them) use a beam width. */
  private syncFormState(): void {
    const s = findStrategy(this.ui.strategy.value);
    this.ui.n.disabled = !(s?.usesBudget ?? true);
    this.ui.beamWidth.disabled = !(s?.usesBeamWidth ?? false);
    this.ui.temperature.disabled = !(s?.usesBudget ?? true);
  }

  private solve(): void {
    const problem = (this.editing || !this.problem ? this.ui.problemInput.value : this.problem).trim();
    const options = this.formOptions();
    const problems = [
      problem ? null : "Type a problem to solve.",
      checkOptions(options),
      findStrategy(options.strategy)?.layout === "tree" && options.n % options.beamWidth !== 0
        ? `n (${options.n}) must be a multiple of the beam width (${options.beamWidth}).`
        : null,
    ].filter((p): p is string => p !== null);
    this.ui.formError.textContent = problems.join(" ");
    this.ui.formError.hidden = !problems.length;
    if (problems.length) return;
    this.selected = null;
    this.editing = false;
    this.ui.problemInput.value = "";
    this.persist();
    this.api.postMessage(toHost("solve", { problem, options }));
  }

  // ---- the page -----------------------------------------------------------------------------

  private el(
    tag: string,
    props: { className?: string; testid?: string; text?: string } = {},
    ...children: Node[]
  ): HTMLElement {
    const e = this.doc.createElement(tag);
    if (props.className) e.className = props.className;
    if (props.testid) e.dataset.testid = props.testid;
    if (props.text !== undefined) e.textContent = props.text;
    e.append(...children);
    return e;
  }

  private button(
    label: string,
    icon: string,
    testid: string,
    onClick: () => void,
    secondary = true,
  ): FormButton {
    const b = this.el("vscode-button", { testid, text: label }) as FormButton;
    b.setAttribute("icon", icon);
    if (secondary) b.setAttribute("secondary", "");
    b.addEventListener("click", () => {
      if (!b.disabled) onClick();
    });
    return b;
  }

  private numberField(
    label: string,
    testid: string,
    limits: { min: number; max: number },
    step: number,
  ): FormField {
    const f = this.el("vscode-textfield", { testid }) as FormField;
    f.setAttribute("type", "number");
    f.setAttribute("min", String(limits.min));
    f.setAttribute("max", String(limits.max));
    f.setAttribute("step", String(step));
    f.setAttribute("aria-label", label);
    f.id = `field-${testid}`;
    return f;
  }

  private build() {
    const el = this.el.bind(this);
    const root = this.root;
    // header
    const status = el("vscode-badge", { testid: "status", className: "run-status", text: "Ready" });
    const runLabel = el("span", { className: "run-label muted", testid: "run-label" });
    const progress = el("vscode-progress-bar", { testid: "progress" });
    progress.setAttribute("indeterminate", "");
    progress.setAttribute("aria-label", "Search running");
    const header = el(
      "header",
      { className: "header" },
      el("h1", { text: "TTS Reasoner" }),
      status,
      runLabel,
    );
    // The user's own words about the endpoints (the policy.note setting), as text.
    const endpointNote = el("p", { className: "endpoint-note", testid: "endpoint-note" });
    endpointNote.setAttribute("role", "note");
    endpointNote.hidden = true;

    // problem
    const problemView = el("div", { className: "problem", testid: "problem" });
    const problemInput = el("vscode-textarea", { testid: "problem-input" }) as FormField;
    problemInput.setAttribute("rows", "4");
    problemInput.setAttribute(
      "placeholder",
      "Type or paste a problem, or select one in an editor and run “Solve with TTS”.",
    );
    problemInput.setAttribute("aria-label", "Problem");
    problemInput.addEventListener("input", () => this.persist());
    const editProblem = el("button", {
      className: "link-button",
      testid: "edit-problem",
      text: "Edit problem",
    });
    editProblem.addEventListener("click", () => {
      this.editing = !this.editing;
      if (this.editing) this.ui.problemInput.value = this.problem;
      this.renderProblem();
      this.persist();
    });
    const problemSection = el(
      "section",
      { className: "problem-section" },
      el("div", { className: "section-head" }, el("h2", { text: "Problem" }), editProblem),
      problemView,
      problemInput,
    );

    // form
    const strategy = el("vscode-single-select", { testid: "strategy" }) as FormField;
    strategy.setAttribute("aria-label", "Strategy");
    strategy.id = "field-strategy";
    const strategyOptions = strategies().map(({ id, label, description }) => {
      const o = el("vscode-option", { text: label }) as HTMLElement & { value: string };
      o.setAttribute("value", id);
      o.setAttribute("description", description);
      o.value = id;
      strategy.appendChild(o);
      return o;
    });
    strategy.addEventListener("change", () => this.syncFormState());
    const n = this.numberField("Budget n", "n", OPTION_LIMITS.n, 1);
    const beamWidth = this.numberField("Beam width", "beam-width", OPTION_LIMITS.beamWidth, 1);
    const temperature = this.numberField("Temperature", "temperature", OPTION_LIMITS.temperature, 0.1);
    const maxSteps = this.numberField("Max steps", "max-steps", OPTION_LIMITS.maxSteps, 1);
    const labelled = (text: string, field: HTMLElement): HTMLElement => {
      const label = el("vscode-label", { text });
      label.setAttribute("for", field.id);
      return el("div", { className: "field" }, label, field);
    };
    const solve = this.button("Solve", "play", "solve", () => this.solve(), false);
    const stop = this.button("Stop", "debug-stop", "stop", () => this.api.postMessage(toHost("stop", {})));
    const formError = el("p", { className: "form-error", testid: "form-error" });
    formError.hidden = true;
    const verifierNote = el("p", {
      className: "muted",
      text: `No verifier is configured: ${listLabels(strategies().filter((s) => s.needsVerifier))} need one (setting ttsReasoner.verifier.kind).`,
    });
    const form = el(
      "section",
      { className: "form" },
      el(
        "div",
        { className: "fields" },
        labelled("Strategy", strategy),
        labelled("Budget n", n),
        labelled("Beam width", beamWidth),
        labelled("Temperature", temperature),
        labelled("Max steps", maxSteps),
      ),
      el("div", { className: "buttons" }, solve, stop),
      formError,
      verifierNote,
      progress,
    );

    // error and notes
    const errorText = el("span", { className: "error-text" });
    const errorAction = this.button("", "plug", "error-action", () => {
      const action = this.error?.action;
      if (action) this.api.postMessage(toHost("command", { command: action }));
    });
    const error = el(
      "div",
      { className: "error-banner", testid: "error" },
      el("span", { className: "codicon codicon-error" }),
      errorText,
      errorAction,
    );
    error.setAttribute("role", "alert");
    const notes = el("p", { className: "notes", testid: "notes" });

    // answer, actions, tally, cost
    const answerLabel = el("span", { className: "answer-label", text: "Answer" });
    const answer = el("span", { className: "answer-value", testid: "answer" });
    const insertAnswer = this.button("Insert answer", "insert", "insert-answer", () =>
      this.api.postMessage(toHost("insertAnswer", { nodeId: null })),
    );
    const insertSolution = this.button("Insert solution", "list-ordered", "insert-solution", () =>
      this.api.postMessage(toHost("insertSolution", { nodeId: null })),
    );
    const copyAnswer = this.button("Copy answer", "copy", "copy-answer", () =>
      this.api.postMessage(toHost("copy", { what: "answer", nodeId: null })),
    );
    const copySolution = this.button("Copy solution", "copy", "copy-solution", () =>
      this.api.postMessage(toHost("copy", { what: "solution", nodeId: null })),
    );
    const exportTrace = this.button("Export trace", "save", "export-trace", () =>
      this.api.postMessage(toHost("exportTrace", {})),
    );
    const tally = el("div", { className: "tally", testid: "tally" });
    tally.setAttribute("aria-label", "Answer tally");
    const cost = el("p", { className: "cost", testid: "cost" });
    const answerSection = el(
      "section",
      { className: "answer-section" },
      el("div", { className: "answer-line" }, answerLabel, answer),
      el(
        "div",
        { className: "actions" },
        insertAnswer,
        insertSolution,
        copyAnswer,
        copySolution,
        exportTrace,
      ),
      el("h2", { text: "Answers" }),
      tally,
      cost,
    );

    // search and detail
    const hidePruned = el("vscode-checkbox", { testid: "hide-pruned" }) as FormField & {
      checked: boolean;
    };
    hidePruned.setAttribute("label", "Hide pruned");
    hidePruned.addEventListener("change", () => {
      this.search.element.classList.toggle("hide-pruned", hidePruned.checked);
      this.persist();
    });
    const searchSection = el(
      "section",
      { className: "search-section" },
      el("div", { className: "section-head" }, el("h2", { text: "Search" }), hidePruned),
      this.search.element,
    );
    const detail = el("div", { className: "detail", testid: "detail" });
    const detailActions = el(
      "div",
      { className: "actions" },
      this.button("Insert this solution", "list-ordered", "insert-selected", () =>
        this.api.postMessage(toHost("insertSolution", { nodeId: this.detailNode() })),
      ),
      this.button("Copy this solution", "copy", "copy-selected", () =>
        this.api.postMessage(toHost("copy", { what: "solution", nodeId: this.detailNode() })),
      ),
    );
    const detailSection = el(
      "section",
      { className: "detail-section" },
      el("h2", { text: "Path" }),
      detail,
      detailActions,
    );
    const warningList = el("ul", { className: "warning-list" });
    const warnings = el("vscode-collapsible", { testid: "warnings" }, warningList);
    warnings.setAttribute("heading", "Warnings");

    root.replaceChildren(
      header,
      endpointNote,
      problemSection,
      form,
      error,
      notes,
      answerSection,
      el("div", { className: "columns" }, searchSection, detailSection),
      warnings,
    );
    return {
      status,
      runLabel,
      endpointNote,
      progress,
      problemView,
      problemInput,
      editProblem,
      strategy,
      strategyOptions,
      n,
      beamWidth,
      temperature,
      maxSteps,
      solve,
      stop,
      formError,
      verifierNote,
      error,
      errorText,
      errorAction,
      notes,
      answerLabel,
      answer,
      insertAnswer,
      insertSolution,
      copyAnswer,
      copySolution,
      exportTrace,
      tally,
      cost,
      hidePruned,
      detail,
      detailActions,
      warnings,
      warningList,
    };
  }
}

/** The parts of vscode-elements form controls the panel uses. */
type FormField = HTMLElement & { value: string; disabled: boolean };
type FormButton = HTMLElement & { disabled: boolean };
