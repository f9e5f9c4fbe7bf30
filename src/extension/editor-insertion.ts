// Answers and solutions back into the editor the problem came from (or the clipboard), with the
// solution's step scores drawn inline; the problem's place is kept up to date through edits.
import * as vscode from "vscode";
import { DEFAULT_DELIMITER, joinSteps } from "../core/index.js";
import { currentAnswer, pathOf } from "../protocol.js";
import type { StepScores } from "./decorations.js";
import type { RunState } from "./run-state.js";
import { shiftOffset, stepSpans } from "./step-ranges.js";

/** Where the current problem was selected, so answers go back next to it. */
export interface ProblemAnchor {
  uri: vscode.Uri;
  /** Offset just after the problem's selection, kept up to date through edits. */
  offset: number;
  /** Offset of the selection's start (a code stub is replaced from here to `offset`). */
  start?: number;
  /** The editor's language id, for telling a code stub from a math problem. */
  languageId?: string;
}

export class EditorInsertion implements vscode.Disposable {
  /** Where the current run's problem was selected; null: typed, not selected. */
  anchor: ProblemAnchor | null = null;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: RunState,
    private readonly scores: StepScores,
  ) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => this.trackAnchor(e));
  }

  /** The problem of the current run when it was selected in `uri`, for scoring its solution. */
  problemOf(uri: vscode.Uri): string | null {
    return this.anchor?.uri.toString() === uri.toString() && this.state.problem ? this.state.problem : null;
  }

  async insertAnswer(nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const answer = view ? (nodeId ? pathOf(view, nodeId)?.answer : currentAnswer(view)) : null;
    if (!answer) {
      void vscode.window.showWarningMessage("TTS Reasoner: there is no answer to insert yet.");
      return;
    }
    // A code run's answer is code: it replaces the selected stub.
    if (view?.result?.code) await this.replaceStub(answer);
    else await this.insertNearProblem(`Answer: ${answer}`);
  }

  async insertSolution(nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const path = view ? pathOf(view, nodeId) : null;
    if (!view || !path?.steps.length) {
      void vscode.window.showWarningMessage("TTS Reasoner: there is no solution to insert yet.");
      return;
    }
    const delimiter = view.config?.delimiter ?? DEFAULT_DELIMITER;
    const body = joinSteps(path.steps, delimiter);
    const placed = await this.insertNearProblem(body);
    if (!placed || !path.stepScores) return;
    const spans = stepSpans(body, placed.offset, delimiter);
    const scores = path.stepScores;
    if (spans.length !== scores.length) return; // a step that holds the delimiter itself: no reliable mapping
    this.scores.set(
      placed.doc,
      spans.map((span, i) => ({
        start: span.start,
        end: span.end,
        score: scores[i]!,
        index: i + 1,
        count: spans.length,
        verifier: view.verifier ?? "none",
        aggregation: view.config?.aggregation ?? "last",
        ...(path.score !== undefined ? { pathScore: path.score } : {}),
      })),
    );
  }

  async copy(what: "answer" | "solution", nodeId: string | null): Promise<void> {
    const view = this.state.view;
    const path = view ? pathOf(view, nodeId) : null;
    const text =
      what === "answer"
        ? nodeId
          ? path?.answer
          : view && currentAnswer(view)
        : path && joinSteps(path.steps, view?.config?.delimiter ?? DEFAULT_DELIMITER);
    if (!text) {
      void vscode.window.showWarningMessage(`TTS Reasoner: there is no ${what} to copy yet.`);
      return;
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`TTS Reasoner: ${what} copied`, 3000);
  }

  /**
   * Inserts a paragraph after the problem's selection, or at the cursor of the active editor,
   * or into a new document. Returns where the text itself (without separating blank lines) went.
   */
  private async insertNearProblem(
    text: string,
  ): Promise<{ doc: vscode.TextDocument; offset: number } | null> {
    let editor: vscode.TextEditor | undefined;
    let offset: number;
    if (this.anchor) {
      const uri = this.anchor.uri.toString();
      const doc = await vscode.workspace.openTextDocument(this.anchor.uri);
      // Back into the editor the problem was selected in, not a new one beside the panel.
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      editor = await vscode.window.showTextDocument(doc, {
        viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
        preserveFocus: false,
        preview: false,
      });
      offset = Math.min(this.anchor.offset, doc.getText().length);
    } else if (vscode.window.activeTextEditor) {
      editor = vscode.window.activeTextEditor;
      offset = editor.document.offsetAt(editor.selection.end);
    } else {
      const doc = await vscode.workspace.openTextDocument({
        language: "markdown",
        content: this.state.problem,
      });
      editor = await vscode.window.showTextDocument(doc);
      offset = doc.getText().length;
    }
    const doc = editor.document;
    const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(offset)));
    const prefix =
      before.trim() === "" ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const ok = await editor.edit((b) => b.insert(doc.positionAt(offset), prefix + text));
    if (!ok) {
      void vscode.window.showErrorMessage(
        `TTS Reasoner: could not insert into ${doc.uri.fsPath || doc.uri.toString()}.`,
      );
      return null;
    }
    return { doc, offset: offset + prefix.length };
  }

  /** Replaces the selected stub with `code` in one edit (one undo step); below the problem when it has no start. */
  private async replaceStub(code: string): Promise<void> {
    const a = this.anchor;
    if (!a || a.start === undefined) {
      await this.insertNearProblem(code);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(a.uri);
    const shown = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === a.uri.toString(),
    );
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      preview: false,
    });
    const range = new vscode.Range(
      doc.positionAt(a.start),
      doc.positionAt(Math.min(a.offset, doc.getText().length)),
    );
    const ok = await editor.edit((b) => b.replace(range, code), {
      undoStopBefore: true,
      undoStopAfter: true,
    });
    if (!ok)
      void vscode.window.showErrorMessage(
        `TTS Reasoner: could not insert into ${doc.uri.fsPath || doc.uri.toString()}.`,
      );
  }

  private trackAnchor(e: vscode.TextDocumentChangeEvent): void {
    const a = this.anchor;
    if (!a || e.document.uri.toString() !== a.uri.toString()) return;
    for (const c of [...e.contentChanges].sort((x, y) => y.rangeOffset - x.rangeOffset)) {
      const change = { offset: c.rangeOffset, length: c.rangeLength, insertedLength: c.text.length };
      a.offset = shiftOffset(a.offset, change);
      if (a.start !== undefined) a.start = shiftOffset(a.start, change);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
