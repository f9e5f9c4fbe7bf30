import * as vscode from "vscode";

// Interim registration so the manifest's commands resolve while the panel and runs are built.
const COMMANDS = [
  "ttsReasoner.solve",
  "ttsReasoner.scoreSteps",
  "ttsReasoner.clearScores",
  "ttsReasoner.openPanel",
  "ttsReasoner.testConnection",
  "ttsReasoner.setApiKey",
  "ttsReasoner.clearApiKey",
  "ttsReasoner.exportTrace",
  "ttsReasoner.openTrace",
  "ttsReasoner.cancel",
];

export function activate(context: vscode.ExtensionContext): void {
  for (const id of COMMANDS)
    context.subscriptions.push(
      vscode.commands.registerCommand(id, () =>
        vscode.window.showInformationMessage(`TTS Reasoner: ${id} is not wired up in this build yet.`),
      ),
    );
}

export function deactivate(): void {}
