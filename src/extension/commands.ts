// The commands, each a factory over the shared context (rust-analyzer's pattern), so every one
// has defined behaviour whatever state the extension is in.
import * as vscode from "vscode";
import { aggregateScores, isAbort, parseTrace, serializeTrace, verifierName } from "../core/index.js";
import type { Settings } from "../app/settings/index.js";
import type { CommandId } from "./command-ids.js";
import type { Ctx } from "./context.js";
import { checkConnection, connectVerifier } from "./endpoint-bridge.js";
import { failureOf } from "./failures.js";
import { paragraphBefore, problemAndSteps, stepSpans } from "./step-ranges.js";

type Cmd = (...args: unknown[]) => unknown;

export const COMMANDS: Record<CommandId, (ctx: Ctx) => Cmd> = {
  solve: (ctx) => async () => {
    const editor = vscode.window.activeTextEditor;
    const selection = editor && !editor.selection.isEmpty ? editor.selection : null;
    let problem = selection ? editor!.document.getText(selection).trim() : "";
    if (!problem) {
      problem =
        (
          await vscode.window.showInputBox({
            title: "Solve with TTS",
            prompt: "The problem to solve (or select it in an editor first)",
            placeHolder: "What is the sum of the first 10 odd numbers?",
            ignoreFocusOut: true,
          })
        )?.trim() ?? "";
      if (!problem) return;
    }
    const anchor = selection
      ? {
          uri: editor!.document.uri,
          offset: editor!.document.offsetAt(selection.end),
          start: editor!.document.offsetAt(selection.start),
          languageId: editor!.document.languageId,
        }
      : null;
    await ctx.solve(problem, anchor);
  },

  scoreSteps: (ctx) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage(
        "TTS Reasoner: select a step-by-step solution (steps separated by blank lines) to score it.",
      );
      return;
    }
    const doc = editor.document;
    const settings = settingsOrFailure(ctx);
    if (!settings) return;
    const delimiter = settings.search.stepDelimiter;
    const selection = editor.selection;
    const spans = stepSpans(doc.getText(selection), doc.offsetAt(selection.start), delimiter);
    const parts = problemAndSteps(spans);
    if (!parts.steps.length) {
      void vscode.window.showInformationMessage("TTS Reasoner: the selection holds no steps to score.");
      return;
    }
    let problem = parts.problem;
    if (!problem) {
      const above = paragraphBefore(
        doc.getText(new vscode.Range(new vscode.Position(0, 0), selection.start)),
      );
      problem =
        (
          await vscode.window.showInputBox({
            title: "Score Steps",
            prompt: 'The problem these steps solve (or start the selection with "Problem: …")',
            value: ctx.editor.problemOf(doc.uri) ?? above,
            ignoreFocusOut: true,
          })
        )?.trim() ?? null;
      if (!problem) return;
    }
    try {
      const verifier = await connectVerifier(settings, ctx.keys, ctx.log);
      const steps = parts.steps.map((s) => s.text);
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `TTS Reasoner: scoring ${steps.length} steps`,
          cancellable: true,
        },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return verifier.score({ text: problem! }, steps, abort.signal);
        },
      );
      if (result.scores.length !== steps.length)
        throw new Error(
          `The verifier returned ${result.scores.length} scores for ${steps.length} steps; check that the step delimiter matches the solution.`,
        );
      const aggregation = settings.search.aggregation;
      const pathScore = aggregateScores(result.scores, aggregation);
      ctx.scores.set(
        doc,
        parts.steps.map((span, i) => ({
          start: span.start,
          end: span.end,
          score: result.scores[i]!,
          index: i + 1,
          count: steps.length,
          verifier: verifierName(verifier),
          aggregation,
          pathScore,
        })),
      );
      ctx.log.info(
        `Scored ${steps.length} steps with ${verifierName(verifier)}: ${result.scores.map((s) => s.toFixed(3)).join(", ")}`,
      );
    } catch (e) {
      if (isAbort(e)) return;
      void ctx.showFailure(failureOf(e));
    }
  },

  clearScores: (ctx) => () => {
    const editor = vscode.window.activeTextEditor;
    if (editor && ctx.scores.get(editor.document.uri).length) ctx.scores.clear(editor.document.uri);
    else ctx.scores.clear();
  },

  openPanel: (ctx) => () => ctx.panel.show(),

  testConnection: (ctx) => async () => {
    const settings = settingsOrFailure(ctx);
    if (!settings) return;
    ctx.log.show();
    ctx.log.info("Testing the connection to the configured endpoints…");
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "TTS Reasoner: testing the endpoints" },
      () => checkConnection(settings, ctx.keys, ctx.log),
    );
    for (const line of report.lines) ctx.log.info(line);
    const summary = `TTS Reasoner: ${report.summary}`;
    if (report.ok) void vscode.window.showInformationMessage(summary);
    else {
      const picked = await vscode.window.showErrorMessage(summary, "Open Settings", "Show Log");
      if (picked === "Open Settings")
        await vscode.commands.executeCommand(
          "workbench.action.openSettings",
          "@ext:tts-reasoner.tts-reasoner",
        );
      else if (picked === "Show Log") ctx.log.show();
    }
  },

  setApiKey: (ctx) => async (originArg?: unknown) => {
    const origin = typeof originArg === "string" ? originArg : await pickOrigin(ctx, "Set API Key", true);
    if (!origin) return;
    const key = await vscode.window.showInputBox({
      title: `API key for ${origin}`,
      prompt: `Sent as "Authorization: Bearer …" to ${origin} only. Stored in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!key?.trim()) return;
    await ctx.keys.set(origin, key.trim());
    await ctx.refreshSecrets();
    ctx.log.info(`API key set for ${origin}.`);
    void vscode.window.showInformationMessage(`TTS Reasoner: API key saved for ${origin}.`);
  },

  clearApiKey: (ctx) => async (originArg?: unknown) => {
    const origin = typeof originArg === "string" ? originArg : await pickOrigin(ctx, "Clear API Key", false);
    if (!origin) return;
    await ctx.keys.delete(origin);
    await ctx.refreshSecrets();
    ctx.log.info(`API key cleared for ${origin}.`);
    void vscode.window.showInformationMessage(`TTS Reasoner: API key cleared for ${origin}.`);
  },

  exportTrace: (ctx) => async (target?: unknown) => {
    if (!ctx.state.events.length) {
      void vscode.window.showInformationMessage("TTS Reasoner: there is no run to export yet.");
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: "Export Trace",
            defaultUri: vscode.Uri.joinPath(
              vscode.workspace.workspaceFolders?.[0]?.uri ?? ctx.extension.globalStorageUri,
              `tts-trace-${stamp}.jsonl`,
            ),
            filters: { "Trace (JSON lines)": ["jsonl"], "All files": ["*"] },
          });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(serializeTrace(ctx.state.events)));
    ctx.log.info(`Trace of ${ctx.state.events.length} events written to ${uri.toString(true)}.`);
    vscode.window.setStatusBarMessage("TTS Reasoner: trace exported", 4000);
  },

  openTrace: (ctx) => async (target?: unknown) => {
    const uri =
      target instanceof vscode.Uri
        ? target
        : (
            await vscode.window.showOpenDialog({
              title: "Open Trace",
              canSelectMany: false,
              filters: { "Trace (JSON lines)": ["jsonl", "json"], "All files": ["*"] },
            })
          )?.[0];
    if (!uri) return;
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
      ctx.runs.replay(parseTrace(text));
    } catch (e) {
      void vscode.window.showErrorMessage(
        `TTS Reasoner: could not open the trace ${uri.toString(true)}: ${e instanceof Error ? e.message : e}`,
      );
    }
  },

  cancel: (ctx) => () => {
    if (ctx.runs.running) ctx.runs.cancel();
    else vscode.window.setStatusBarMessage("TTS Reasoner: no run to cancel", 3000);
  },
  startServer: (ctx) => async () => {
    let url: string;
    try {
      url = await ctx.serve.start();
    } catch (e) {
      void ctx.showFailure(failureOf(e));
      return;
    }
    const pick = await vscode.window.showInformationMessage(
      `TTS Reasoner serves an OpenAI-compatible API at ${url}: point a client there and ask for a model such as tts/beam-16.`,
      "Copy URL",
      "Stop",
    );
    if (pick === "Copy URL") await vscode.env.clipboard.writeText(url);
    if (pick === "Stop") await vscode.commands.executeCommand("ttsReasoner.stopServer");
  },

  stopServer: (ctx) => async () => {
    const stopped = await ctx.serve.stop();
    void vscode.window.showInformationMessage(
      stopped ? "TTS Reasoner: the OpenAI-compatible server stopped." : "TTS Reasoner: no server is running.",
    );
  },
};

async function pickOrigin(ctx: Ctx, title: string, allowOther: boolean): Promise<string | undefined> {
  const withKeys = new Set(ctx.keys.origins());
  const origins = allowOther ? ctx.keyOrigins() : [...withKeys];
  if (!allowOther && !origins.length) {
    void vscode.window.showInformationMessage("TTS Reasoner: no API keys are stored.");
    return undefined;
  }
  const other = "$(add) Another origin…";
  const items: vscode.QuickPickItem[] = origins.map((o) => ({
    label: o,
    ...(withKeys.has(o) ? { description: "key set" } : {}),
  }));
  if (allowOther) items.push({ label: other });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: "Endpoint origin" });
  if (!picked) return undefined;
  if (picked.label !== other) return picked.label;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: "Origin of the endpoint (scheme, host and port), e.g. https://api.example.com",
    validateInput: (v) => (originOfInput(v) ? null : "Enter an http(s) URL"),
    ignoreFocusOut: true,
  });
  return typed ? (originOfInput(typed) ?? undefined) : undefined;
}

function originOfInput(v: string): string | null {
  try {
    const u = new URL(v.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** The settings, or null after telling the user what is wrong with them. */
function settingsOrFailure(ctx: Ctx): Settings | null {
  try {
    return ctx.settings();
  } catch (e) {
    void ctx.showFailure(failureOf(e));
    return null;
  }
}
