// `tts-reasoner solve "<problem>"` (or --file, or stdin): one search against the configured
// servers, shown live on the terminal, then the answer on stdout (or the result as JSON).
import { setMaxListeners } from "node:events";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Command } from "commander";
import { mathAnswerKey } from "../core/answers/index.js";
import { DEFAULT_SEARCH_CONFIG, serializeEvent, type SearchEvent, type SearchResult } from "../core/index.js";
import { describePolicy, type PolicyEndpointInfo, type RequestLogLine } from "../endpoints/index.js";
import { addSettingOptions, runSettings, SET_VERIFIER_FLAGS, settingsFromOptions } from "./config.js";
import { connect, unstreamed } from "../app/connect.js";
import { checkPlan } from "../app/plan-check.js";
import { searchOptions } from "../app/run.js";
import { addTestFile, codeRunOptions, problemOf, startSearch, type KindChoice } from "../app/code.js";
import { executionGate } from "../app/exec-gate.js";
import { codeJson, codeSummary, languageOfFile } from "./code-summary.js";
import { LiveView } from "./live-view.js";
import { safeText, terminalJson } from "./view-text.js";

interface SolveFlags extends Record<string, unknown> {
  file?: string;
  json?: boolean;
  trace?: string;
  quiet?: boolean;
  logRequests?: boolean;
  kind?: string;
  language?: string;
}

export function registerSolve(program: Command): void {
  const cmd = program
    .command("solve")
    .description(
      "Solve one problem with test-time scaling: shows the search live on a terminal, then prints the answer.",
    )
    .argument("[problem...]", "the problem text (quote it); or use --file, or pipe it on stdin")
    .option("--file <path>", "read the problem from a file")
    .option("--json", "print the result as JSON: answer, chosen solution with step scores, tally, cost")
    .option("--trace <file>", "write the run's events as JSON lines (replay with `trace` or the panel)")
    .option("--quiet", "no live view or progress lines on stderr")
    .option("--log-requests", "one line per HTTP request on stderr (never keys) [TTS_REASONER_LOG_REQUESTS]")
    .option("--kind <kind>", "problem kind: auto (from the text), math or code", "auto")
    .option(
      "--language <id>",
      "code: python, javascript or typescript (default: from --file's extension, else guessed)",
    );
  addSettingOptions(cmd);
  cmd.addHelpText(
    "after",
    "\nSettings: flags override environment variables (TTS_REASONER_*), which override --config." +
      "\nAPI keys come only from TTS_REASONER_POLICY_API_KEY and TTS_REASONER_VERIFIER_API_KEY.",
  );
  cmd.action(async (words: string[], flags: SolveFlags) => {
    process.exitCode = await solve(readProblem(words, flags), flags);
  });
}

function readProblem(words: string[], flags: SolveFlags): string {
  let text: string;
  if (flags.file) {
    if (words.length) throw new Error("Give the problem either as text or with --file, not both.");
    try {
      text = readFileSync(flags.file, "utf8");
    } catch (e) {
      throw new Error(`Cannot read the problem file ${flags.file}: ${(e as Error).message}`);
    }
  } else if (words.length) text = words.join(" ");
  else if (!process.stdin.isTTY) text = readFileSync(0, "utf8");
  else throw new Error('No problem given: pass it as text (solve "…"), with --file <path>, or on stdin.');
  if (!text.trim()) throw new Error("The problem is empty.");
  return text.trim();
}

/**
 * The result as --json prints it: what a script needs, without the whole candidate list.
 * `warnings`: each distinct warning and scoring failure of the run, in full, in order (a run
 * that failed says why there even with --quiet).
 */
export function resultJson(
  result: SearchResult,
  warnings: readonly string[] = [],
  policyEndpoint: PolicyEndpointInfo | null = null,
): unknown {
  const { strategy, answer, chosen, tally, cost, aborted, error, candidates, decision, budgetSaved, code } =
    result;
  return {
    answer,
    strategy,
    chosen: chosen && {
      answer: chosen.answer,
      score: chosen.score ?? null,
      steps: chosen.steps.map((text, i) => ({ text, score: chosen.stepScores?.[i] ?? null })),
    },
    tally,
    candidates: candidates.length,
    cost,
    aborted,
    ...(error ? { error } : {}),
    warnings,
    ...(decision ? { decision } : {}),
    ...(budgetSaved !== undefined ? { budgetSaved } : {}),
    ...(policyEndpoint ? { policyEndpoint } : {}),
    ...(code ? { code: codeJson(code) } : {}),
  };
}

