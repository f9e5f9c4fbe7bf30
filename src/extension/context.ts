// Everything the commands share (rust-analyzer's Ctx): configuration, keys, the output channel,
// the run state and its panel, inline scores, and where the current problem came from.
import * as vscode from "vscode";
import { joinSteps, parseTrace, serializeTrace } from "../core/index.js";
import {
  pathOf,
  currentAnswer,
  type PanelError,
  type PanelOptions,
  type ToHostMessage,
} from "../protocol.js";
import { endpointOrigins, type Settings } from "../app/settings/index.js";
import { ApiKeys } from "./api-keys.js";
import { Config } from "./config.js";
import { StepScores } from "./decorations.js";
import { runFailureOf } from "./failures.js";
import { Panel } from "./panel.js";
import { RequestLog } from "./request-log.js";
import { RunState } from "./run-state.js";
import { Runs } from "./runs.js";
import { RunFeedback } from "./status.js";
import { shiftOffset, stepSpans } from "./step-ranges.js";
import { IgnoredSettingsReporter } from "./workspace-settings.js";

/** Where the current problem was selected, so answers go back next to it. */
interface ProblemAnchor {
  uri: vscode.Uri;
  /** Offset just after the problem's selection, kept up to date through edits. */
  offset: number;
}

const LAST_RUN_FILE = "last-run.jsonl";

export class Ctx implements vscode.Disposable {
  readonly log = new RequestLog();
  readonly config = new Config();
  readonly keys: ApiKeys;
  readonly state = new RunState();
  readonly scores = new StepScores();
  readonly feedback = new RunFeedback();
  readonly panel: Panel;
  readonly runs: Runs;
  readonly ignoredSettings: IgnoredSettingsReporter;
  private anchor: ProblemAnchor | null = null;
  /** The panel form's values once the user has changed them; null follows the settings. */
  private formOptions: PanelOptions | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.keys = new ApiKeys(extension.secrets, extension.globalState);
    this.panel = new Panel(extension.extensionUri, {
      state: this.state,
      log: this.log,
      setup: () => ({
        options: this.panelOptions(),
        hasVerifier: this.hasVerifier(),
        note: this.config.readLenient().policy.note.trim(),
      }),
      onMessage: (m) => void this.onPanelMessage(m),
    });
    this.runs = new Runs(this);
    this.ignoredSettings = new IgnoredSettingsReporter(this.log);
    this.subscriptions.push(
      this.ignoredSettings,
      this.config.onDidChange(() => {
        this.formOptions = null;
        this.panel.sendOptions();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.trackAnchor(e)),
      extension.secrets.onDidChange(() => void this.refreshSecrets()),
    );
    void this.refreshSecrets();
  }

  /** The problem of the current run when it was selected in `uri`, for scoring its solution. */
  problemOf(uri: vscode.Uri): string | null {
    return this.anchor?.uri.toString() === uri.toString() && this.state.problem ? this.state.problem : null;
  }

  settings(): Settings {
    return this.config.read();
  }

  panelOptions(): PanelOptions {
    if (this.formOptions) return this.formOptions;
    const s = this.config.readLenient().search;
    return {
      strategy: s.strategy,
      n: s.n,
      beamWidth: s.beamWidth,
      temperature: s.temperature,
      maxSteps: s.maxSteps,
    };
  }

  hasVerifier(): boolean {
    return this.config.readLenient().verifier.kind !== "none";
  }

  /** Solves a problem, remembering where it came from (null: typed, not selected). */
  async solve(problem: string, anchor: ProblemAnchor | null, options = this.panelOptions()): Promise<void> {
    this.anchor = anchor;
    await this.runs.solve(problem, options);
  }

  private async onPanelMessage(m: ToHostMessage): Promise<void> {
    switch (m.type) {
      case "solve":
        this.formOptions = m.data.options;
        // The same problem keeps its place in the editor; a new one typed in the panel has none.
        await this.solve(
          m.data.problem,
          m.data.problem === this.state.problem ? this.anchor : null,
          m.data.options,
        );
        return;
      case "stop":
        this.runs.cancel();
        return;
      case "insertAnswer":
        await this.insertAnswer(m.data.nodeId);
        return;
      case "insertSolution":
        await this.insertSolution(m.data.nodeId);
        return;
      case "copy":
        await this.copy(m.data.what, m.data.nodeId);
        return;
      case "exportTrace":
        await vscode.commands.executeCommand("ttsReasoner.exportTrace");
        return;
      case "command":
        await this.runPanelCommand(m.data.command);
        return;
      case "ready":
        return;
    }
  }

  private async runPanelCommand(command: "testConnection" | "openSettings" | "setApiKey"): Promise<void> {
    if (command === "openSettings")
      await vscode.commands.executeCommand("workbench.action.openSettings", "@ext:tts-reasoner.tts-reasoner");
    else await vscode.commands.executeCommand(`ttsReasoner.${command}`);
  }

  /** Shows an error with the action that most likely fixes it. */
  async showFailure(error: PanelError): Promise<void> {
    const actions: string[] = [];
    if (error.action === "testConnection") actions.push("Test Connection");
    if (error.action === "openSettings" || error.action === "testConnection") actions.push("Open Settings");
    actions.push("Show Log");
    const picked = await vscode.window.showErrorMessage(`TTS Reasoner: ${error.message}`, ...actions);
    if (picked === "Test Connection") await this.runPanelCommand("testConnection");
    else if (picked === "Open Settings") await this.runPanelCommand("openSettings");
    else if (picked === "Show Log") this.log.show();
  }

