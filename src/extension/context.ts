// Everything the commands share (rust-analyzer's Ctx): a container of the extension's parts,
// each in a file of its own, wired here and nowhere else.
import * as vscode from "vscode";
import { endpointOrigins, type Settings } from "../app/settings/index.js";
import type { PanelError, PanelOptions } from "../protocol.js";
import { ApiKeys } from "./api-keys.js";
import { Config } from "./config.js";
import { StepScores } from "./decorations.js";
import { EditorInsertion, type ProblemAnchor } from "./editor-insertion.js";
import { LastRun } from "./last-run.js";
import { Panel } from "./panel.js";
import { dispatch, type PanelHandlers } from "./panel-messages.js";
import { RequestLog } from "./request-log.js";
import { RunState } from "./run-state.js";
import { Runs } from "./runs.js";
import { ServeControl } from "./serve-control.js";
import { runPanelCommand, showFailure } from "./show-failure.js";
import { RunFeedback } from "./status.js";
import { IgnoredSettingsReporter } from "./workspace-settings.js";

export class Ctx implements vscode.Disposable {
  readonly log = new RequestLog();
  readonly config = new Config();
  readonly keys: ApiKeys;
  readonly state = new RunState();
  readonly scores = new StepScores();
  readonly feedback = new RunFeedback();
  readonly editor: EditorInsertion;
  readonly lastRun: LastRun;
  readonly panel: Panel;
  readonly runs: Runs;
  readonly serve: ServeControl;
  readonly ignoredSettings: IgnoredSettingsReporter;
  /** The panel form's values once the user has changed them; null follows the settings. */
  private formOptions: PanelOptions | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.keys = new ApiKeys(extension.secrets, extension.globalState);
    this.editor = new EditorInsertion(this.state, this.scores);
    this.lastRun = new LastRun(extension.globalStorageUri, this.log);
    const handlers = this.panelHandlers();
    this.panel = new Panel(extension.extensionUri, {
      state: this.state,
      log: this.log,
      setup: () => ({
        options: this.panelOptions(),
        hasVerifier: this.hasVerifier(),
        note: this.config.readLenient().policy.note.trim(),
      }),
      onMessage: (m) => void dispatch(handlers, m),
    });
    this.runs = new Runs({
      state: this.state,
      panel: this.panel,
      feedback: this.feedback,
      log: this.log,
      config: this.config,
      keys: this.keys,
      showFailure: (error) => this.showFailure(error),
      saveLastRun: () => this.lastRun.save(this.state.events),
      workspaceState: extension.workspaceState,
    });
    this.serve = new ServeControl({ config: this.config, keys: this.keys, log: this.log });
    this.ignoredSettings = new IgnoredSettingsReporter(this.log);
    this.subscriptions.push(
      this.ignoredSettings,
      this.config.onDidChange(() => {
        this.formOptions = null;
        this.panel.sendOptions();
      }),
      extension.secrets.onDidChange(() => void this.refreshSecrets()),
    );
    void this.refreshSecrets();
  }

  private panelHandlers(): PanelHandlers {
    return {
      solve: async ({ problem, options }) => {
        this.formOptions = options;
        // The same problem keeps its place in the editor; a new one typed in the panel has none.
        await this.solve(problem, problem === this.state.problem ? this.editor.anchor : null, options);
      },
      stop: () => this.runs.cancel(),
      insertAnswer: ({ nodeId }) => this.editor.insertAnswer(nodeId),
      insertSolution: ({ nodeId }) => this.editor.insertSolution(nodeId),
      copy: ({ what, nodeId }) => this.editor.copy(what, nodeId),
      exportTrace: async () => {
        await vscode.commands.executeCommand("ttsReasoner.exportTrace");
      },
      command: ({ command }) => runPanelCommand(command),
      ready: () => {},
    };
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
    this.editor.anchor = anchor;
    await this.runs.solve(problem, options, anchor?.languageId);
  }

  /** Shows an error with the action that most likely fixes it. */
  showFailure(error: PanelError): Promise<void> {
    return showFailure(error, this.log);
  }

  async refreshSecrets(): Promise<void> {
    this.log.setSecrets(await this.keys.values());
  }

  /** Origins the API key picker offers: those of the settings, and those that have a key. */
  keyOrigins(): string[] {
    return [...new Set([...endpointOrigins(this.config.readLenient()), ...this.keys.origins()])];
  }

  /** Brings back the last run (after a window reload) unless a run is already in memory. */
  async restoreLastRun(): Promise<void> {
    if (this.state.runId !== 0) return;
    const events = await this.lastRun.load();
    if (events && this.state.runId === 0) this.runs.show(events);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    for (const d of [
      this.serve,
      this.runs,
      this.panel,
      this.editor,
      this.feedback,
      this.scores,
      this.config,
      this.log,
    ])
      d.dispose();
  }
}
