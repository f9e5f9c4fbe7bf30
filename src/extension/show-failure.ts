// An error as a notification, with the action most likely to fix it.
import * as vscode from "vscode";
import type { PanelCommand, PanelError } from "../protocol.js";
import type { RequestLog } from "./request-log.js";

/** Runs a command the panel (or a notification) offers. */
export async function runPanelCommand(command: PanelCommand): Promise<void> {
  if (command === "openSettings")
    await vscode.commands.executeCommand("workbench.action.openSettings", "@ext:tts-reasoner.tts-reasoner");
  else await vscode.commands.executeCommand(`ttsReasoner.${command}`);
}

export async function showFailure(error: PanelError, log: RequestLog): Promise<void> {
  const actions: string[] = [];
  if (error.action === "testConnection") actions.push("Test Connection");
  if (error.action === "openSettings" || error.action === "testConnection") actions.push("Open Settings");
  actions.push("Show Log");
  const picked = await vscode.window.showErrorMessage(`TTS Reasoner: ${error.message}`, ...actions);
  if (picked === "Test Connection") await runPanelCommand("testConnection");
  else if (picked === "Open Settings") await runPanelCommand("openSettings");
  else if (picked === "Show Log") log.show();
}
