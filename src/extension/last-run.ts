// The last run, kept in the extension's global storage so a reloaded window's panel can show it.
import * as vscode from "vscode";
import { parseTrace, serializeTrace, type SearchEvent } from "../core/index.js";
import type { RequestLog } from "./request-log.js";

const LAST_RUN_FILE = "last-run.jsonl";

export class LastRun {
  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: RequestLog,
  ) {}

  private get uri(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, LAST_RUN_FILE);
  }

  async save(events: readonly SearchEvent[]): Promise<void> {
    if (!events.length) return;
    try {
      await vscode.workspace.fs.createDirectory(this.storage);
      await vscode.workspace.fs.writeFile(this.uri, Buffer.from(serializeTrace(events)));
    } catch (e) {
      this.log.warn(`Could not keep the last run for the next window: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** The kept run's events; null when there is none or it cannot be read. */
  async load(): Promise<SearchEvent[] | null> {
    try {
      return parseTrace(Buffer.from(await vscode.workspace.fs.readFile(this.uri)).toString("utf8"));
    } catch {
      return null;
    }
  }
}
