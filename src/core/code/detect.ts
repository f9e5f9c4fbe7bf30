// Is a selection a function to write? From the editor's language and the text: a Python `def`
// with a docstring (or a comment above it), a JS/TS function with a JSDoc or line comment, a
// fenced code task, or a sentence that asks for a function. Anything else stays math.
import { assertTests, exampleTests } from "./tests.js";
import type { CodeLanguage, CodeTask, ProblemKind } from "./types.js";

/** VS Code language ids (and fence names) of the languages code problems support. */
const LANGUAGE_IDS: Record<string, CodeLanguage> = {
  python: "python",
  py: "python",
  javascript: "javascript",
  js: "javascript",
  javascriptreact: "javascript",
  jsx: "javascript",
  typescript: "typescript",
  ts: "typescript",
  typescriptreact: "typescript",
  tsx: "typescript",
};

export function codeLanguageOf(id: string | undefined | null): CodeLanguage | null {
  return (id && LANGUAGE_IDS[id.toLowerCase()]) || null;
}

const PY_DEF = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm;
const PY_DOC = /^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\([^]*?\)[^:\n]*:[ \t]*\n[ \t]*[rRbBuU]?("""|''')/m;
const JS_FN =
  /^[ \t]*(?:export[ \t]+)?(?:async[ \t]+)?(?:function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)[ \t]*[<(]|(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=]+)?=[ \t]*(?:async[ \t]*)?(?:function\b|\([^)]*\)[^=]*=>|[A-Za-z_$][\w$]*[ \t]*=>))/gm;
const COMMENT_BEFORE =
  /(^|\n)[ \t]*(\/\*\*?[^]*?\*\/|(?:\/\/[^\n]*\n[ \t]*)+|(?:#[^\n]*\n[ \t]*)+)[ \t]*(?=(?:export[ \t]+)?(?:async[ \t]+)?(?:def|function|const|let|var)\b)/;
const FENCE = /```[ \t]*([\w+-]*)[ \t]*\n([^]*?)```/;
const ASKS_FOR_FUNCTION =
  /\b(write|implement|create|define|complete|code)\b[^.?!\n]{0,80}\b(function|method|program|script)\b/i;

function lastMatch(re: RegExp, text: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(re)) last = m as RegExpExecArray;
  return last;
}

function pythonEntry(text: string): string | null {
  return lastMatch(PY_DEF, text)?.[1] ?? null;
}

function jsEntry(text: string): string | null {
  const m = lastMatch(JS_FN, text);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function entryOf(language: CodeLanguage, text: string): string | null {
  return language === "python" ? pythonEntry(text) : jsEntry(text);
}

/** A stub: a function with its documentation, in the given language; null when the text is not one. */
function stubOf(language: CodeLanguage, text: string): string | null {
  if (language === "python") {
    if (!pythonEntry(text)) return null;
    return PY_DOC.test(text) || COMMENT_BEFORE.test(text) ? text : null;
  }
  if (!jsEntry(text)) return null;
  return COMMENT_BEFORE.test(text) || /\{\s*(\/\/[^\n]*\s*|\/\*[^]*?\*\/\s*)*\}?\s*$/.test(text)
    ? text
    : null;
}

/** A function name a statement asks for: `named foo`, `called foo` or a backquoted `foo`. */
function namedIn(text: string): string | null {
  return (
    /\b(?:named|called)\s+`?([A-Za-z_$][\w$]*)`?/.exec(text)?.[1] ??
    /`([A-Za-z_$][\w$]*)(?:\([^`]*\))?`/.exec(text)?.[1] ??
    /^\s*assert\s+(?:not\s+)?\(?\s*(?:set\(|sorted\(|math\.isclose\()?([A-Za-z_]\w*)\(/m.exec(text)?.[1] ??
    null
  );
}

function task(language: CodeLanguage, source: string, stub: string | null, entry: string | null): CodeTask {
  const tests = [
    ...(stub && entry ? exampleTests(language, stub, entry) : []),
    ...assertTests(language, source),
  ];
  return {
    language,
    source,
    entryPoint: entry,
    stub,
    tests: tests.map((t, i) => ({ ...t, id: `t${i + 1}` })),
  };
}

export interface KindHint {
  /** The editor's language id (`python`, `javascript`, `markdown`, …). */
  languageId?: string | null;
  /** Set by `--kind` or the panel: skips the guess. */
  kind?: ProblemKind;
}

/**
 * The problem kind of a selection, and for code the task: its language, the stub or statement,
 * the function's name and the tests the text itself gives.
 */
export function detectProblem(
  text: string,
  hint: KindHint = {},
): { kind: "math" } | { kind: "code"; task: CodeTask } {
  if (hint.kind === "math") return { kind: "math" };
  const editorLanguage = codeLanguageOf(hint.languageId);
  const fence = FENCE.exec(text);
  if (fence) {
    const language = codeLanguageOf(fence[1]) ?? editorLanguage ?? "python";
    const body = fence[2]!.replace(/\s+$/, "");
    const entry = entryOf(language, body);
    if (entry || hint.kind === "code")
      return { kind: "code", task: task(language, text, entry ? body : null, entry) };
  }
  const trimmed = text.replace(/^\s*\n|\s+$/g, "");
  if (editorLanguage) {
    const stub = stubOf(editorLanguage, trimmed);
    if (stub)
      return { kind: "code", task: task(editorLanguage, trimmed, stub, entryOf(editorLanguage, stub)) };
  } else {
    // Not a code editor: a stub in either language still reads as code.
    for (const language of ["python", "javascript"] as const) {
      const stub = stubOf(language, trimmed);
      if (stub) return { kind: "code", task: task(language, trimmed, stub, entryOf(language, stub)) };
    }
  }
  const mathy = /\\boxed|\$[^$]+\$|\\frac|\\\(/.test(text);
  if (hint.kind === "code" || (!mathy && ASKS_FOR_FUNCTION.test(text))) {
    const language =
      editorLanguage ?? (/\bjavascript\b|\bnode\b|\bjs\b/i.test(text) ? "javascript" : "python");
    const entry = entryOf(language, trimmed) ?? namedIn(trimmed);
    const stub = entryOf(language, trimmed) ? trimmed : null;
    return { kind: "code", task: task(language, trimmed, stub, entry) };
  }
  return { kind: "math" };
}
