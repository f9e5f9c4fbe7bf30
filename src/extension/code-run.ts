// A selection that reads as code becomes a code run, and its candidates are executed only in a
// trusted workspace and with the user's consent (src/app/exec-gate.ts): with the default
// "ask", a modal shows the command once per workspace and remembers the answer there.
import * as vscode from "vscode";
import { addTestFile, codeRunOptions, problemOf, type KindChoice } from "../app/code.js";
import { executionCommand, executionGate } from "../app/exec-gate.js";
import type { Settings } from "../app/settings/index.js";
import type { CodeRunOptions } from "../core/index.js";
import { networkIsolation } from "../exec/index.js";

/** workspaceState key: the user allowed candidate code to run in this workspace. */
export const EXECUTION_ALLOWED_KEY = "ttsReasoner.codeExecutionAllowed";

const ALLOW = "Allow in this workspace";

/** The code run of a problem, or null when it reads as math. Asks for consent when it must. */
export async function codeRunFor(
  problem: string,
  languageId: string | undefined,
  settings: Settings,
  workspaceState: vscode.Memento,
  kind: KindChoice = "auto",
): Promise<CodeRunOptions | null> {
  const detected = problemOf(problem, kind, languageId);
  if (detected.kind !== "code") return null;
  if (settings.code.testFile) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error("The setting ttsReasoner.code.testFile needs an open workspace folder.");
    addTestFile(detected.task, settings.code.testFile, folder);
  }
  const verdict = executionGate({
    trusted: vscode.workspace.isTrusted,
    consent: settings.code.execution,
    allowedHere: workspaceState.get(EXECUTION_ALLOWED_KEY) === true,
    command: executionCommand(detected.task.language, networkIsolation().prefix.length > 0),
  });
  if (verdict.run) return codeRunOptions(settings, detected.task, { run: true });
  if (!verdict.ask) return codeRunOptions(settings, detected.task, verdict);
  const pick = await vscode.window.showWarningMessage(
    "TTS Reasoner: run the candidate code against its tests?",
    {
      modal: true,
      detail:
        `Each candidate runs with its tests in a child process, in a fresh temporary directory, with time and memory limits:\n\n` +
        `${verdict.command}\n\nAsked once per workspace (setting ttsReasoner.code.execution). ` +
        "Without it, the most common code is chosen and nothing is run.",
    },
    ALLOW,
  );
  if (pick !== ALLOW)
    return codeRunOptions(settings, detected.task, {
      run: false,
      reason: "running code was not allowed in this workspace",
    });
  await workspaceState.update(EXECUTION_ALLOWED_KEY, true);
  return codeRunOptions(settings, detected.task, { run: true });
}
