// Runs every combination of problem × strategy × budget × seed, grades each answer and records
// it in the results store as soon as it finishes. Finished runs already in the store are skipped.
import {
  emptyCost,
  findStrategy,
  resolveSearchConfig,
  runSearch,
  type AnswerKey,
  type CalibratedTable,
  type Policy,
  type SearchConfig,
  type StrategyId,
  type Verifier,
} from "../../core/index.js";
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

export interface BenchRunOptions {
  problems: readonly BenchProblem[];
  strategies: readonly StrategyId[];
  budgets: readonly number[];
  seeds: readonly number[];
  /** Search settings besides strategy, n and seed. */
  search: Partial<SearchConfig>;
  policy: Policy;
  verifier: Verifier | null;
  answerKey: AnswerKey;
  /** Is the predicted answer equal to the gold one? */
  grade: (gold: string, predicted: string) => boolean;
  store: RunStore;
  /** Runs in flight at once. */
  concurrency: number;
  policyConcurrency?: number;
  verifierConcurrency?: number;
  policyParams?: number | null;
  verifierParams?: number | null;
  /** Auto's calibrated table, if any. */
  strategyTable?: CalibratedTable | null;
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
  /** Called as each run is recorded. */
  onRecord?: (r: RunRecord) => void;
  now?: () => number;
}

export interface BenchOutcome extends BenchProgress {
  aborted: boolean;
}

/** Rejects a grid that cannot run, before any request is made, saying which cell and why. */
export function checkGrid(
  strategies: readonly StrategyId[],
  budgets: readonly number[],
  search: Partial<SearchConfig>,
  hasVerifier: boolean,
): void {
  if (!strategies.length) throw new Error("No strategies to run: pass --strategies, e.g. majority,beam.");
  if (!budgets.length) throw new Error("No budgets to run: pass --n, e.g. 4,16,64.");
  for (const strategy of strategies) {
    if (findStrategy(strategy)?.needsVerifier && !hasVerifier)
      throw new Error(
        `Strategy ${strategy} needs a verifier (PRM), and none is configured: set --verifier (kind), ` +
          `--verifier-model and, if not the policy's server, --verifier-url (or TTS_REASONER_VERIFIER_*), or use majority.`,
      );
    for (const n of budgets) resolveSearchConfig({ ...search, strategy, n });
  }
}

export async function runBench(o: BenchRunOptions): Promise<BenchOutcome> {
  checkGrid(o.strategies, o.budgets, o.search, o.verifier !== null);
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
    const result = await runSearch({
      problem: { id: problem.id, text: problem.problem },
      policy: o.policy,
      verifier: o.verifier,
      config: { ...o.search, strategy, n, seed: seed * SEED_STRIDE },
      answerKey: o.answerKey,
      signal: o.signal,
      now: o.now,
      policyConcurrency: o.policyConcurrency,
      verifierConcurrency: o.verifierConcurrency,
      policyParams: o.policyParams,
      verifierParams: o.verifierParams,
      strategyTable: o.strategyTable,
    });
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
