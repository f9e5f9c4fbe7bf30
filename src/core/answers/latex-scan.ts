// Bracket-aware scanning of LaTeX answer strings. Every function here is linear in its input.

const OPEN = new Set(["{", "(", "["]);
const CLOSE = new Set(["}", ")", "]"]);

/**
 * The index of the `}` that closes the `{` at `open`, or -1 when the braces never balance.
 * Escaped braces (`\{`, `\}`) do not count.
 */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The deepest nesting of `{}`, `()`, `[]` (and `\{ \}`), counting unbalanced openers too. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    let ch = text[i]!;
    if (ch === "\\") {
      const next = text[i + 1];
      if (next !== "{" && next !== "}") continue;
      ch = next;
      i++;
    }
    if (OPEN.has(ch)) max = Math.max(max, ++depth);
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
  }
  return max;
}

/**
 * Splits `text` at every top-level occurrence of one of `separators` (outside any bracket pair;
 * `(` and `[` may close with either `)` or `]`, as intervals do). Separators that are commands
 * (`\cup`) only match whole. Returns the pieces, trimmed.
 */
export function splitTopLevel(text: string, separators: readonly string[]): string[] {
  return scanTopLevel(text, separators).parts;
}

/** As splitTopLevel, also returning which separator stood between each pair of pieces. */
export function scanTopLevel(
  text: string,
  separators: readonly string[],
): { parts: string[]; found: string[] } {
  const parts: string[] = [];
  const found: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (depth === 0) {
      const sep = separatorAt(text, i, separators);
      if (sep) {
        parts.push(text.slice(start, i).trim());
        found.push(sep);
        start = i + sep.length;
        i = start - 1;
        continue;
      }
    }
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === "{") depth++;
      else if (next === "}") depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
  }
  parts.push(text.slice(start).trim());
  return { parts, found };
}

function separatorAt(text: string, i: number, separators: readonly string[]): string | null {
  for (const sep of separators) {
    if (!text.startsWith(sep, i)) continue;
    // `\cup` must not match `\cupcake`; ` and ` style separators carry their own spaces.
    if (/^\\[a-zA-Z]+$/.test(sep) && /[a-zA-Z]/.test(text[i + sep.length] ?? "")) continue;
    return sep;
  }
  return null;
}

/**
 * When the whole of `text` is one bracket pair, its opening and closing characters and the
 * inside; otherwise null. `(` and `[` may close with `)` or `]` (intervals); `\{` closes with `\}`.
 */
export function outerBrackets(text: string): { open: string; close: string; inner: string } | null {
  if (text.startsWith("\\{") && text.endsWith("\\}")) {
    return closesAtEnd(text, 2, 2) ? { open: "\\{", close: "\\}", inner: text.slice(2, -2) } : null;
  }
  const open = text[0];
  const close = text[text.length - 1];
  if (!open || !close || text.length < 2) return null;
  const pairs =
    open === "{" ? close === "}" : (open === "(" || open === "[") && (close === ")" || close === "]");
  if (!pairs) return null;
  return closesAtEnd(text, 1, 1) ? { open, close, inner: text.slice(1, -1) } : null;
}

/** True when the opener at the start of `text` is closed only by its last `closeLen` characters. */
function closesAtEnd(text: string, openLen: number, closeLen: number): boolean {
  let depth = 1;
  for (let i = openLen; i < text.length - closeLen; i++) {
    const ch = text[i]!;
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === "{") depth++;
      else if (next === "}") depth--;
      i++;
    } else if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch)) depth--;
    if (depth === 0) return false;
  }
  return depth === 1;
}

/**
 * `text` without trailing `.`, `,`, `;` (also escaped: `\\,` is a LaTeX space) and whitespace.
 * A loop from the end: the regex `/(\\?[.,;])+$/` is quadratic on a long run of dots.
 */
export function trimTrailingPunctuation(text: string): string {
  let end = text.length;
  for (;;) {
    while (end > 0 && /\s/.test(text[end - 1]!)) end--;
    const ch = text[end - 1];
    if (ch !== "." && ch !== "," && ch !== ";") break;
    end -= text[end - 2] === "\\" ? 2 : 1;
  }
  return text.slice(0, end);
}

/** `text` without leading and trailing runs of `ch` (a loop: `/ch+$/` backtracks on long runs). */
export function trimRuns(text: string, ch: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === ch) start++;
  while (end > start && text[end - 1] === ch) end--;
  return text.slice(start, end);
}
