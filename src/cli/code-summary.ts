// How `solve --kind code` reports a code run: the chosen code on stdout, and on stderr a test
// summary (each candidate's tests passed and its first failure); `codeJson` for --json.
import { extname } from "node:path";
import type { CodeOutcome } from "../core/index.js";
import { safeText } from "./view-text.js";

/** The editor language id of a file, from its extension (for `--file stub.py`). */
export function languageOfFile(path: string | undefined): string | null {
  const ext = path ? extname(path).toLowerCase() : "";
  return (
    { ".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".ts": "typescript" }[
      ext
    ] ?? null
  );
}

export function codeSummary(code: CodeOutcome): string {
  const given = code.tests.filter((t) => t.origin !== "generated").length;
  const lines = [`Tests: ${given} given, ${code.tests.length - given} generated.`];
  for (const c of code.candidates) {
    const mark = c.parseError !== undefined ? "✗ parse" : c.failed === 0 ? "✓" : "✗";
    const total = c.passed + c.failed;
    const first = c.firstFailure ? `  ${c.firstFailure.testId}: ${c.firstFailure.message}` : "";
    const chosen = c.nodeId === code.chosenNodeId ? "  (chosen)" : "";
    lines.push(`  ${c.nodeId.padEnd(5)} ${mark} ${c.passed}/${total}${chosen}${first}`);
    if (c.stopped) lines.push(`        ${c.stopped}`);
  }
  lines.push(code.reason);
  if (code.isolationNote) lines.push(code.isolationNote);
  return lines.map((l) => safeText(l)).join("\n");
}

export function codeJson(code: CodeOutcome): unknown {
  return {
    language: code.language,
    code: code.code,
    reason: code.reason,
    tests: code.tests,
    candidates: code.candidates.map((c) => ({
      nodeId: c.nodeId,
      chosen: c.nodeId === code.chosenNodeId,
      passed: c.passed,
      failed: c.failed,
      score: c.score,
      ...(c.parseError !== undefined ? { parseError: c.parseError } : {}),
      ...(c.firstFailure ? { firstFailure: c.firstFailure } : {}),
      ...(c.stopped ? { stopped: c.stopped } : {}),
      code: c.code,
    })),
    isolationNote: code.isolationNote,
  };
}
