// Code problems: a function to write, checked by running it against tests. The core decides
// what to run and how to choose; running it is an `CodeExecutor`'s job (src/exec), so the core
// stays free of processes.

export type ProblemKind = "math" | "code";
export const PROBLEM_KINDS: readonly ProblemKind[] = ["math", "code"];

export type CodeLanguage = "python" | "javascript" | "typescript";

/** Where a test came from: the user's (docstring examples, `assert` lines, a test file) or the policy's. */
export type TestOrigin = "doctest" | "assert" | "file" | "generated";

/** One test: a statement that raises (Python) or throws (JavaScript) when it fails. */
export interface CodeTest {
  id: string;
  source: string;
  origin: TestOrigin;
}

/** What the user asked for, read from the selection. */
export interface CodeTask {
  language: CodeLanguage;
  /** The selected text as it was. */
  source: string;
  /** The function to write, when the selection names one. */
  entryPoint: string | null;
  /** The signature and docstring/comment to complete; null for a statement ("write a function that…"). */
  stub: string | null;
  /** Tests the user gave: docstring examples, `assert` lines, a named test file's statements. */
  tests: CodeTest[];
}

/** One test's outcome for one candidate. */
export interface TestResult {
  testId: string;
  passed: boolean;
  /** Why it failed (the first line of the exception, or what stopped the process). */
  message?: string;
  /** What the tested call returned (a repr, capped), for grouping candidates by behaviour. */
  value?: string;
}

/** One candidate run against all tests in one sandboxed process. */
export interface CandidateRun {
  /** The code does not parse (compile) in its language; no test ran. */
  parseError?: string;
  results: TestResult[];
  /** Why the process was stopped or refused something (timeout, memory, write, network). */
  stopped?: string;
}

/** Runs candidates; src/exec's sandbox is the real one. */
export interface CodeExecutor {
  run(
    language: CodeLanguage,
    code: string,
    tests: readonly CodeTest[],
    signal?: AbortSignal,
  ): Promise<CandidateRun>;
  /** What isolation the machine gives (e.g. no network namespace), said once per run. */
  readonly isolationNote: string | null;
}

/** A candidate as the code tally shows it. */
export interface CodeCandidate {
  nodeId: string;
  code: string;
  parseError?: string;
  passed: number;
  failed: number;
  /** The first failed test and why, for the panel and CLI. */
  firstFailure?: { testId: string; message: string };
  /** Tests passed, weighted (user tests 1; generated tests by the share of candidates passing them). */
  score: number;
  /** Candidates with the same outputs on every test share a behaviour group. */
  behaviour: string;
  results: TestResult[];
  stopped?: string;
}

/** What a code run came to, beside the search result. */
export interface CodeOutcome {
  language: CodeLanguage;
  tests: CodeTest[];
  candidates: CodeCandidate[];
  /** The chosen candidate's code, or null when none ran. */
  code: string | null;
  chosenNodeId: string | null;
  /** How it was chosen, in a sentence. */
  reason: string;
  isolationNote: string | null;
}
