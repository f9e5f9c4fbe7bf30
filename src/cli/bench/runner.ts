// Runs every combination of problem × strategy × budget × seed, grades each answer and records
// it in the results store as soon as it finishes. Finished runs already in the store are skipped.
import type { Endpoints } from "../../app/connect.js";
import { checkPlan } from "../../app/plan-check.js";
import { searchOptions, type RunSetup } from "../../app/run.js";
import { emptyCost, runSearch, type AnswerKey, type StrategyId } from "../../core/index.js";
import { SET_VERIFIER_FLAGS } from "../config.js";
import type { BenchProblem } from "./data.js";
import { runKey, type RunRecord, type RunStore } from "./store.js";

/**
 * Bench seed s runs with sampling seed s × SEED_STRIDE. The scheduler gives each policy call
 * seed + its call index, so seeds closer than the number of calls in a run would share samples.
 */
export const SEED_STRIDE = 100_003;

export interface BenchJob {
  key: string;
  problem: BenchProblem;
  strategy: StrategyId;
  n: number;
  seed: number;
}

/** Problem by problem, so an interrupted bench leaves every strategy and budget equally covered. */
export function planJobs(
  problems: readonly BenchProblem[],
  strategies: readonly StrategyId[],
  budgets: readonly number[],
  seeds: readonly number[],
): BenchJob[] {
  const jobs: BenchJob[] = [];
  for (const seed of seeds)
    for (const problem of problems)
      for (const strategy of strategies)
        for (const n of budgets)
          jobs.push({ key: runKey(problem.id, strategy, n, seed), problem, strategy, n, seed });
  return jobs;
}

export interface BenchProgress {
  total: number;
  /** Runs finished, counting those found already done in the store. */
  done: number;
  /** Of `done`, those found in the store at the start. */
  skipped: number;
  /** Runs that ended with an error this session (retried next time). */
  failed: number;
  inFlight: number;
  correct: number;
}

export interface BenchRunOptions extends RunSetup, Endpoints {
  problems: readonly BenchProblem[];
  strategies: readonly StrategyId[];
  budgets: readonly number[];
  seeds: readonly number[];
  /** `search`: the settings besides strategy, n and seed, which each cell sets. */
  answerKey: AnswerKey;
  /** Is the predicted answer equal to the gold one? */
  grade: (gold: string, predicted: string) => boolean;
  store: RunStore;
  /** Runs in flight at once. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
  /** Called as each run is recorded. */
  onRecord?: (r: RunRecord) => void;
  now?: () => number;
}

export interface BenchOutcome extends BenchProgress {
  aborted: boolean;
}

export async function runBench(o: BenchRunOptions): Promise<BenchOutcome> {
  checkPlan(
    { strategies: o.strategies, budgets: o.budgets, search: o.search, hasVerifier: o.verifier !== null },
    SET_VERIFIER_FLAGS,
  );
  const jobs = planJobs(o.problems, o.strategies, o.budgets, o.seeds);
  const todo = jobs.filter((j) => !o.store.isDone(j.key));
  const progress: BenchProgress = {
    total: jobs.length,
    done: jobs.length - todo.length,
    skipped: jobs.length - todo.length,
    failed: 0,
    inFlight: 0,
    correct: jobs.filter((j) => o.store.isDone(j.key) && o.store.get(j.key)!.correct).length,
  };
  for (const j of jobs) {
    const r = o.store.get(j.key);
    if (r && r.gold !== j.problem.answer)
      throw new Error(
        `${o.store.path} records problem ${j.problem.id} with the gold answer ${JSON.stringify(r.gold)}, ` +
          `but the problem set says ${JSON.stringify(j.problem.answer)}: it is another problem set. Use another --out folder.`,
      );
  }
  o.onProgress?.({ ...progress });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !o.signal?.aborted) {
      const job = todo[next++]!;
      progress.inFlight++;
      o.onProgress?.({ ...progress });
      const record = await runOne(o, job);
      progress.inFlight--;
      if (record) {
        o.store.append(record);
        o.onRecord?.(record);
        progress.done++;
        if (record.error) progress.failed++;
        if (record.correct) progress.correct++;
      }
      o.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, todo.length)) }, worker));
  return { ...progress, aborted: o.signal?.aborted ?? false };
}

/** One search, graded; null when it was cancelled (nothing is recorded for it). */
async function runOne(o: BenchRunOptions, job: BenchJob): Promise<RunRecord | null> {
  const { problem, strategy, n, seed } = job;
  const base = {
    key: job.key,
    problemId: problem.id,
    level: problem.level,
    strategy,
    n,
    seed,
    gold: problem.answer,
  };
  try {
    const result = await runSearch(
      searchOptions(o, o, {
        problem: { id: problem.id, text: problem.problem },
        config: { strategy, n, seed: seed * SEED_STRIDE },
        answerKey: o.answerKey,
        signal: o.signal,
        now: o.now,
      }),
    );
    if (result.aborted) return null;
    const answer = result.answer;
    return {
      ...base,
      answer,
      correct: answer !== null && o.grade(problem.answer, answer),
      candidates: result.candidates.length,
      cost: result.cost,
      ...(result.decision
        ? {
            auto: {
              method: result.decision.method,
              bucket: result.decision.bucket,
              budgetSaved: result.budgetSaved ?? 0,
            },
          }
        : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.failures ? { failures: result.failures } : {}),
      finishedAt: new Date().toISOString(),
    };
  } catch (e) {
    if (o.signal?.aborted) return null;
    return {
      ...base,
      answer: null,
      correct: false,
      candidates: 0,
      cost: emptyCost(),
      error: e instanceof Error ? e.message : String(e),
      finishedAt: new Date().toISOString(),
    };
  }
}
