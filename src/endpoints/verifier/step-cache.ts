import type { Problem } from "../../core/index.js";

/**
 * Scores of single steps, keyed by the problem and the path up to the step. A step's score
 * depends only on what precedes it, so when beam search extends a path by one step, only the
 * new step needs a request. Bounded; the oldest entries go first.
 */
export class StepScoreCache {
  private readonly scores = new Map<string, number>();

  constructor(private readonly limit = 4096) {}

  key(problem: Problem, steps: readonly string[], index: number): string {
    return JSON.stringify([problem.text, ...steps.slice(0, index + 1)]);
  }

  get(key: string): number | undefined {
    return this.scores.get(key);
  }

  set(key: string, score: number): void {
    this.scores.delete(key);
    this.scores.set(key, score);
    if (this.scores.size > this.limit) this.scores.delete(this.scores.keys().next().value!);
  }
}
