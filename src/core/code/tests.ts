// Tests a task brings with it: doctest examples and `f(x) == y` lines in a docstring or
// comment, top-level `assert` lines, a test file's assert statements, and the asserts a
// policy writes when asked for tests (CodeT). Each test is one statement that fails by raising.
import type { CodeLanguage, CodeTest, TestOrigin } from "./types.js";

type Draft = Omit<CodeTest, "id">;

/** The end of a call that opens at `start` (a `(`), brackets and strings matched; -1 if unclosed. */
function callEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

function equalityTest(language: CodeLanguage, call: string, expected: string, origin: TestOrigin): Draft {
  const source =
    language === "python" ? `assert ${call} == ${expected}` : `assert.deepStrictEqual(${call}, ${expected})`;
  return { source, origin };
}

const ARROW = /^\s*(?:==>|➞|=>|->|===|==|→|returns?\b|should return\b|is\b|\/\/\s*(?:=>|->|→)?)\s*/;

/**
 * Examples in a stub's documentation: `>>> f(x)` with the expected repr on the next lines, or
 * `f(x) == y` / `f(x) ➞ y` / `f(x) // => y` on one line.
 */
export function exampleTests(language: CodeLanguage, stub: string, entry: string): Draft[] {
  const out: Draft[] = [];
  const lines = stub.split("\n").map((l) => l.replace(/^\s*(?:\*|\/\/|#)?\s?/, "").trimEnd());
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const doctest = /^>>>\s*(.+)$/.exec(line);
    if (doctest && language === "python") {
      const expected: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!.trim();
        if (!next || next.startsWith(">>>") || next.startsWith('"""') || next.startsWith("'''")) break;
        expected.push(next.replace(/("""|''')$/, "").trim());
      }
      const want = expected.join(" ").trim();
      if (want && doctest[1]!.includes(`${entry}(`))
        out.push(equalityTest(language, doctest[1]!.trim(), want, "doctest"));
      continue;
    }
    // The signature itself (`def f(x) -> int:`) is not an example.
    if (/^(?:async\s+)?(?:def|function|const|let|var|export)\b/.test(line)) continue;
    const at = line.indexOf(`${entry}(`);
    if (at < 0 || (at > 0 && /[\w$.]/.test(line[at - 1]!))) continue;
    const end = callEnd(line, at + entry.length);
    if (end < 0) continue;
    const rest = line.slice(end);
    const arrow = ARROW.exec(rest);
    if (!arrow || !arrow[0].trim()) continue;
    const expected = rest
      .slice(arrow[0].length)
      .replace(/[.;,]\s*$/, "")
      .trim();
    if (!expected || /^(the|a|an)\b/i.test(expected)) continue;
    out.push(equalityTest(language, line.slice(at, end), expected, "doctest"));
  }
  return dedupe(out);
}

const PY_ASSERT = /^assert\b.+$/gm;
const JS_ASSERT = /^(?:assert(?:\.\w+)?\s*\(|console\.assert\s*\().+$/gm;

/** Top-level assert lines (no indentation) in the language: tests the user wrote beside the stub. */
export function assertTests(language: CodeLanguage, text: string, origin: TestOrigin = "assert"): Draft[] {
  const re = language === "python" ? PY_ASSERT : JS_ASSERT;
  return dedupe([...text.matchAll(re)].map((m) => ({ source: m[0].trimEnd(), origin })));
}

/** A test file's top-level assert statements (`--tests file`, or a file the user names). */
export function fileTests(language: CodeLanguage, text: string): Draft[] {
  return assertTests(language, text, "file");
}

/** The most generated tests kept from all test samples together. */
export const MAX_GENERATED_TESTS = 24;

/**
 * The asserts a policy wrote when asked for tests: lines that call the function, in or out of
 * a fence, indented or not (a `def test_…():` body counts too).
 */
export function generatedTests(
  language: CodeLanguage,
  responses: readonly string[],
  entry: string | null,
): Draft[] {
  const out: Draft[] = [];
  for (const response of responses) {
    const unindented = response
      .split("\n")
      .map((l) => l.trim())
      .join("\n");
    for (const t of assertTests(language, unindented, "generated"))
      if (!entry || t.source.includes(`${entry}(`)) out.push(t);
  }
  return dedupe(out).slice(0, MAX_GENERATED_TESTS);
}

function dedupe(tests: Draft[]): Draft[] {
  const seen = new Set<string>();
  return tests.filter((t) => {
    const key = t.source.replace(/\s+/g, "");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Numbers the tests: the user's `t1…`, the generated ones `g1…`, skipping generated duplicates of the user's. */
export function numberTests(user: readonly Draft[], generated: readonly Draft[]): CodeTest[] {
  const known = new Set(user.map((t) => t.source.replace(/\s+/g, "")));
  const fresh = generated.filter((t) => !known.has(t.source.replace(/\s+/g, "")));
  return [
    ...user.map((t, i) => ({ ...t, id: `t${i + 1}` })),
    ...fresh.map((t, i) => ({ ...t, id: `g${i + 1}` })),
  ];
}
