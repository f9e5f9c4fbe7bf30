// The code in a policy's response: a fenced block (the one that defines the function, else
// the last), or the completion of the stub (a body the model wrote after the signature).
import type { AnswerKey } from "../answer-key.js";
import type { CodeLanguage, CodeTask } from "./types.js";

const FENCES = /```[ \t]*([\w+-]*)[^\n]*\n([^]*?)(?:```|$)/g;
const FENCE_NAMES: Record<CodeLanguage, string[]> = {
  python: ["python", "py", "python3", ""],
  javascript: ["javascript", "js", "node", ""],
  typescript: ["typescript", "ts", "javascript", "js", ""],
};

function defines(language: CodeLanguage, code: string, entry: string): boolean {
  const name = entry.replace(/\$/g, "\\$");
  const re =
    language === "python"
      ? new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`, "m")
      : new RegExp(`(?:function\\s*\\*?\\s*${name}\\s*[<(]|(?:const|let|var)\\s+${name}\\b)`);
  return re.test(code);
}

/** The stub's lines before its function (imports, helpers): kept when the answer leaves them out. */
function preamble(language: CodeLanguage, stub: string, entry: string): string {
  const lines = stub.split("\n");
  const at = lines.findIndex((l) => defines(language, l, entry));
  return at > 0 ? lines.slice(0, at).join("\n").trim() : "";
}

function withPreamble(language: CodeLanguage, code: string, task: CodeTask): string {
  if (!task.stub || !task.entryPoint) return code;
  const head = preamble(language, task.stub, task.entryPoint);
  if (!head) return code;
  const missing = head.split("\n").filter((l) => /^\s*(?:from|import)\s/.test(l) && !code.includes(l.trim()));
  return missing.length ? `${missing.join("\n")}\n${code}` : code;
}

/** A body written after the stub: the stub, then the body indented under the function. */
function completeStub(language: CodeLanguage, stub: string, body: string): string {
  const trimmed = body.replace(/^\s*\n/, "").trimEnd();
  if (language !== "python") {
    const open = stub.replace(/\}\s*$/, "").trimEnd();
    return `${open}\n${trimmed}${/\}\s*$/.test(trimmed) ? "" : "\n}"}`;
  }
  const indented = /^[ \t]+\S/.test(trimmed)
    ? trimmed
    : trimmed
        .split("\n")
        .map((l) => (l.trim() ? `    ${l}` : l))
        .join("\n");
  return `${stub.trimEnd()}\n${indented}`;
}

/** The code a response proposes for the task; null when it holds none. */
export function extractCode(response: string, task: CodeTask): string | null {
  const { language, entryPoint: entry } = task;
  const names = FENCE_NAMES[language];
  const blocks = [...response.matchAll(FENCES)]
    .filter((m) => names.includes(m[1]!.toLowerCase()))
    .map((m) => m[2]!.replace(/\s+$/, ""))
    .filter((b) => b.trim());
  if (blocks.length) {
    const defining = entry ? blocks.filter((b) => defines(language, b, entry)) : [];
    const code = defining[defining.length - 1] ?? blocks[blocks.length - 1]!;
    if (entry && task.stub && !defines(language, code, entry)) return completeStub(language, task.stub, code);
    return withPreamble(language, code, task);
  }
  const text = response.replace(/\s+$/, "");
  if (!text.trim()) return null;
  if (entry && defines(language, text, entry)) {
    // Prose before the code: start at the first line of code.
    const lines = text.split("\n");
    const first = lines.findIndex((l) =>
      /^\s*(?:from|import|def|async|class|function|const|let|var|export|@)\b/.test(l),
    );
    return withPreamble(language, lines.slice(Math.max(0, first)).join("\n"), task);
  }
  return task.stub ? completeStub(language, task.stub, text) : null;
}

/** Code as majority-by-text compares it: trailing spaces and blank lines do not count. */
export function normalizeCode(code: string): string {
  return code
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .join("\n");
}

/** The answer key of a code run: the answer is the extracted code; equal text votes together. */
export function codeAnswerKey(task: CodeTask): AnswerKey {
  return {
    extract: (solution) => extractCode(solution, task),
    group: (answers) => answers.map(normalizeCode),
  };
}
