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

const BLOCK = 16;
const CACHE_BLOCKS = 50_000;

export class Engine {
  private active = 0;
  private readonly waiting: { need: number; wake: () => void }[] = [];
  private readonly blocks = new Map<string, true>();

  constructor(
    readonly profile: EngineProfile,
    readonly realistic: boolean,
    /** Multiplies every wait (benchmarks can run the realistic model faster or slower). */
    readonly scale = 1,
  ) {}

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

  /** Waits for `sequences` slots (capped at the slot count); call the result to free them. */
  async admit(sequences: number, signal?: AbortSignal): Promise<() => void> {
    const need = Math.min(Math.max(1, sequences), this.profile.slots);
    signal?.throwIfAborted();
    if (this.active + need <= this.profile.slots && !this.waiting.length) this.active += need;
    else {
      // First come, first served; wakeWaiting() reserves the slots before waking us.
      await new Promise<void>((resolve, reject) => {
        const entry = { need, wake: resolve };
        this.waiting.push(entry);
        signal?.addEventListener(
          "abort",
          () => {
            const i = this.waiting.indexOf(entry);
            if (i < 0) return;
            this.waiting.splice(i, 1);
            reject(signal.reason ?? new Error("aborted"));
          },
          { once: true },
        );
      });
    }
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.active -= need;
      this.wakeWaiting();
    };
  }

  private wakeWaiting(): void {
    for (
      let next = this.waiting[0];
      next && this.active + next.need <= this.profile.slots;
      next = this.waiting[0]
    ) {
      this.waiting.shift();
      this.active += next.need;
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

  async decode(tokens: number, signal?: AbortSignal): Promise<void> {
    if (!this.realistic || tokens <= 0) return;
    await sleep(tokens * this.decodeStepMs(), undefined, { signal });
  }
}
