// Where the steps of a written solution are in a document, and how those places move when the
// document is edited. Offsets, not positions, so this is pure and the editor converts at the end.

/** One step: document offsets of its trimmed text (end exclusive). */
export interface StepSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * The delimiter as a pattern over editor text: a blank-line delimiter also matches blank lines
 * holding spaces and CRLF line ends, as people write them.
 */
function delimiterPattern(delimiter: string): RegExp {
  if (/^\s*$/.test(delimiter) && (delimiter.match(/\n/g)?.length ?? 0) >= 2) return /\r?\n(?:[ \t]*\r?\n)+/g;
  const literal = delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\n/g, "\\r?\\n");
  return new RegExp(literal, "g");
}

/** Splits `text`, which starts at document offset `base`, into its non-empty steps. */
export function stepSpans(text: string, base: number, delimiter: string): StepSpan[] {
  const spans: StepSpan[] = [];
  const pieces: [number, number][] = [];
  if (!delimiter) pieces.push([0, text.length]);
  else {
    const re = delimiterPattern(delimiter);
    let from = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      pieces.push([from, m.index]);
      from = m.index + m[0].length;
    }
    pieces.push([from, text.length]);
  }
  for (const [a, b] of pieces) {
    const piece = text.slice(a, b);
    const lead = piece.length - piece.trimStart().length;
    const trimmed = piece.trim();
    if (!trimmed) continue;
    spans.push({ start: base + a + lead, end: base + a + lead + trimmed.length, text: trimmed });
  }
  return spans;
}

const PROBLEM_LABEL = /^(?:\*\*)?(?:problem|question)(?:\*\*)?\s*[:.](?:\*\*)?\s*/i;

/**
 * A selection may begin with its problem ("Problem: …" or "Question: …"); the rest are the
 * steps. Returns the problem text (label removed) or null when the selection has none.
 */
export function problemAndSteps(spans: readonly StepSpan[]): { problem: string | null; steps: StepSpan[] } {
  const first = spans[0];
  if (first && PROBLEM_LABEL.test(first.text)) {
    const problem = first.text.replace(PROBLEM_LABEL, "").trim();
    return { problem: problem || null, steps: spans.slice(1) };
  }
  return { problem: null, steps: [...spans] };
}

/** A scored step in a document, with what its hover says. */
export interface ScoredStep {
  start: number;
  end: number;
  score: number;
  /** 1-based position of the step in its solution, and the solution's length. */
  index: number;
  count: number;
  verifier: string;
  aggregation: string;
  /** The solution's aggregated score, where known. */
  pathScore?: number;
}

/** One edit of a document, as VS Code reports it (`rangeOffset`, `rangeLength`, new text length). */
export interface Edit {
  offset: number;
  length: number;
  insertedLength: number;
}

/**
 * The scored steps after an edit: a step the edit touches loses its score (it is no longer the
 * text that was scored); steps after the edit move with it.
 */
export function applyEdit(steps: readonly ScoredStep[], edit: Edit): ScoredStep[] {
  const editEnd = edit.offset + edit.length;
  const delta = edit.insertedLength - edit.length;
  const out: ScoredStep[] = [];
  for (const s of steps) {
    if (editEnd < s.start) out.push({ ...s, start: s.start + delta, end: s.end + delta });
    else if (edit.offset > s.end) out.push(s);
    // otherwise the edit touches the step (typing at its very end included): drop its score
  }
  return out;
}

/** An offset after an edit: moved by edits before it; an edit across it leaves it at the edit's end. */
export function shiftOffset(offset: number, edit: Edit): number {
  const editEnd = edit.offset + edit.length;
  if (editEnd <= offset) return offset + edit.insertedLength - edit.length;
  if (edit.offset < offset) return edit.offset + edit.insertedLength;
  return offset;
}

/** The last non-blank paragraph of `text`: the problem a solution below it most likely solves. */
export function paragraphBefore(text: string): string {
  const paragraphs = text.split(/\r?\n(?:[ \t]*\r?\n)+/).map((p) => p.trim());
  for (let i = paragraphs.length - 1; i >= 0; i--) if (paragraphs[i]) return paragraphs[i]!;
  return "";
}
