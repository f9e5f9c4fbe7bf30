// markdown-it rules that cut math out of model text before markdown touches it, so `\(`, `_` and
// `*` inside formulas are not read as escapes or emphasis: `$…$` and `\(…\)` inline, `$$…$$` and
// `\[…\]` as display math, inline or on lines of their own.
import type { MarkdownIt, StateBlock, StateInline } from "markdown-it";

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

function findClose(src: string, from: number, close: string): number {
  for (let i = src.indexOf(close, from); i >= 0; i = src.indexOf(close, i + 1)) {
    // An escaped delimiter (\$) does not close.
    let backslashes = 0;
    for (let j = i - 1; j >= from && src.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (close.startsWith("\\") || backslashes % 2 === 0) return i;
  }
  return -1;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  const c = src.charCodeAt(pos);
  let open: string;
  let close: string;
  let display: boolean;
  if (c === DOLLAR) {
    if (src.charCodeAt(pos + 1) === DOLLAR) [open, close, display] = ["$$", "$$", true];
    else [open, close, display] = ["$", "$", false];
  } else if (c === BACKSLASH) {
    const next = src[pos + 1];
    if (next === "(") [open, close, display] = ["\\(", "\\)", false];
    else if (next === "[") [open, close, display] = ["\\[", "\\]", true];
    else return false;
  } else return false;

  const start = pos + open.length;
  if (open === "$") {
    // Pandoc's rule: `$` opens only before non-space, so prices like "$5 and $6" stay text.
    const after = src[start];
    if (after === undefined || /\s/.test(after)) return false;
  }
  const end = findClose(src, start, close);
  if (end < 0 || end > state.posMax) return false;
  const content = src.slice(start, end);
  if (!content.trim()) return false;
  if (open === "$" && (/\s/.test(src[end - 1]!) || /\d/.test(src[end + 1] ?? ""))) return false;
  if (!silent) {
    const token = state.push(display ? "math_display" : "math_inline", "math", 0);
    token.content = content;
    token.markup = open;
  }
  state.pos = end + close.length;
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const begin = state.bMarks[startLine]! + state.tShift[startLine]!;
  const lineEnd = state.eMarks[startLine]!;
  const first = state.src.slice(begin, lineEnd);
  const open = first.startsWith("$$") ? "$$" : first.startsWith("\\[") ? "\\[" : null;
  if (!open) return false;
  const close = open === "$$" ? "$$" : "\\]";
  // Only a block when the opening line holds nothing but the formula's start.
  let content = "";
  let line = startLine;
  const rest = first.slice(open.length);
  let at = rest.indexOf(close);
  if (at >= 0) {
    if (rest.slice(at + close.length).trim()) return false;
    content = rest.slice(0, at);
  } else {
    const parts = [rest];
    for (line = startLine + 1; line < endLine; line++) {
      const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
      at = text.indexOf(close);
      if (at >= 0) {
        if (text.slice(at + close.length).trim()) return false;
        parts.push(text.slice(0, at));
        break;
      }
      parts.push(text);
    }
    if (line >= endLine) return false;
    content = parts.join("\n");
  }
  if (!content.trim()) return false;
  if (silent) return true;
  const token = state.push("math_display", "math", 0);
  token.block = true;
  token.content = content;
  token.markup = open;
  token.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

export function mathSyntax(md: MarkdownIt): void {
  md.inline.ruler.before("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, {
    alt: ["paragraph", "reference", "blockquote", "list"],
  });
}
