import { addCall, emptyCost, totalFlops } from "./cost.js";
import { AbortedError, isAbort } from "./errors.js";
import type { ExpandRequest, Generation, Policy } from "./policy.js";
import { Semaphore } from "./semaphore.js";
import type { Cost, Problem } from "./types.js";
import type { Verifier } from "./verifier.js";

export interface SchedulerOptions {
  policyConcurrency: number;
  verifierConcurrency: number;
  /** Parameter counts for FLOPs estimates; null when unknown. */
  policyParams: number | null;
  verifierParams: number | null;
  signal?: AbortSignal;
  onCost?: (cost: Cost) => void;
}

/**
 * Sits between the strategies and the endpoints: bounds concurrency per role, batches samples
 * into `n` where the policy allows it, stops issuing work on abort and counts every call.
 */
export class Scheduler {
  readonly cost: Cost = emptyCost();
  private readonly policyGate: Semaphore;
  private readonly verifierGate: Semaphore;

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
   * Asks for k samples as ceil(k / maxN) concurrent calls. `onChunk` sees each call's samples as
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
    const maxN = Math.max(1, this.policy.capabilities.maxN);
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
            try {
              const r = await this.policy.expand({ ...call, k, seed, signal: this.options.signal });
              addCall(this.cost.policy, r, this.options.policyParams);
              return r.generations;
            } catch (e) {
              // Counted before the abort check: a cancelled call's requests were sent all the same.
              addCall(this.cost.policy, null, this.options.policyParams, e, this.aborted);
              this.checkAbort();
              throw e;
            } finally {
              this.costChanged();
            }
          });
        } catch (e) {
          if (isAbort(e, this.options.signal)) throw new AbortedError();
          outcome = e instanceof Error ? e : new Error(String(e));
        }
        this.checkAbort();
        await onChunk(outcome, chunk, k);
      }),
    );
  }

  /** Scores every step of a path; throws what the verifier threw, or on a wrong score count. */
  async score(problem: Problem, steps: readonly string[]): Promise<number[]> {
    const verifier = this.verifier;
    if (!verifier) throw new Error("No verifier is configured.");
    const r = await this.verifierGate.run(async () => {
      this.checkAbort();
      try {
        const r = await verifier.score(problem, steps, this.options.signal);
        addCall(this.cost.verifier, r, this.options.verifierParams);
        return r;
      } catch (e) {
        addCall(this.cost.verifier, null, this.options.verifierParams, e, this.aborted);
        this.checkAbort();
        throw e;
      } finally {
        this.costChanged();
      }
    });
    if (r.scores.length !== steps.length)
      throw new Error(
        `The verifier (${verifier.kind}, ${verifier.model}) returned ${r.scores.length} scores for ${steps.length} steps.`,
      );
    return r.scores;
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
