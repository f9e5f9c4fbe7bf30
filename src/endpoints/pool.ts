import { requestAborted } from "./http.js";

/** One base URL of an endpoint, with its load and health. */
export interface Replica {
  readonly root: string;
  inFlight: number;
  /** Consecutive failures; reset by a success. */
  failures: number;
  /** Not chosen before this time (ms since epoch) while others are up. */
  downUntil: number;
}

/** How a call on a replica went, for the replica's health. */
export type ReplicaOutcome = "ok" | "down" | "neutral";

const COOLDOWN_MS = 2_000;
const MAX_COOLDOWN_MS = 30_000;

/**
 * The replicas behind one role (several base URLs serving the same model) and the cap on
 * concurrent requests to them. A call takes the least-loaded replica that is up; a replica
 * whose connection or gateway failed is taken out for a cooldown that doubles with each
 * consecutive failure. When all are out, the one that comes back first is used.
 */
export class ReplicaPool {
  readonly replicas: Replica[];
  private active = 0;
  private readonly waiting: Array<{ go: () => void; signal?: AbortSignal; onAbort: () => void }> = [];
  private turn = 0;

  constructor(
    roots: readonly string[],
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!roots.length) throw new Error("An endpoint needs at least one base URL.");
    if (!(concurrency >= 1)) throw new Error(`Endpoint concurrency must be at least 1 (got ${concurrency}).`);
    this.replicas = roots.map((root) => ({ root, inFlight: 0, failures: 0, downUntil: 0 }));
  }

  /** Waits for a free slot, then picks a replica. Rejects if the signal aborts while waiting. */
  async acquire(signal?: AbortSignal): Promise<Replica> {
    if (signal?.aborted) throw requestAborted();
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          signal,
          go: () => {
            signal?.removeEventListener("abort", waiter.onAbort);
            resolve();
          },
          onAbort: () => {
            const i = this.waiting.indexOf(waiter);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(requestAborted());
          },
        };
        signal?.addEventListener("abort", waiter.onAbort, { once: true });
        this.waiting.push(waiter);
      });
    } else this.active++;
    const replica = this.pick();
    replica.inFlight++;
    return replica;
  }

  release(replica: Replica, outcome: ReplicaOutcome): void {
    replica.inFlight--;
    if (outcome === "ok") {
      replica.failures = 0;
      replica.downUntil = 0;
    } else if (outcome === "down") this.markDown(replica.root);
    const next = this.waiting.shift();
    if (next) next.go();
    else this.active--;
  }

  /** Takes a replica out as if a call on it had failed (a probe found it down). */
  markDown(root: string): void {
    const replica = this.replicas.find((r) => r.root === root);
    if (!replica) return;
    replica.failures++;
    replica.downUntil = this.now() + Math.min(MAX_COOLDOWN_MS, COOLDOWN_MS * 2 ** (replica.failures - 1));
  }

  private pick(): Replica {
    const t = this.now();
    const up = this.replicas.filter((r) => r.downUntil <= t);
    if (!up.length) return this.replicas.reduce((a, b) => (b.downUntil < a.downUntil ? b : a));
    const least = Math.min(...up.map((r) => r.inFlight));
    const candidates = up.filter((r) => r.inFlight === least);
    // Rotate among equally loaded replicas so that idle ones share the work.
    return candidates[this.turn++ % candidates.length]!;
  }
}
