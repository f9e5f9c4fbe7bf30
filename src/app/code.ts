// Code problems as both front ends run them: the problem kind of a selection, the executor the
// settings describe, and the one entry that starts a search of either kind.
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import {
  detectProblem,
  fileTests,
  runCodeSearch,
  runSearch,
  type CodeRunOptions,
  type CodeTask,
  type KindHint,
  type ProblemKind,
  type RunOptions,
  type SearchResult,
} from "../core/index.js";
import { createExecutor } from "../exec/index.js";
import type { Settings } from "./settings/index.js";

export type KindChoice = ProblemKind | "auto";

/** The kind of a problem text: a `--kind`/panel choice, or a guess from the text and the editor's language. */
export function problemOf(
  text: string,
  choice: KindChoice,
  languageId?: string | null,
): { kind: "math" } | { kind: "code"; task: CodeTask } {
  const hint: KindHint = { languageId, ...(choice !== "auto" ? { kind: choice } : {}) };
  return detectProblem(text, hint);
}

/**
 * Adds a test file's top-level assert lines to the task's tests (`--tests`, `code.testFile`),
 * numbered after its own. `root`: the workspace folder the file must lie in (the extension's
 * rule, so a workspace's setting cannot name a file elsewhere); relative paths resolve from it
 * (from the current directory without one).
 */
export function addTestFile(task: CodeTask, file: string, root?: string): void {
  const path = resolve(root ?? ".", file);
  if (root) {
    const inside = relative(resolve(root), path);
    if (inside.startsWith("..") || isAbsolute(inside))
      throw new Error(`The test file ${file} (code.testFile) is outside the workspace folder ${root}.`);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the test file ${file}: ${(e as Error).message}`);
  }
  const extra = fileTests(task.language, text);
  if (!extra.length) throw new Error(`The test file ${file} has no top-level assert lines.`);
  task.tests = [...task.tests, ...extra].map((t, i) => ({ ...t, id: `t${i + 1}` }));
}

/** What a code run takes from the settings; `run: false` with why when nothing may be executed. */
export function codeRunOptions(
  s: Settings,
  task: CodeTask,
  gate: { run: true } | { run: false; reason: string },
): CodeRunOptions {
  return {
    task,
    executor: gate.run ? createExecutor({ testMs: s.code.testTimeoutMs, memoryMb: s.code.memoryMb }) : null,
    ...(gate.run ? {} : { notRunReason: gate.reason }),
    testSamples: s.code.testSamples,
  };
}

/** Starts a search: a math search, or with `code` a code run (samples, tests, execution, selection). */
export function startSearch(options: RunOptions, code: CodeRunOptions | null): Promise<SearchResult> {
  return code ? runCodeSearch(options, code) : runSearch(options);
}
