// Whether candidate code may run here: never in an untrusted workspace, never when the user
// set `code.execution` to never, and with "ask" only after the user allowed it for this
// workspace (asked once, showing the command). Pure: the extension supplies the facts.
import type { ExecutionConsent } from "./settings/index.js";

export type GateVerdict =
  { run: true } | { run: false; ask: true; command: string } | { run: false; ask: false; reason: string };

export interface GateFacts {
  /** vscode.workspace.isTrusted (the CLI, run by the user on their own files, passes true). */
  trusted: boolean;
  consent: ExecutionConsent;
  /** The user already allowed execution for this workspace. */
  allowedHere: boolean;
  /** The command shown when asking. */
  command: string;
}

export function executionGate(f: GateFacts): GateVerdict {
  if (!f.trusted)
    return {
      run: false,
      ask: false,
      reason: "this workspace is not trusted (Restricted Mode), so no candidate code is run",
    };
  if (f.consent === "never") return { run: false, ask: false, reason: "code.execution is set to never" };
  if (f.consent === "allow" || f.allowedHere) return { run: true };
  return { run: false, ask: true, command: f.command };
}

/** The command a code run uses, as shown to the user before they allow it. */
export function executionCommand(language: string, isolated: boolean): string {
  const net = isolated ? "unshare -rn " : "";
  return language === "python"
    ? `${net}python3 -I -B harness.py   (each candidate with its tests, in a fresh temporary directory)`
    : `${net}node --permission --allow-fs-read=<tmp> --allow-fs-write=<tmp> harness.js   (each candidate with its tests, in a fresh temporary directory)`;
}
