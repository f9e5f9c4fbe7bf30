// The output channel: one line per request (the endpoints write them) and one per run. Every
// line is scrubbed of the API keys known to this window before it is written, whatever wrote it,
// and cut to MAX_LOG_LINE characters.
import * as vscode from "vscode";
import { capLine } from "./log-lines.js";

export class RequestLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel("TTS Reasoner", { log: true });
  private secrets: string[] = [];

  /** The key values to scrub; refreshed whenever a key is set or cleared. */
  setSecrets(values: readonly string[]): void {
    this.secrets = values.filter((v) => v.length >= 4);
  }

  scrub(line: string): string {
    let out = line;
    for (const s of this.secrets) out = out.split(s).join("***");
    return capLine(out);
  }

  info(line: string): void {
    this.channel.info(this.scrub(line));
  }

  warn(line: string): void {
    this.channel.warn(this.scrub(line));
  }

  error(line: string): void {
    this.channel.error(this.scrub(line));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
