// The bench's progress bar with ETA: one redrawn line on a terminal, a line per 5% otherwise.
import { formatMs } from "../view-text.js";
import type { BenchProgress } from "./runner.js";

export interface ProgressOutput {
  write(text: string): unknown;
  columns?: number;
}

/** The ETA from this session's pace: runs found already done took no time now. */
export function estimateRemainingMs(p: BenchProgress, elapsedMs: number): number | null {
  const doneNow = p.done - p.skipped;
  if (doneNow <= 0) return null;
  return (elapsedMs / doneNow) * (p.total - p.done);
}

export function progressLine(p: BenchProgress, elapsedMs: number, width: number): string {
  const frac = p.total ? p.done / p.total : 1;
  const eta = estimateRemainingMs(p, elapsedMs);
  const tail =
    ` ${p.done}/${p.total} runs (${Math.floor(frac * 100)}%)` +
    (p.skipped ? `, ${p.skipped} resumed` : "") +
    (p.failed ? `, ${p.failed} failed` : "") +
    (p.done ? ` · ${Math.round((100 * p.correct) / p.done)}% right` : "") +
    ` · ${formatMs(elapsedMs)} · ETA ${eta === null ? "…" : formatMs(eta)}`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 2));
  const filled = Math.round(frac * barWidth);
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]${tail}`;
}

export class ProgressBar {
  private readonly started: number;
  private lastDrawn = -Infinity;
  private lastBucket = -1;
  private latest: BenchProgress | null = null;

  constructor(
    private readonly out: ProgressOutput,
    private readonly tty: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(p: BenchProgress): void {
    this.latest = p;
    const t = this.now();
    if (this.tty) {
      if (t - this.lastDrawn < 100 && p.done < p.total) return;
      this.lastDrawn = t;
      this.out.write(`\r\x1b[2K${progressLine(p, t - this.started, (this.out.columns ?? 100) - 1)}`);
    } else {
      const bucket = Math.floor((20 * p.done) / Math.max(1, p.total));
      if (bucket === this.lastBucket) return;
      this.lastBucket = bucket;
      this.out.write(progressLine(p, t - this.started, 100) + "\n");
    }
  }

  finish(): void {
    if (this.tty && this.latest) {
      this.out.write(
        `\r\x1b[2K${progressLine(this.latest, this.now() - this.started, (this.out.columns ?? 100) - 1)}\n`,
      );
    }
  }
}
