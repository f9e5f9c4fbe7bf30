// A small highlighter for the chosen code: comments, strings, numbers and keywords of Python
// and JavaScript as spans. Model output becomes text nodes only, never HTML.
const KEYWORDS: Record<string, ReadonlySet<string>> = {
  python: new Set(
    "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
      " ",
    ),
  ),
  javascript: new Set(
    "async await break case catch class const continue default delete do else export extends false finally for function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while yield".split(
      " ",
    ),
  ),
};

const TOKEN =
  /(#[^\n]*|\/\/[^\n]*|\/\*[^]*?\*\/|"""[^]*?"""|'''[^]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|\b\d+(?:\.\d+)?\b|\b[A-Za-z_$][\w$]*\b)/g;

export type TokenKind = "comment" | "string" | "number" | "keyword" | null;

/** The code cut into [text, kind] pieces; joining the texts gives the code back. */
export function tokens(code: string, language: string): [string, TokenKind][] {
  const lang = language === "python" ? "python" : "javascript";
  const out: [string, TokenKind][] = [];
  let at = 0;
  for (const m of code.matchAll(TOKEN)) {
    const t = m[0];
    if (lang === "python" && (t.startsWith("//") || t.startsWith("/*") || t.startsWith("`"))) continue;
    if (lang === "javascript" && (t.startsWith("#") || t.startsWith('"""') || t.startsWith("'''"))) continue;
    if (m.index! < at) continue;
    const kind: TokenKind = /^(#|\/\/|\/\*)/.test(t)
      ? "comment"
      : /^["'`]/.test(t)
        ? "string"
        : /^\d/.test(t)
          ? "number"
          : KEYWORDS[lang]!.has(t)
            ? "keyword"
            : null;
    if (!kind) continue;
    if (m.index! > at) out.push([code.slice(at, m.index), null]);
    out.push([t, kind]);
    at = m.index! + t.length;
  }
  if (at < code.length) out.push([code.slice(at), null]);
  return out;
}

/** A `<pre><code>` of the code with highlighted spans (text nodes only). */
export function highlighted(doc: Document, code: string, language: string): HTMLElement {
  const pre = doc.createElement("pre");
  pre.className = "code-block";
  const el = doc.createElement("code");
  for (const [text, kind] of tokens(code, language)) {
    if (!kind) el.append(doc.createTextNode(text));
    else {
      const span = doc.createElement("span");
      span.className = `tok-${kind}`;
      span.textContent = text;
      el.append(span);
    }
  }
  pre.append(el);
  return pre;
}
