// A step's one-line preview for the search rows: its math typeset like the path view's, cut to
// one line between tokens so no formula is ever cut in half. Every row of a panel draws from one
// budget of formulas and characters, so a tree of any size renders in bounded time; rows past
// the budget show plain text until the person asks for more.
import type { Token } from "markdown-it";
import { parseInline, plainLine, renderMath, type FormulaBudget } from "./rich-text.js";

/** Characters a preview shows before it is cut (formulas count half their source: a rough width). */
export const PREVIEW_CHARS = 160;
/** Formulas all the rows of one panel may typeset before the rest show as plain text. */
export const PREVIEW_FORMULAS = 600;
/** Preview characters all the rows of one panel may draw as rich text. */
export const PREVIEW_TOTAL_CHARS = 60_000;

/** What is left of one panel's preview allowance: `left` formulas, `chars` characters. */
export interface PreviewBudget extends FormulaBudget {
  chars: number;
}

export function previewBudget(): PreviewBudget {
  return { left: PREVIEW_FORMULAS, chars: PREVIEW_TOTAL_CHARS };
}

/** What one preview took from the budget, so redrawing the row can give it back. */
export interface PreviewCost {
  formulas: number;
  chars: number;
  /** True when the row fell back to plain text because the budget was spent. */
  plain: boolean;
}

/** The parts of a markdown-it token a preview reads. */
type Piece = Pick<Token, "type" | "tag" | "nesting" | "content">;

const isMath = (t: Piece): boolean => t.type === "math_inline" || t.type === "math_display";

/** How wide a formula reads, in characters of text. */
const mathWidth = (tex: string): number => Math.max(1, Math.ceil(tex.length / 2));

/** Renders `text`'s preview into `into` (replacing it); returns what it cost. */
export function renderPreview(into: HTMLElement, text: string, budget: PreviewBudget): PreviewCost {
  into.replaceChildren();
  const source = previewSource(text);
  const tokens = parseInline(plainLine(source, Number.MAX_SAFE_INTEGER));
  const line = tokens && oneLine(tokens);
  if (line && source.length < text.length) line.cut = true;
  const formulas = line?.tokens.filter(isMath).length ?? 0;
  const chars = line ? PREVIEW_CHARS - line.room : 0;
  if (!line || formulas > budget.left || chars > budget.chars) {
    into.textContent = plainLine(text, PREVIEW_CHARS);
    return { formulas: 0, chars: 0, plain: line !== null };
  }
  budget.left -= formulas;
  budget.chars -= chars;
  // The formulas are paid for above; the renderer's own allowance only guards its loop.
  appendTokens(into, line.tokens, { left: formulas });
  if (line.cut) into.appendChild(into.ownerDocument.createTextNode("…"));
  return { formulas, chars, plain: false };
}

/** Source characters a preview parses at least before it may stop at a paragraph break. */
const PREVIEW_SOURCE = 8 * PREVIEW_CHARS;

/**
 * The start of `text` a one-line preview needs: whole paragraphs up to the first blank line past
 * PREVIEW_SOURCE characters (a line of PREVIEW_CHARS never reaches that far), so a whole
 * 10,000-step solution is not parsed for its first line, and no formula is cut (none spans a
 * blank line in the rendered step).
 */
function previewSource(text: string): string {
  if (text.length <= PREVIEW_SOURCE) return text;
  const at = text.indexOf("\n\n", PREVIEW_SOURCE);
  return at < 0 ? text : text.slice(0, at);
}

/** Gives a preview's cost back to the budget (its row is about to be redrawn). */
export function refund(budget: PreviewBudget, cost: PreviewCost): void {
  budget.left += cost.formulas;
  budget.chars += cost.chars;
}

const textOf = (t: Piece): string =>
  t.type === "image" ? `[image: ${t.content}]` : t.type.endsWith("break") ? " " : t.content;

/**
 * The tokens that fit on one line of PREVIEW_CHARS: whole tokens, then the start of the first
 * text token that does not fit; a formula that does not fit ends the line before it.
 */
function oneLine(tokens: readonly Piece[]): { tokens: Piece[]; cut: boolean; room: number } {
  const kept: Piece[] = [];
  let room = PREVIEW_CHARS;
  for (const t of tokens) {
    if (t.nesting !== 0) {
      kept.push(t);
      continue;
    }
    const width = isMath(t) ? mathWidth(t.content) : textOf(t).length;
    if (width <= room) {
      kept.push(t);
      room -= width;
      continue;
    }
    if (!isMath(t) && room > 1) {
      const type = t.type === "code_inline" ? t.type : "text";
      kept.push({ type, tag: "", nesting: 0, content: textOf(t).slice(0, room - 1) });
      room = 1;
    }
    return { tokens: kept, cut: true, room };
  }
  return { tokens: kept, cut: false, room };
}

function appendTokens(into: HTMLElement, tokens: readonly Piece[], budget: FormulaBudget): void {
  const doc = into.ownerDocument;
  const stack: HTMLElement[] = [into];
  const top = (): HTMLElement => stack[stack.length - 1]!;
  for (const t of tokens) {
    if (isMath(t)) renderMath(top(), t.content, false, budget);
    else if (t.nesting === 1) {
      const el = doc.createElement(["em", "strong", "s"].includes(t.tag) ? t.tag : "span");
      top().appendChild(el);
      stack.push(el);
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else if (t.type === "code_inline") {
      const code = doc.createElement("code");
      code.textContent = t.content;
      top().appendChild(code);
    } else if (textOf(t)) top().appendChild(doc.createTextNode(textOf(t)));
  }
}
