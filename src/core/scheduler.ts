import { addCall, emptyCost, totalFlops } from "./cost.js";
import { AbortedError, isAbort } from "./errors.js";
import type { CallReport, ExpandRequest, Generation, Policy } from "./policy.js";
import { Semaphore } from "./semaphore.js";
import type { Cost, Problem, RoleCost } from "./types.js";
import type { Verifier } from "./verifier.js";

/** A path waiting for its scores, to be sent with others in one verifier request. */
interface PendingScore {
  problem: Problem;
  steps: readonly string[];
  resolve: (scores: number[]) => void;
  reject: (e: unknown) => void;
}

export interface SchedulerOptions {
  /** Policy sequences (samples) in flight at once: a call of `n` samples takes n. */
  policyConcurrency: number;
  /** Verifier requests in flight at once (a batched request counts once). */
  verifierConcurrency: number;
  /** Parameter counts for FLOPs estimates; null when unknown. */
  policyParams: number | null;
  verifierParams: number | null;
  signal?: AbortSignal;
  onCost?: (cost: Cost) => void;
}

/**
 * Sits between the strategies and the endpoints: bounds concurrency per role (the policy's in
 * sequences, so the engine's slots stay full whatever `n` each call asks for), batches samples
 * into `n` where the policy allows it and paths into verifier requests where the verifier
 * does, stops issuing work on abort and counts every call.
 */
export class Scheduler {
  readonly cost: Cost = emptyCost();
  private readonly policyGate: Semaphore;
  private readonly verifierGate: Semaphore;
  /** Batching verifiers: paths not yet sent, and the requests in flight. */
  private readonly scoreQueue: PendingScore[] = [];
  private batchesInFlight = 0;
  private pumpQueued = false;

  constructor(
    private readonly policy: Policy,
    private readonly verifier: Verifier | null,
    private readonly options: SchedulerOptions,
  ) {
    this.policyGate = new Semaphore(options.policyConcurrency);
    this.verifierGate = new Semaphore(options.verifierConcurrency);
  }

  private get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  private checkAbort(): void {
    if (this.aborted) throw new AbortedError();
  }

  /**
   * Asks for k samples as concurrent calls of at most `maxN` samples each, and no more than the
   * policy's sequence limit, so a call never waits for more room than the engine has. `onChunk` sees each call's samples as
   * soon as that call returns; a failed call is reported there (as an error) and does not stop
   * the others. Resolves when all calls and their `onChunk` work are done.
   */
  async expand(
    request: Omit<ExpandRequest, "k" | "signal" | "seed"> & {
      k: number;
      /** The run's seed; each call gets its own seed derived from it and `seedKey`. */
      seed?: number;
      /** Names this expansion independently of timing, so a seeded run is reproducible. */
      seedKey: string;
    },
    onChunk: (result: Generation[] | Error, chunk: number, k: number) => Promise<void>,
  ): Promise<void> {
    const maxN = Math.max(1, Math.min(this.policy.capabilities.maxN, this.options.policyConcurrency));
    const sizes: number[] = [];
    for (let left = request.k; left > 0; left -= maxN) sizes.push(Math.min(maxN, left));
    const { seedKey, ...call } = request;
    await Promise.all(
      sizes.map(async (k, chunk) => {
        const seed = request.seed === undefined ? undefined : callSeed(request.seed, `${seedKey}#${chunk}`);
        let outcome: Generation[] | Error;
        try {
          outcome = await this.policyGate.run(async () => {
            this.checkAbort();
            const r = await this.counted(this.cost.policy, this.options.policyParams, () =>
              this.policy.expand({ ...call, k, seed, signal: this.options.signal }),
            );
            return r.generations;
          }, k);
        } catch (e) {
          if (isAbort(e, this.options.signal)) throw new AbortedError();
          outcome = e instanceof Error ? e : new Error(String(e));
        }
        this.checkAbort();
        await onChunk(outcome, chunk, k);
      }),
    );
  }

