// Entry point: builds the shared context, registers every command and the panel serializer.
import * as vscode from "vscode";
import { PANEL_VIEW_TYPE } from "../protocol.js";
import { COMMANDS, type CommandId } from "./commands.js";
import { Ctx } from "./context.js";

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  for (const [id, factory] of Object.entries(COMMANDS) as [CommandId, (typeof COMMANDS)[CommandId]][])
    context.subscriptions.push(vscode.commands.registerCommand(`ttsReasoner.${id}`, factory(ctx)));
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      // A reloaded window brings the panel back with the last run the host kept.
      async deserializeWebviewPanel(panel) {
        await ctx.restoreLastRun();
        ctx.panel.adopt(panel);
      },
    }),
  );
}

export function deactivate(): void {}
