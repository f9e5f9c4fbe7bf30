// The OpenAI-compatible server (src/serve/) run from VS Code: started and stopped by command,
// on loopback only, with the user's settings and stored keys; its URL in a status bar item, its
// request lines in the output channel. Stopped when the extension deactivates.
import * as vscode from "vscode";
import { DEFAULT_PORT, startServe, type ServeHandle, type ServeLogLine } from "../serve/server.js";
import { connectLogged, planRun } from "./endpoint-bridge.js";
import type { ApiKeys } from "./api-keys.js";
import type { Config } from "./config.js";
import type { RequestLog } from "./request-log.js";

export interface ServeControlDeps {
  config: Config;
  keys: ApiKeys;
  log: RequestLog;
}

/** One request as an output-channel line: never the prompt. */
export function serveLogLine(l: ServeLogLine): string {
  const parts = [`serve ${l.method} ${l.path}`, `HTTP ${l.status}`];
  if (l.model) parts.push(l.model);
  if (l.answer !== undefined) parts.push(`answer ${l.answer ?? "none"}`);
  if (l.promptTokens !== undefined) parts.push(`${l.promptTokens}+${l.completionTokens ?? 0} tokens`);
  parts.push(`${l.ms} ms`);
  if (l.error) parts.push(l.error);
  return parts.join(" · ");
}

export class ServeControl implements vscode.Disposable {
  private handle: ServeHandle | null = null;
  private starting: Promise<ServeHandle> | null = null;
  private readonly item = vscode.window.createStatusBarItem(
    "ttsReasoner.serve",
    vscode.StatusBarAlignment.Left,
    99,
  );

  constructor(private readonly s: ServeControlDeps) {
    this.item.name = "TTS Reasoner server";
    this.item.command = "ttsReasoner.startServer";
  }

  get url(): string | null {
    return this.handle?.url ?? null;
  }

  /** Starts the server (or finds it running) and shows its URL. */
  async start(): Promise<string> {
    if (!this.handle) {
      this.starting ??= this.listen().finally(() => (this.starting = null));
      this.handle = await this.starting;
      this.item.text = `$(broadcast) TTS ${new URL(this.handle.url).host}`;
      this.item.tooltip = `TTS Reasoner serves tts/<strategy>-<n> models at ${this.handle.url} (OpenAI-compatible). Click for the URL; “TTS Reasoner: Stop OpenAI-Compatible Server” stops it.`;
      this.item.show();
      void vscode.commands.executeCommand("setContext", "ttsReasoner.serving", true);
      this.s.log.info(`serve: listening at ${this.handle.url}`);
    }
    return this.handle.url;
  }

  private async listen(): Promise<ServeHandle> {
    // Settings are read when the server starts; a restart picks up changes.
    const plan = await planRun(
      this.s.config.read(),
      this.s.keys,
      vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    );
    const options = {
      plan,
      connect: (p: typeof plan) => connectLogged(p, this.s.log),
      log: (line: ServeLogLine) => this.s.log.info(serveLogLine(line)),
    };
    try {
      return await startServe({ ...options, port: DEFAULT_PORT });
    } catch (e) {
      // Port taken (another window's server, say): any free port will do, the URL says which.
      if ((e as { code?: string }).code !== "EADDRINUSE") throw e;
      return startServe({ ...options, port: 0 });
    }
  }

  async stop(): Promise<boolean> {
    const handle = this.handle ?? (this.starting ? await this.starting.catch(() => null) : null);
    this.handle = null;
    this.item.hide();
    void vscode.commands.executeCommand("setContext", "ttsReasoner.serving", false);
    if (!handle) return false;
    await handle.close();
    this.s.log.info(`serve: stopped (${handle.url})`);
    return true;
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
  }
}