  /**
   * Scores every step of a path; throws what the verifier threw, or on a wrong score count.
   * A verifier that takes several paths per request gets the paths asked for in the same tick
   * (a policy call's children) as one request, and those asked for while all its requests are
   * in flight as the next one: as few requests as the server takes, none held back.
   */
  async score(problem: Problem, steps: readonly string[]): Promise<number[]> {
    const verifier = this.verifier;
    if (!verifier) throw new Error("No verifier is configured.");
    if (!steps.length) return [];
    let scores: number[];
    if (verifier.scoreBatch && (verifier.maxBatch ?? 1) > 1) {
      this.checkAbort();
      scores = await new Promise<number[]>((resolve, reject) => {
        this.scoreQueue.push({ problem, steps, resolve, reject });
        if (this.pumpQueued) return;
        this.pumpQueued = true;
        queueMicrotask(() => {
          this.pumpQueued = false;
          this.pump();
        });
      });
    } else scores = await this.scoreOne(verifier, problem, steps);
    if (scores.length !== steps.length)
      throw new Error(
        `The verifier (${verifier.kind}, ${verifier.model}) returned ${scores.length} scores for ${steps.length} steps.`,
      );
    return scores;
  }

  private async scoreOne(verifier: Verifier, problem: Problem, steps: readonly string[]): Promise<number[]> {
    const r = await this.verifierGate.run(async () => {
      this.checkAbort();
      return this.counted(this.cost.verifier, this.options.verifierParams, () =>
        verifier.score(problem, steps, this.options.signal),
      );
    });
    return r.scores;
  }

  /** One call's report (or failure) counted into its role's cost, and the cost event sent. */
  private async counted<R extends CallReport>(
    cost: RoleCost,
    params: number | null,
    call: () => Promise<R>,
  ): Promise<R> {
    try {
      const r = await call();
      addCall(cost, r, params);
      return r;
    } catch (e) {
      // Counted before the abort check: a cancelled call's requests were sent all the same.
      addCall(cost, null, params, e, this.aborted);
      this.checkAbort();
      throw e;
    } finally {
      this.costChanged();
    }
  }

  /** Sends queued paths, up to the verifier's batch size per request, while requests are free. */
  private pump(): void {
    const verifier = this.verifier!;
    const max = verifier.maxBatch ?? 1;
    while (this.scoreQueue.length && this.batchesInFlight < this.options.verifierConcurrency) {
      const problem = this.scoreQueue[0]!.problem;
      const batch: PendingScore[] = [];
      for (let i = 0; i < this.scoreQueue.length && batch.length < max;)
        if (this.scoreQueue[i]!.problem === problem) batch.push(...this.scoreQueue.splice(i, 1));
        else i++;
      this.batchesInFlight++;
      void this.sendBatch(verifier, problem, batch).finally(() => {
        this.batchesInFlight--;
        this.pump();
      });
    }
  }

  private async sendBatch(verifier: Verifier, problem: Problem, batch: PendingScore[]): Promise<void> {
    try {
      this.checkAbort();
      // One request's report, counted once: its usage is the sum over its paths.
      const r = await this.counted(this.cost.verifier, this.options.verifierParams, () =>
        verifier.scoreBatch!(
          problem,
          batch.map((b) => b.steps),
          this.options.signal,
        ),
      );
      batch.forEach((b, i) => {
        const scores = r.scores[i];
        if (Array.isArray(scores)) b.resolve(scores);
        else b.reject(scores ?? new Error(`The verifier (${verifier.kind}) answered no scores for a path.`));
      });
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }

  private costChanged(): void {
    this.cost.flops = totalFlops(this.cost);
    this.options.onCost?.(this.cost);
  }
}

/** A call's seed: the run's seed mixed with the call's name (FNV-1a), kept within 31 bits. */
function callSeed(seed: number, key: string): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) & 0x7fffffff;
}
