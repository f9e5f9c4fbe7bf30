// The host's copy of the panel's run: the authoritative state the webview is redrawn from.
// Pure (no vscode) so snapshots can be tested without an editor.
import { applyEvent, emptyRunView, type RunView, type SearchEvent } from "../core/index.js";
import type { PanelError, PanelSetup, PanelSnapshot } from "../protocol.js";

export class RunState {
  runId = 0;
  events: SearchEvent[] = [];
  view: RunView | null = null;
  running = false;
  replay = false;
  error: PanelError | null = null;
  problem = "";

  /** Starts a new run (or replay); events of earlier runs no longer apply. */
  begin(problem: string, replay = false): number {
    this.runId++;
    this.events = [];
    this.view = emptyRunView();
    this.running = true;
    this.replay = replay;
    this.error = null;
    this.problem = problem;
    return this.runId;
  }

  /** Folds one event in; returns its index in the run (the batch sequence number). */
  push(event: SearchEvent): number {
    this.view ??= emptyRunView();
    applyEvent(this.view, event);
    if (event.type === "run-started") this.problem = event.problem.text;
    return this.events.push(event) - 1;
  }

  end(error: PanelError | null = null): void {
    this.running = false;
    this.error = error;
  }

  /** Shows an error that happened before any run could start (bad settings, unreachable server). */
  fail(problem: string, error: PanelError): void {
    this.runId++;
    this.events = [];
    this.view = null;
    this.running = false;
    this.replay = false;
    this.problem = problem;
    this.error = error;
  }

  /** Sets the problem shown before a run starts. */
  setProblem(problem: string): void {
    this.problem = problem;
  }

  snapshot(setup: PanelSetup): PanelSnapshot {
    return {
      runId: this.runId,
      seq: this.events.length,
      view: this.view,
      running: this.running,
      replay: this.replay,
      problem: this.problem,
      ...setup,
      error: this.error,
    };
  }
}
