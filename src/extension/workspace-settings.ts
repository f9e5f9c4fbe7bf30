// Tells the user, once per window, which of this workspace's TTS Reasoner settings are ignored
// (src/ignored-settings.ts decides which): a cloned repository's settings must neither take
// effect behind the user's back nor vanish without a word.
import * as vscode from "vscode";
import {
  ignoredSettingsMessage,
  ignoredWorkspaceSettings,
  parseJsonc,
  type IgnoredSetting,
} from "../ignored-settings.js";
import type { RequestLog } from "./request-log.js";

/** The workspace's own settings: each folder's `.vscode/settings.json` and a `.code-workspace` file's. */
async function workspaceSettingsFiles(): Promise<unknown[]> {
  const uris = (vscode.workspace.workspaceFolders ?? []).map((f) =>
    vscode.Uri.joinPath(f.uri, ".vscode", "settings.json"),
  );
  const file = vscode.workspace.workspaceFile;
  const values: unknown[] = [];
  for (const uri of file && file.scheme !== "untitled" ? [...uris, file] : uris) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // no such file
    }
    try {
      const value = parseJsonc(text);
      values.push(uri === file ? (value as { settings?: unknown } | null)?.settings : value);
    } catch {
      // VS Code reports a broken settings file itself.
    }
  }
  return values;
}

export class IgnoredSettingsReporter implements vscode.Disposable {
  private readonly reported = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: RequestLog) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("ttsReasoner")) void this.check();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.check()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.check()),
    ];
    void this.check();
  }

  /** Reports the ignored settings not reported before in this window. */
  async check(): Promise<IgnoredSetting[]> {
    const trusted = vscode.workspace.isTrusted;
    const ignored = (await workspaceSettingsFiles())
      .flatMap((v) => ignoredWorkspaceSettings(v, trusted))
      .filter((i, k, all) => all.findIndex((j) => j.key === i.key) === k);
    const fresh = ignored.filter((i) => !this.reported.has(`${i.why}:${i.key}`));
    if (!fresh.length) return [];
    for (const i of fresh) this.reported.add(`${i.why}:${i.key}`);
    const message = ignoredSettingsMessage(fresh);
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, "Open User Settings").then((choice) => {
      if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", "ttsReasoner");
    });
    return fresh;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
