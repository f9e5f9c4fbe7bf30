// Feedback while a run is active: a status bar item (always) and a cancellable progress
// notification (for runs that last long enough to need one).
import * as vscode from "vscode";
import type { RunView } from "../core/index.js";

const PROGRESS_AFTER_MS = 1500;

export class RunFeedback implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "ttsReasoner.run",
    vscode.StatusBarAlignment.Left,
    100,
  );
  private progress: vscode.Progress<{ message?: string }> | null = null;
  private finishProgress: (() => void) | null = null;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private label = "";

  constructor() {
    this.item.name = "TTS Reasoner run";
    this.item.command = "ttsReasoner.openPanel";
  }

  start(label: string, onCancel: () => void): void {
    this.stop();
    this.label = label;
    this.item.text = `$(loading~spin) TTS: ${label}`;
    this.item.tooltip =
      "TTS Reasoner is searching. Click to show the panel; run “TTS Reasoner: Cancel” to stop.";
    this.item.show();
    void vscode.commands.executeCommand("setContext", "ttsReasoner.running", true);
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      void vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `TTS Reasoner: ${label}`,
          cancellable: true,
        },
        (progress, token) =>
          new Promise<void>((resolve) => {
            this.progress = progress;
            this.finishProgress = resolve;
            token.onCancellationRequested(onCancel);
          }),
      );
    }, PROGRESS_AFTER_MS);
  }

  update(view: RunView): void {
    const requests = view.cost.policy.requests + view.cost.verifier.requests;
    const finished = Object.keys(view.answers).length;
    const detail = `${requests} requests · ${finished} finished`;
    this.item.text = `$(loading~spin) TTS: ${this.label} · ${detail}`;
    this.progress?.report({ message: detail });
  }

  stop(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.finishProgress?.();
    this.finishProgress = null;
    this.progress = null;
    this.item.hide();
    void vscode.commands.executeCommand("setContext", "ttsReasoner.running", false);
  }

  dispose(): void {
    this.stop();
    this.item.dispose();
  }
}
