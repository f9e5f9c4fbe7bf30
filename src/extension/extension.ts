// Entry point: builds the shared context, registers every command and the panel serializer.
import * as vscode from "vscode";
import { PANEL_VIEW_TYPE } from "../protocol.js";
import { COMMAND_IDS, COMMAND_PREFIX } from "./command-ids.js";
import { COMMANDS } from "./commands.js";
import { Ctx } from "./context.js";

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  for (const id of COMMAND_IDS)
    context.subscriptions.push(vscode.commands.registerCommand(COMMAND_PREFIX + id, COMMANDS[id](ctx)));
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
