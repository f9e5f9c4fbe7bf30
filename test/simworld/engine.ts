// The latency model of one served model: batch slots with a queue beyond them, a prefix cache
// (blocks of 16 tokens, as vLLM's automatic prefix caching), prefill time per uncached prompt
// token and decode time per generated token. With latency "none" nothing waits, but the prefix
// cache still counts cached tokens for usage reports.
import { setTimeout as sleep } from "node:timers/promises";

export interface EngineProfile {
  prefillMsPerToken: number;
  decodeMsPerToken: number;
  /** Sequences decoded at once; more wait in a queue. */
  slots: number;
}

/**
 * One sequence's work (a choice, or an input of a pooling request) as the latency model charges
 * it, on one slot (benchmarks derive the ideal schedule from it).
 */
export interface EngineWork {
  model: string;
  /** performance.now() when its request reached the engine, before any queueing. */
  at: number;
  /** Prompt tokens charged prefill time. */
  prefillTokens: number;
  /** Decode steps. */
  decodeTokens: number;
}

const BLOCK = 16;
const CACHE_BLOCKS = 50_000;

export class Engine {
  private active = 0;
  private readonly waiting: { wake: () => void }[] = [];
  private readonly blocks = new Map<string, true>();

  constructor(
    readonly profile: EngineProfile,
    readonly realistic: boolean,
    /** Multiplies every wait (benchmarks can run the realistic model faster or slower). */
    readonly scale = 1,
    private readonly onWork?: (work: Omit<EngineWork, "model">) => void,
  ) {}

  /** Reports a sequence's work to the observer, if any (simworld's `onWork` option). */
  note(prefillTokens: number, decodeTokens: number): void {
    this.onWork?.({ at: performance.now(), prefillTokens, decodeTokens });
  }

  /** Prompt tokens found in the prefix cache; the prompt's blocks are cached afterwards. */
  cachedTokens(ids: readonly number[]): number {
    let cached = 0;
    let key = "";
    let stillHit = true;
    for (let end = BLOCK; end <= ids.length; end += BLOCK) {
      key += ids.slice(end - BLOCK, end).join(",") + ";";
      const hit = this.blocks.has(key);
      if (hit) this.blocks.delete(key); // re-insert: most recently used last
      this.blocks.set(key, true);
      if (stillHit && hit) cached = end;
      else stillHit = false;
    }
    while (this.blocks.size > CACHE_BLOCKS) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.blocks.delete(oldest);
    }
    return cached;
  }

  /** Waits for a slot for one sequence; call the result to free it. */
  async admit(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.profile.slots && !this.waiting.length) this.active++;
    else {
      // First come, first served; wakeWaiting() reserves the slot before waking us.
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          reject(signal?.reason ?? new Error("aborted"));
        };
        // A request's choices wait on one signal: each stops listening once admitted.
        const entry = {
          wake: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        this.waiting.push(entry);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.active--;
      this.wakeWaiting();
    };
  }

  private wakeWaiting(): void {
    for (let next = this.waiting[0]; next && this.active < this.profile.slots; next = this.waiting[0]) {
      this.waiting.shift();
      this.active++;
      next.wake();
    }
  }

  get queued(): number {
    return this.waiting.length;
  }

  get busy(): number {
    return this.active;
  }

  async prefill(uncachedTokens: number, signal?: AbortSignal): Promise<void> {
    if (!this.realistic) return;
    await sleep(this.scale * (2 + uncachedTokens * this.profile.prefillMsPerToken), undefined, { signal });
  }

  /** Time for one decode step of the batch: a little slower the fuller the batch is. */
  decodeStepMs(): number {
    const load = Math.max(0, this.active - 1) / Math.max(1, this.profile.slots);
    return this.scale * this.profile.decodeMsPerToken * (1 + 0.5 * load);
  }

  /**
   * Paces a stream token by token: each call waits for one decode step, on a schedule kept
   * from the first call, so timer granularity (Node's timers fire early or late by up to a
   * millisecond) does not add up over a stream's tokens.
   */
  pacer(): (signal?: AbortSignal) => Promise<void> {
    let start = -1;
    let due = 0;
    return async (signal) => {
      if (!this.realistic) return;
      if (start < 0) start = performance.now();
      due += this.decodeStepMs();
      const wait = start + due - performance.now();
      if (wait >= 1) await sleep(wait, undefined, { signal });
      else signal?.throwIfAborted();
    };
  }

  async decode(tokens: number, signal?: AbortSignal): Promise<void> {
    if (!this.realistic || tokens <= 0) return;
    await sleep(tokens * this.decodeStepMs(), undefined, { signal });
  }
}