  // ---- answers back into the editor -------------------------------------------------------

  async insertAnswer(nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const answer = view ? (nodeId ? pathOf(view, nodeId)?.answer : currentAnswer(view)) : null;
    if (!answer) {
      void vscode.window.showWarningMessage("TTS Reasoner: there is no answer to insert yet.");
      return;
    }
    await this.insertNearProblem(`Answer: ${answer}`);
  }

  async insertSolution(nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const path = view ? pathOf(view, nodeId) : null;
    if (!view || !path?.steps.length) {
      void vscode.window.showWarningMessage("TTS Reasoner: there is no solution to insert yet.");
      return;
    }
    const delimiter = view.config?.delimiter ?? "\n\n";
    const body = joinSteps(path.steps, delimiter);
    const placed = await this.insertNearProblem(body);
    if (!placed || !path.stepScores) return;
    const spans = stepSpans(body, placed.offset, delimiter);
    const scores = path.stepScores;
    if (spans.length !== scores.length) return; // a step that holds the delimiter itself: no reliable mapping
    this.scores.set(
      placed.doc,
      spans.map((span, i) => ({
        start: span.start,
        end: span.end,
        score: scores[i]!,
        index: i + 1,
        count: spans.length,
        verifier: view.verifier ?? "none",
        aggregation: view.config?.aggregation ?? "last",
        ...(path.score !== undefined ? { pathScore: path.score } : {}),
      })),
    );
  }

  /**
   * Inserts a paragraph after the problem's selection, or at the cursor of the active editor,
   * or into a new document. Returns where the text itself (without separating blank lines) went.
   */
  private async insertNearProblem(
    text: string,
  ): Promise<{ doc: vscode.TextDocument; offset: number } | null> {
    let editor: vscode.TextEditor | undefined;
    let offset: number;
    if (this.anchor) {
      const uri = this.anchor.uri.toString();
      const doc = await vscode.workspace.openTextDocument(this.anchor.uri);
      // Back into the editor the problem was selected in, not a new one beside the panel.
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      editor = await vscode.window.showTextDocument(doc, {
        viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
        preserveFocus: false,
        preview: false,
      });
      offset = Math.min(this.anchor.offset, doc.getText().length);
    } else if (vscode.window.activeTextEditor) {
      editor = vscode.window.activeTextEditor;
      offset = editor.document.offsetAt(editor.selection.end);
    } else {
      const doc = await vscode.workspace.openTextDocument({
        language: "markdown",
        content: this.state.problem,
      });
      editor = await vscode.window.showTextDocument(doc);
      offset = doc.getText().length;
    }
    const doc = editor.document;
    const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(offset)));
    const prefix =
      before.trim() === "" ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const ok = await editor.edit((b) => b.insert(doc.positionAt(offset), prefix + text));
    if (!ok) {
      void vscode.window.showErrorMessage(
        `TTS Reasoner: could not insert into ${doc.uri.fsPath || doc.uri.toString()}.`,
      );
      return null;
    }
    return { doc, offset: offset + prefix.length };
  }

  async copy(what: "answer" | "solution", nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const path = view ? pathOf(view, nodeId) : null;
    const text =
      what === "answer"
        ? nodeId
          ? path?.answer
          : view && currentAnswer(view)
        : path && joinSteps(path.steps, view?.config?.delimiter ?? "\n\n");
    if (!text) {
      void vscode.window.showWarningMessage(`TTS Reasoner: there is no ${what} to copy yet.`);
      return;
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`TTS Reasoner: ${what} copied`, 3000);
  }

  private trackAnchor(e: vscode.TextDocumentChangeEvent): void {
    const a = this.anchor;
    if (!a || e.document.uri.toString() !== a.uri.toString()) return;
    for (const c of [...e.contentChanges].sort((x, y) => y.rangeOffset - x.rangeOffset))
      a.offset = shiftOffset(a.offset, {
        offset: c.rangeOffset,
        length: c.rangeLength,
        insertedLength: c.text.length,
      });
  }

  // ---- keys and the last run --------------------------------------------------------------

  async refreshSecrets(): Promise<void> {
    this.log.setSecrets(await this.keys.values());
  }

  /** Origins the API key picker offers: those of the settings, and those that have a key. */
  keyOrigins(): string[] {
    return [...new Set([...endpointOrigins(this.config.readLenient()), ...this.keys.origins()])];
  }

  private lastRunUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extension.globalStorageUri, LAST_RUN_FILE);
  }

  /** Keeps the last run so a reloaded window's panel can show it again. */
  async saveLastRun(): Promise<void> {
    if (!this.state.events.length) return;
    try {
      await vscode.workspace.fs.createDirectory(this.extension.globalStorageUri);
      await vscode.workspace.fs.writeFile(this.lastRunUri(), Buffer.from(serializeTrace(this.state.events)));
    } catch (e) {
      this.log.warn(`Could not keep the last run for the next window: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** Brings back the last run (after a window reload) unless a run is already in memory. */
  async restoreLastRun(): Promise<void> {
    if (this.state.runId !== 0) return;
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(this.lastRunUri())).toString("utf8");
      const events = parseTrace(text);
      const first = events[0];
      this.state.begin(first?.type === "run-started" ? first.problem.text : "");
      for (const e of events) this.state.push(e);
      this.state.end(this.state.view ? runFailureOf(this.state.view) : null);
    } catch {
      // No last run, or an unreadable one: the panel starts empty.
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    for (const d of [this.runs, this.panel, this.feedback, this.scores, this.config, this.log]) d.dispose();
  }
}
