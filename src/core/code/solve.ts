// A code run: sample whole solutions with the chosen strategy (the answer key reads code, so
// majority vote is majority by text), sample tests apart (CodeT), run every distinct candidate
// against all tests through the executor, and choose by execution (select.ts).
import { addCost } from "../cost.js";
import { runSearch, type RunOptions } from "../run.js";
import { isAbort } from "../errors.js";
import type { SearchEvent } from "../events.js";
import type { SearchResult } from "../types.js";
import { codeAnswerKey, extractCode, normalizeCode } from "./extract.js";
import { codePrompt, testPrompt } from "./prompt.js";
import { selectCode, type Executed } from "./select.js";
import { generatedTests, numberTests } from "./tests.js";
import type { CandidateRun, CodeExecutor, CodeOutcome, CodeTask } from "./types.js";

export interface CodeRunOptions {
  task: CodeTask;
  /** Null: nothing is run (untrusted workspace, no consent); the most common code is chosen. */
  executor: CodeExecutor | null;
  /** Why nothing is run, when `executor` is null. */
  notRunReason?: string;
  /** Policy samples spent on writing tests (CodeT); 0: only the task's own tests. */
  testSamples?: number;
  /** Candidates executed at once. */
  concurrency?: number;
}

export const DEFAULT_TEST_SAMPLES = 2;

/** The strategies a code run takes as they are; the others sample whole solutions instead. */
const WHOLE_SOLUTION = ["greedy", "majority", "best-of-n"];

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runCodeSearch(options: RunOptions, code: CodeRunOptions): Promise<SearchResult> {
  const { task, executor } = code;
  const problem = { ...(options.problem.id ? { id: options.problem.id } : {}), text: codePrompt(task) };
  let finished: Extract<SearchEvent, { type: "run-finished" }> | null = null;
  // The search's own run-finished is held back: the run ends after the execution.
  const onEvent = (e: SearchEvent): void => {
    if (e.type === "run-finished") finished = e;
    else options.onEvent?.(e);
  };
  if (executor?.isolationNote) onEvent({ type: "warning", t: 0, message: executor.isolationNote });
  // Code is sampled whole: a blank line inside a function is not a step, and indentation must
  // survive, so the whole response is one step. Step-level strategies become whole-solution ones.
  const asked = options.config.strategy ?? "best-of-n";
  const strategy = WHOLE_SOLUTION.includes(asked) ? asked : options.verifier ? "best-of-n" : "majority";
  if (strategy !== asked)
    onEvent({
      type: "warning",
      t: 0,
      message: `Code problems sample whole solutions: ${asked} runs as ${strategy} (chosen by execution).`,
    });
  const config = { ...options.config, strategy, delimiter: "" };
  const testSamples = executor ? (code.testSamples ?? DEFAULT_TEST_SAMPLES) : 0;
  const [result, testRun] = await Promise.all([
    runSearch({ ...options, config, problem, answerKey: codeAnswerKey(task), onEvent }),
    testSamples > 0 && task.entryPoint
      ? runSearch({
          ...options,
          onEvent: undefined,
          verifier: null,
          problem: { text: testPrompt(task) },
          config: { ...config, strategy: "majority", n: testSamples },
          answerKey: { extract: (s) => s, group: (a) => a.map(() => "tests") },
        })
      : Promise.resolve(null),
  ]);
  const responses = (testRun?.candidates ?? []).map((c) => c.steps.join(""));
  const tests = !executor
    ? []
    : numberTests(task.tests, generatedTests(task.language, responses, task.entryPoint));
  if (testRun) addCost(result.cost, testRun.cost);

  // Identical code runs once.
  const runs = new Map<string, CandidateRun>();
  const codes = new Map<string, string>();
  for (const c of result.candidates) {
    const text = c.answer ?? extractCode(c.steps.join(""), task);
    if (text !== null) codes.set(c.nodeId, text);
  }
  const distinct = [...new Set([...codes.values()].map(normalizeCode))];
  const byNormal = new Map([...codes.values()].map((t) => [normalizeCode(t), t]));
  let aborted = result.aborted;
  try {
    await pool(distinct, code.concurrency ?? 2, async (key) => {
      if (options.signal?.aborted) return;
      if (!executor) return void runs.set(key, { results: [] });
      runs.set(key, await executor.run(task.language, byNormal.get(key)!, tests, options.signal));
    });
  } catch (e) {
    if (!isAbort(e, options.signal)) throw e;
    aborted = true;
  }
  const executed: Executed[] = [];
  for (const c of result.candidates) {
    const text = codes.get(c.nodeId);
    const run = text === undefined ? undefined : runs.get(normalizeCode(text));
    if (text === undefined || !run) continue;
    executed.push({
      nodeId: c.nodeId,
      code: text,
      run,
      ...(c.score !== undefined ? { verifierScore: c.score } : {}),
    });
  }
  const selection = selectCode(executed, tests);
  const outcome: CodeOutcome = {
    language: task.language,
    tests,
    candidates: selection.candidates,
    code: selection.chosen?.code ?? null,
    chosenNodeId: selection.chosen?.nodeId ?? null,
    reason: executor
      ? selection.reason
      : `Not run: ${code.notRunReason ?? "execution is off"}. ${selection.reason}`,
    isolationNote: executor?.isolationNote ?? null,
  };
  const chosen = result.candidates.find((c) => c.nodeId === outcome.chosenNodeId) ?? result.chosen;
  const final: SearchResult = {
    ...result,
    aborted,
    answer: outcome.code ?? result.answer,
    chosen,
    code: outcome,
  };
  const t = (finished as { t: number } | null)?.t ?? 0;
  options.onEvent?.({ type: "run-finished", t, result: final });
  return final;
}
