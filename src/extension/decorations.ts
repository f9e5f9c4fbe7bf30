// Inline step scores: one decoration type (GitLens's pattern) whose per-range `after` text shows
// each step's score at the end of its last line, coloured by band through contributed theme
// colours, with a hover that says where the score came from. Scores are kept per document in
// offsets, re-applied whenever an editor shows the document, and dropped for a step once it is
// edited (it is no longer the text that was scored).
import * as vscode from "vscode";
import { formatScore, SCORE_BAND_COLORS, scoreBand } from "../protocol.js";
import { applyEdit, type ScoredStep } from "./step-ranges.js";

export class StepScores implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: {
      margin: "0 0 0 2em",
      // The decoration API has no font-variant property; this is how GitLens-style annotations
      // get tabular digits so the scores line up.
      textDecoration: "none; font-variant-numeric: tabular-nums",
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly byDocument = new Map<string, ScoredStep[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.apply(e))),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    );
  }

  /** Sets the scored steps of a document (replacing those that overlap) and shows them. */
  set(doc: vscode.TextDocument, steps: ScoredStep[]): void {
    const key = doc.uri.toString();
    const kept = (this.byDocument.get(key) ?? []).filter(
      (old) => !steps.some((s) => s.start <= old.end && old.start <= s.end),
    );
    this.byDocument.set(
      key,
      [...kept, ...steps].sort((a, b) => a.start - b.start),
    );
    this.refresh(doc.uri);
  }

  get(uri: vscode.Uri): readonly ScoredStep[] {
    return this.byDocument.get(uri.toString()) ?? [];
  }

  clear(uri?: vscode.Uri): void {
    if (uri) this.forget(uri);
    else {
      const uris = [...this.byDocument.keys()];
      this.byDocument.clear();
      for (const e of vscode.window.visibleTextEditors)
        if (uris.includes(e.document.uri.toString())) e.setDecorations(this.type, []);
    }
    this.updateContext();
  }

  private forget(uri: vscode.Uri): void {
    if (!this.byDocument.delete(uri.toString())) return;
    this.refresh(uri);
  }

  private refresh(uri: vscode.Uri): void {
    for (const e of vscode.window.visibleTextEditors)
      if (e.document.uri.toString() === uri.toString()) this.apply(e);
    this.updateContext();
  }

  private apply(editor: vscode.TextEditor): void {
    const steps = this.byDocument.get(editor.document.uri.toString()) ?? [];
    editor.setDecorations(
      this.type,
      steps.map((s) => decorationFor(editor.document, s)),
    );
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    let steps = this.byDocument.get(key);
    if (!steps?.length || !e.contentChanges.length) return;
    const before = steps.length;
    // Changes arrive in an order where each offset refers to the document before all of them;
    // applying from the last offset back keeps the earlier ones valid.
    const changes = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const c of changes)
      steps = applyEdit(steps, {
        offset: c.rangeOffset,
        length: c.rangeLength,
        insertedLength: c.text.length,
      });
    this.byDocument.set(key, steps);
    // VS Code moves decorations with the text itself; redraw only when a score was dropped.
    if (steps.length !== before) this.refresh(e.document.uri);
  }

  private updateContext(): void {
    const any = [...this.byDocument.values()].some((s) => s.length > 0);
    void vscode.commands.executeCommand("setContext", "ttsReasoner.hasScores", any);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.type.dispose();
  }
}

function decorationFor(doc: vscode.TextDocument, s: ScoredStep): vscode.DecorationOptions {
  const end = doc.positionAt(s.end);
  const lineEnd = doc.lineAt(end.line).range.end;
  const band = scoreBand(s.score);
  const hover = new vscode.MarkdownString(undefined, false);
  hover.isTrusted = false;
  hover.supportHtml = false;
  hover.appendMarkdown(`**TTS Reasoner: step ${s.index} of ${s.count}**\n\n`);
  hover.appendMarkdown(`- score: \`${formatScore(s.score)}\` (${band})\n`);
  hover.appendMarkdown(`- raw score: \`${s.score}\`\n`);
  hover.appendMarkdown("- verifier: ");
  hover.appendText(s.verifier);
  hover.appendMarkdown(`\n- path aggregation: \`${s.aggregation}\``);
  if (s.pathScore !== undefined) hover.appendMarkdown(` → \`${formatScore(s.pathScore)}\``);
  hover.appendMarkdown("\n");
  return {
    range: new vscode.Range(lineEnd, lineEnd),
    hoverMessage: hover,
    renderOptions: {
      after: {
        contentText: `${bandGlyph[band]} ${formatScore(s.score)}`,
        color: new vscode.ThemeColor(SCORE_BAND_COLORS[band]),
      },
    },
  };
}

// A glyph per band so the band reads without colour too (colour-blind users, high contrast).
const bandGlyph = { high: "●", medium: "◐", low: "○" } as const;
