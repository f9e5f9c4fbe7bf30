/**
 * Bounds how much runs at once: each call takes `weight` units (requests, or a policy call's
 * sequences), at most the whole limit; waiters are served first come, first served.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: { need: number; wake: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`concurrency must be at least 1 (got ${limit})`);
  }

  async run<T>(task: () => Promise<T>, weight = 1): Promise<T> {
    const need = Math.min(Math.max(1, weight), this.limit);
    if (this.active + need <= this.limit && !this.waiting.length) this.active += need;
    else await new Promise<void>((wake) => this.waiting.push({ need, wake }));
    try {
      return await task();
    } finally {
      this.active -= need;
      // The slots are reserved before a waiter wakes, so no later caller can take them.
      for (
        let next = this.waiting[0];
        next && this.active + next.need <= this.limit;
        next = this.waiting[0]
      ) {
        this.waiting.shift();
        this.active += next.need;
        next.wake();
      }
    }
  }
}
