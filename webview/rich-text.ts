// Model text into DOM, never through HTML. markdown-it (HTML off) only parses; this file builds
// the nodes itself from an allowlist of elements, puts every piece of text in with textContent,
// and renders math with KaTeX straight into DOM (`katex.render`, trust off, size limits), which
// also keeps the strict style-src CSP intact (KaTeX sets styles through CSSOM, not attributes).
import katex from "katex";
import MarkdownItCtor from "markdown-it";
import type { Token } from "markdown-it";
import { mathSyntax } from "./math-syntax.js";

/** Formulas longer than this are shown as source: a model can write anything. */
export const MAX_TEX_CHARS = 4000;
/**
 * Formulas one panel render may typeset (a whole path's steps and its answer share it); the
 * rest show as source, so no solution, however many steps it has, can stall the panel.
 */
export const MAX_FORMULAS = 300;
/** Text longer than this is cut, with a note saying how much was left out. */
export const MAX_TEXT_CHARS = 200_000;

export const KATEX_OPTIONS = {
  // KaTeX's own error rendering sets a style attribute, which the CSP refuses: a formula it
  // cannot parse throws instead, and is shown as source by `renderMath`.
  throwOnError: true,
  trust: false,
  strict: "ignore",
  maxSize: 20,
  maxExpand: 500,
  output: "htmlAndMathml",
} as const;

const md = new MarkdownItCtor({ html: false, linkify: false, typographer: false, breaks: false }).use(
  mathSyntax,
);

/** Block and inline elements the renderer may create; any other tag becomes a span. */
const ALLOWED_TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "em",
  "strong",
  "s",
  "code",
  "pre",
  "hr",
  "br",
  "span",
]);

function element(doc: Document, tag: string, className?: string): HTMLElement {
  const el = doc.createElement(ALLOWED_TAGS.has(tag) ? tag : "span");
  if (className) el.className = className;
  return el;
}

/** What is left of one panel render's formula allowance; pass one to every text of the render. */
export interface FormulaBudget {
  left: number;
}

export function formulaBudget(): FormulaBudget {
  return { left: MAX_FORMULAS };
}

/** Renders a formula into `into`; on any failure shows its source as text. */
export function renderMath(
  into: HTMLElement,
  tex: string,
  display: boolean,
  budget: FormulaBudget = formulaBudget(),
): void {
  const doc = into.ownerDocument;
  const holder = element(doc, "span", display ? "math math-display" : "math math-inline");
  into.appendChild(holder);
  if (tex.length > MAX_TEX_CHARS || budget.left <= 0) {
    holder.classList.add("math-source");
    holder.textContent = tex;
    holder.title =
      tex.length > MAX_TEX_CHARS
        ? `Formula of ${tex.length} characters shown as source`
        : `More than ${MAX_FORMULAS} formulas: shown as source`;
    return;
  }
  budget.left--;
  try {
    katex.render(tex, holder, { ...KATEX_OPTIONS, displayMode: display });
  } catch {
    holder.replaceChildren();
    holder.classList.add("math-source");
    holder.textContent = tex;
  }
}

function renderInline(parent: HTMLElement, children: readonly Token[], budget: FormulaBudget): void {
  const doc = parent.ownerDocument;
  const stack: HTMLElement[] = [parent];
  const top = (): HTMLElement => stack[stack.length - 1]!;
  for (const t of children) {
    switch (t.type) {
      case "text":
      case "text_special":
        top().appendChild(doc.createTextNode(t.content));
        break;
      case "softbreak":
        top().appendChild(doc.createTextNode("\n"));
        break;
      case "hardbreak":
        top().appendChild(element(doc, "br"));
        break;
      case "code_inline": {
        const code = element(doc, "code");
        code.textContent = t.content;
        top().appendChild(code);
        break;
      }
      case "math_inline":
      case "math_display":
        renderMath(top(), t.content, t.type === "math_display", budget);
        break;
      case "link_open": {
        // Links are not followed from the panel: the text stays, the target is shown on hover.
        const span = element(doc, "span", "md-link");
        const href = t.attrGet("href");
        if (href) span.title = String(href);
        top().appendChild(span);
        stack.push(span);
        break;
      }
      case "image": {
        const span = element(doc, "span", "md-image");
        span.textContent = `[image: ${t.content || t.attrGet("src") || ""}]`;
        top().appendChild(span);
        break;
      }
      default:
        if (t.nesting === 1) {
          const el = element(doc, t.tag);
          top().appendChild(el);
          stack.push(el);
        } else if (t.nesting === -1) {
          if (stack.length > 1) stack.pop();
        } else if (t.content) top().appendChild(doc.createTextNode(t.content));
    }
  }
}

function renderBlocks(parent: HTMLElement, tokens: readonly Token[], budget: FormulaBudget): void {
  const doc = parent.ownerDocument;
  const stack: HTMLElement[] = [parent];
  const top = (): HTMLElement => stack[stack.length - 1]!;
  for (const t of tokens) {
    if (t.type === "inline") {
      renderInline(top(), t.children ?? [], budget);
      continue;
    }
    if (t.type === "math_display") {
      renderMath(top(), t.content, true, budget);
      continue;
    }
    if (t.type === "fence" || t.type === "code_block") {
      const pre = element(doc, "pre");
      const code = element(doc, "code");
      code.textContent = t.content;
      pre.appendChild(code);
      top().appendChild(pre);
      continue;
    }
    if (t.type === "hr") {
      top().appendChild(element(doc, "hr"));
      continue;
    }
    if (t.nesting === 1) {
      // Tight list items wrap their text in hidden paragraphs; keep them inline.
      const el = t.hidden ? element(doc, "span") : element(doc, t.tag);
      if (t.type === "ordered_list_open") {
        const start = Number(t.attrGet("start"));
        if (Number.isInteger(start) && start > 1) el.setAttribute("start", String(start));
      }
      top().appendChild(el);
      stack.push(el);
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else if (t.content) {
      top().appendChild(doc.createTextNode(t.content));
    }
  }
}

/**
 * Renders model text (markdown with math) into `into`, replacing what was there. Texts drawn
 * together (the steps of a path) pass one budget; without one the text gets its own.
 */
export function renderRichText(
  into: HTMLElement,
  text: string,
  budget: FormulaBudget = formulaBudget(),
): void {
  into.replaceChildren();
  into.classList.add("rich-text");
  const clipped = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
  let tokens: Token[];
  try {
    tokens = md.parse(clipped, {});
  } catch {
    into.textContent = clipped;
    return;
  }
  renderBlocks(into, tokens, budget);
  if (clipped.length < text.length) {
    const note = element(into.ownerDocument, "p", "clipped-note");
    note.textContent = `… ${text.length - clipped.length} more characters not shown.`;
    into.appendChild(note);
  }
}

/** An answer as written by a model (usually LaTeX without delimiters), rendered as inline math. */
export function renderAnswer(
  into: HTMLElement,
  answer: string,
  budget: FormulaBudget = formulaBudget(),
): void {
  into.replaceChildren();
  renderMath(into, answer, false, budget);
}

/** Model text parsed as one paragraph's inline tokens (math cut out first); null if it fails. */
export function parseInline(text: string): Token[] | null {
  try {
    return md.parseInline(text, {})[0]?.children ?? [];
  } catch {
    return null;
  }
}

/** One line of plain text for compact rows: whitespace folded, cut to `max` characters. */
export function plainLine(text: string, max = 160): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
