// Starts, feeds and stops runs: a live search against the configured endpoints, or the replay of
// a saved trace. Every event goes through the RunState (the host's truth) and then, batched, to
// the panel; the status bar and progress notification follow along.
import * as vscode from "vscode";
import { searchOptions } from "../app/run.js";
import { startSearch } from "../app/code.js";
import { verifierName, type CodeRunOptions, type SearchEvent } from "../core/index.js";
import { codeRunFor } from "./code-run.js";
import { strategyLabel, type PanelError, type PanelOptions } from "../protocol.js";
import { connectLogged, planRun } from "./endpoint-bridge.js";
import { failureOf, runFailureOf } from "./failures.js";
import { replayTimes } from "./replay.js";
import type { ApiKeys } from "./api-keys.js";
import type { Config } from "./config.js";
import type { Panel } from "./panel.js";
import type { RequestLog } from "./request-log.js";
import type { RunState } from "./run-state.js";
import type { RunFeedback } from "./status.js";
import { capLine, MAX_LOGGED_ANSWER, runFinishedLine } from "./log-lines.js";

/** What runs need from the rest of the extension. */
export interface RunsDeps {
  state: RunState;
  panel: Panel;
  feedback: RunFeedback;
  log: RequestLog;
  config: Config;
  keys: ApiKeys;
  showFailure(error: PanelError): Promise<void>;
  saveLastRun(): Promise<void>;
  /** Where the workspace's consent to run code is kept. */
  workspaceState: vscode.Memento;
}

/** The form's search knobs, without what is not the search's (the problem kind). */
function searchKnobs(options: PanelOptions): Omit<PanelOptions, "kind"> {
  const { kind: _kind, ...knobs } = options;
  return knobs;
}

export class Runs implements vscode.Disposable {
  private abort: AbortController | null = null;
  private replayTimers: ReturnType<typeof setTimeout>[] = [];
  private finishReplay: (() => void) | null = null;

  constructor(private readonly s: RunsDeps) {}

  /** A run is connecting, searching or replaying. */
  get running(): boolean {
    return this.s.state.running || this.abort !== null || this.finishReplay !== null;
  }

  /** Runs one search of `problem`, shown live in the panel. Resolves when it has ended. */
  async solve(problem: string, options: PanelOptions, languageId?: string): Promise<void> {
    this.cancel();
    const { state, panel, feedback, log } = this.s;
    state.setProblem(problem);
    panel.show(true);

    const label = strategyLabel(options);
    // Connecting probes the servers, which can take a while: say so, and let it be cancelled.
    const connecting = (this.abort = new AbortController());
    feedback.start(label, () => this.cancel());
    let plan;
    let endpoints;
    let code: CodeRunOptions | null;
    try {
      const settings = this.s.config.read();
      code = await codeRunFor(problem, languageId, settings, this.s.workspaceState, options.kind ?? "auto");
      plan = await planRun(settings, this.s.keys, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
      endpoints = await connectLogged(plan, log);
    } catch (e) {
      if (this.abort === connecting) this.abort = null;
      // Cancelled, or replaced by a newer run (which owns the feedback now): nothing to report.
      if (connecting.signal.aborted) {
        if (this.abort === null) feedback.stop();
        return;
      }
      feedback.stop();
      this.failBeforeStart(problem, failureOf(e));
      return;
    }
    if (connecting.signal.aborted) {
      if (this.abort === null) feedback.stop();
      return;
    }

    const runId = state.begin(problem);
    const abort = (this.abort = new AbortController());
    panel.sendSnapshot();
    log.info(
      `Run ${runId} started: ${label}, policy ${endpoints.policy.model}, verifier ${endpoints.verifier ? verifierName(endpoints.verifier) : "none"}`,
    );

    let lastStatus = 0;
    const onEvent = (e: SearchEvent): void => {
      if (state.runId !== runId) return;
      const seq = state.push(e);
      panel.event(runId, seq, e);
      if (e.type === "cost" && e.t - lastStatus > 250 && state.view) {
        lastStatus = e.t;
        feedback.update(state.view);
      }
    };

    let error: PanelError | null = null;
    try {
      await startSearch(
        searchOptions(plan, endpoints, {
          problem: { text: problem },
          config: searchKnobs(options),
          signal: abort.signal,
          onEvent,
        }),
        code,
      );
      if (state.runId === runId && state.view) error = runFailureOf(state.view);
    } catch (e) {
      error = failureOf(e);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
    if (state.runId !== runId) return;
    state.end(error);
    feedback.stop();
    panel.sendStatus();
    const result = state.view?.result;
    if (error) {
      log.error(`Run ${runId} failed: ${error.message}`);
      void this.s.showFailure(error);
    } else if (result) {
      const answer = capLine(result.answer ?? "no answer", MAX_LOGGED_ANSWER);
      log.info(runFinishedLine(runId, result));
      vscode.window.setStatusBarMessage(
        `TTS Reasoner: ${result.aborted ? "cancelled; best so far" : "answer"} ${answer}`,
        8000,
      );
    }
    await this.s.saveLastRun();
  }

  private failBeforeStart(problem: string, error: PanelError): void {
    this.s.state.fail(problem, error);
    this.s.panel.sendSnapshot();
    this.s.log.error(error.message);
    void this.s.showFailure(error);
  }

  /** Shows a finished run at once (the last run, after a window reload). */
  show(events: SearchEvent[]): void {
    const first = events[0];
    this.s.state.begin(first?.type === "run-started" ? first.problem.text : "");
    for (const e of events) this.s.state.push(e);
    this.end();
  }

  /** Ends the state's run with the error its events tell of. */
  private end(): void {
    this.s.state.end(this.s.state.view ? runFailureOf(this.s.state.view) : null);
  }

  /** Replays a saved trace in the panel at its recorded pace (compressed when long). */
  replay(events: SearchEvent[]): void {
    this.cancel();
    const { state, panel, feedback } = this.s;
    const first = events[0];
    const runId = state.begin(first?.type === "run-started" ? first.problem.text : "", true);
    panel.show(true);
    panel.sendSnapshot();
    feedback.start("replaying a trace", () => this.cancel());
    const times = replayTimes(events);
    let next = 0;
    const applyUpTo = (end: number): void => {
      for (; next < end && state.runId === runId; next++)
        panel.event(runId, state.push(events[next]!), events[next]!);
      if (state.view) feedback.update(state.view);
    };
    const done = (): void => {
      this.replayTimers.forEach(clearTimeout);
      this.replayTimers = [];
      this.finishReplay = null;
      if (state.runId !== runId) return;
      applyUpTo(events.length);
      this.end();
      feedback.stop();
      panel.sendStatus();
    };
    this.finishReplay = done;
    // Group events that fall on the same millisecond into one timer.
    for (let i = 0; i < events.length;) {
      let j = i;
      while (j < events.length && times[j] === times[i]) j++;
      const end = j;
      this.replayTimers.push(setTimeout(() => (end === events.length ? done() : applyUpTo(end)), times[i]));
      i = j;
    }
    if (!events.length) done();
  }

  /** Stops a live run (it ends with what it has) or jumps a replay to its end. */
  cancel(): void {
    this.abort?.abort();
    this.abort = null;
    this.finishReplay?.();
  }

  dispose(): void {
    this.cancel();
  }
}
