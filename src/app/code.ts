// Code problems as both front ends run them: the problem kind of a selection, the executor the
// settings describe, and the one entry that starts a search of either kind.
import {
  detectProblem,
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