async function solve(problem: string, flags: SolveFlags): Promise<number> {
  const { kind: _k, language: _l, ...settingFlags } = flags;
  const resolved = settingsFromOptions(settingFlags);
  const run = runSettings(resolved);
  const kind = flags.kind ?? "auto";
  if (!["auto", "math", "code"].includes(kind))
    throw new Error(`--kind: "${kind}" is not auto, math or code.`);
  const detected = problemOf(problem, kind as KindChoice, flags.language ?? languageOfFile(flags.file));
  const testFile = resolved.settings.code.testFile;
  if (detected.kind === "code" && testFile) addTestFile(detected.task, testFile);
  // The CLI runs on the user's own command: "ask" counts as asked; "never" is honoured.
  const gate = executionGate({
    trusted: true,
    consent: resolved.settings.code.execution,
    allowedHere: true,
    command: "",
  });
  const code =
    detected.kind === "code"
      ? codeRunOptions(
          resolved.settings,
          detected.task,
          gate.run ? { run: true } : { run: false, reason: gate.ask ? "" : gate.reason },
        )
      : null;
  const search = { ...DEFAULT_SEARCH_CONFIG, ...run.search };
  checkPlan(
    { strategies: [search.strategy], budgets: [search.n], search, hasVerifier: run.verifier !== null },
    SET_VERIFIER_FLAGS,
  );
  const logRequests = flags.logRequests || !!process.env.TTS_REASONER_LOG_REQUESTS;
  const log = logRequests
    ? (line: RequestLogLine) => process.stderr.write(`${JSON.stringify(line)}\n`)
    : undefined;
  // Nothing renders tokens as they arrive; with --quiet or --json not even the tree: whole
  // responses cost one parse per call instead of one per token per sample.
  const unwatched = flags.quiet === true || flags.json === true;
  const endpoints = await connect(unwatched ? unstreamed(run) : run, { log });
  const endpoint = describePolicy(endpoints.policy);
  if (endpoint && !flags.quiet && !flags.json)
    process.stderr.write(
      `Policy: ${endpoint.server}${endpoint.build ? ` ${endpoint.build}` : ""} at ${endpoint.url}, API style ${endpoint.apiStyle} (${endpoint.reason})\n`,
    );

  const live = flags.quiet ? null : new LiveView({ out: process.stderr, tty: process.stderr.isTTY === true });
  let traceFd: number | null = null;
  if (flags.trace) {
    try {
      traceFd = openSync(flags.trace, "w");
    } catch (e) {
      throw new Error(`Cannot write the trace ${flags.trace}: ${(e as Error).message}`);
    }
  }
  // Distinct warnings and scoring failures, whole, for --json and the final error.
  const warnings = new Set<string>();
  // Each event is written as it happens, so a crash still leaves the trace up to that point.
  const onEvent = (e: SearchEvent): void => {
    if (traceFd !== null) writeSync(traceFd, serializeEvent(e));
    if (e.type === "warning") warnings.add(e.message);
    if (e.type === "node-failed") warnings.add(`A verifier call failed: ${e.error}`);
    live?.onEvent(e);
  };

  const controller = new AbortController();
  // Every request in flight listens on this one signal; many at once is not a leak.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  let result: SearchResult;
  try {
    result = await startSearch(
      searchOptions(run, endpoints, {
        problem: { text: problem },
        answerKey: mathAnswerKey,
        signal: controller.signal,
        onEvent,
      }),
      code,
    );
  } finally {
    process.off("SIGINT", onSigint);
    live?.finish();
    if (traceFd !== null) closeSync(traceFd);
  }

  if (flags.json) process.stdout.write(terminalJson(resultJson(result, [...warnings], endpoint)) + "\n");
  else if (result.answer !== null) process.stdout.write(`${result.answer}\n`);
  if (result.code && !flags.json && !flags.quiet) process.stderr.write(`${codeSummary(result.code)}\n`);
  const failed = result.error ?? (result.answer === null ? "No candidate stated a final answer." : null);
  if (failed) {
    process.stderr.write(`${safeText(failed)}\n`);
    // The first failure in full, unless the error already quotes it: with --quiet (or cut
    // lines elsewhere) it is the only place that says what the server answered.
    const first = firstFailure(result);
    if (first && !failed.includes(first)) process.stderr.write(`First failure: ${safeText(first)}\n`);
  }
  if (flags.trace) process.stderr.write(`Trace written to ${flags.trace}\n`);
  if (result.aborted) return 130;
  return result.error || result.answer === null ? 1 : 0;
}

/** The message of the first failed call of the role the error is about, without its full stop. */
function firstFailure(result: SearchResult): string | null {
  const cause = result.failures?.find((f) => f.role === result.errorRole) ?? result.failures?.[0];
  return cause ? cause.message.replace(/\.$/, "") : null;
}
