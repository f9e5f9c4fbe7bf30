// The one typed view of the settings (rust-analyzer's Config): reads `ttsReasoner.*` through
// src/app/settings/ and tells listeners when any of it changes.
import * as vscode from "vscode";
import { readSettings, SETTINGS_SECTION, type Settings } from "../app/settings/index.js";

export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) this.changed.fire();
    });
  }

  /** Reads every setting; throws a SettingsError naming the bad ones. */
  read(): Settings {
    const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    // `get` returns contributed defaults for unset keys; undefined only for unknown ones.
    return readSettings((key) => cfg.get(key));
  }

  /** Like `read`, but for drawing defaults: bad settings fall back to theirs. */
  readLenient(): Settings {
    const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => {
      const value = cfg.get(key);
      try {
        readSettings((k) => (k === key ? value : undefined));
        return value;
      } catch {
        return undefined;
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
