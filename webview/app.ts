// The panel: draws the host's run and sends the user's intents back. It folds event batches
// through the core's own reducer (`applyEvent`), so a replayed trace looks exactly as the run did,
// and redraws at most once per animation frame however many events arrive.
import { applyEvent } from "../src/core/run-view.js";
import type { RunView, SearchEvent } from "../src/core/index.js";
import {
  isToWebviewMessage,
  strategyLabel,
  toHost,
  type PanelError,
  type PanelOptions,
  type PanelSnapshot,
  type ToWebviewMessage,
} from "../src/protocol.js";
import { renderDetail } from "./detail-view.js";
import { Dom, type FormField } from "./dom.js";
import { FormView } from "./form-view.js";
import { renderRichText } from "./rich-text.js";
import { layoutFor, SearchView } from "./search-view.js";
import { SummaryView } from "./summary-view.js";
import { CodeView } from "./code-view.js";
import type { HostApi, PersistedState } from "./vscode-api.js";

export type Schedule = (fn: () => void) => void;

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
  private readonly dom: Dom;
  private readonly form: FormView;
  private readonly summary: SummaryView;
  private readonly code: CodeView;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: HostApi,
    private readonly schedule: Schedule = (fn) => requestAnimationFrame(fn),
  ) {
    this.doc = root.ownerDocument;
    this.persisted = api.getState() ?? {};
    this.selected = this.persisted.selected ?? null;
    this.search = new SearchView(this.doc, (id) => this.select(id), schedule);
    this.dom = new Dom(this.doc);
    const progress = this.dom.el("vscode-progress-bar", { testid: "progress" });
    progress.setAttribute("indeterminate", "");
    progress.setAttribute("aria-label", "Search running");
    this.form = new FormView(
      this.dom,
      { solve: () => this.solve(), stop: () => this.api.postMessage(toHost("stop", {})) },
      progress,
    );
    this.summary = new SummaryView(this.dom, (m) => this.api.postMessage(m));
    this.code = new CodeView(this.dom, (m) => this.api.postMessage(m));
    this.ui = this.build(progress);
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
        this.form.set(msg.data.options);
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
    this.form.set(s.options);
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
    this.form.solve.disabled = this.running;
    this.form.stop.disabled = !this.running;
    ui.runLabel.textContent = view?.config
      ? `${strategyLabel(view.config)}${view.policy ? ` · policy ${view.policy}` : ""}${view.verifier ? ` · verifier ${view.verifier}` : ""}`
      : "";
    this.summary.render({ view, error: this.error, runId: this.runId });
    this.code.render(result?.code);
    this.form.setVerifier(this.hasVerifier);
    ui.endpointNote.textContent = this.note;
    ui.endpointNote.hidden = !this.note;
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

  private solve(): void {
    const problem = (this.editing || !this.problem ? this.ui.problemInput.value : this.problem).trim();
    const options: PanelOptions = this.form.options();
    if (!this.form.check(options, problem ? null : "Type a problem to solve.")) return;
    this.selected = null;
    this.editing = false;
    this.ui.problemInput.value = "";
    this.persist();
    this.api.postMessage(toHost("solve", { problem, options }));
  }

  // ---- the page -----------------------------------------------------------------------------

  private build(progress: HTMLElement) {
    const dom = this.dom;
    const el = dom.el.bind(dom);
    const root = this.root;
    // header
    const status = el("vscode-badge", { testid: "status", className: "run-status", text: "Ready" });
    const runLabel = el("span", { className: "run-label muted", testid: "run-label" });
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
      this.search.more,
    );
    const detail = el("div", { className: "detail", testid: "detail" });
    const detailActions = el(
      "div",
      { className: "actions" },
      dom.button("Insert this solution", "list-ordered", "insert-selected", () =>
        this.api.postMessage(toHost("insertSolution", { nodeId: this.detailNode() })),
      ),
      dom.button("Copy this solution", "copy", "copy-selected", () =>
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
    root.replaceChildren(
      header,
      endpointNote,
      problemSection,
      this.form.element,
      this.summary.error,
      this.summary.notes,
      this.summary.answerSection,
      this.code.element,
      el("div", { className: "columns" }, searchSection, detailSection),
      this.summary.warnings,
    );
    return {
      status,
      runLabel,
      endpointNote,
      progress,
      problemView,
      problemInput,
      editProblem,
      hidePruned,
      detail,
      detailActions,
    };
  }
}
