// Caps that keep one comparison bounded whatever the input: a grader sees untrusted model text.

export interface AnswerLimits {
  /** Longest extracted answer (characters) that is compared at all. */
  maxAnswerLength: number;
  /** Longest answer element handed to the computer-algebra parser. */
  maxCasLength: number;
  /** Deepest bracket nesting accepted. */
  maxNesting: number;
  /** Most nodes in a parsed expression. */
  maxNodes: number;
  /** Work units (evaluation steps, element comparisons) one comparison may spend. */
  maxWork: number;
  /** Wall-clock milliseconds one comparison may take, checked between its stages. */
  maxMillis: number;
  /** Largest exact integer kept, in bits; beyond it values turn into floats. */
  maxBits: number;
}

export const DEFAULT_LIMITS: AnswerLimits = {
  maxAnswerLength: 1000,
  maxCasLength: 400,
  maxNesting: 24,
  maxNodes: 400,
  maxWork: 50_000,
  maxMillis: 2_000,
  maxBits: 32_768,
};

/** Thrown when a comparison runs out of work or time; caught where the comparison started. */
export class LimitExceeded extends Error {}

/** The work and time one comparison may still spend. */
export class Budget {
  private work = 0;
  private readonly deadline: number;

  constructor(
    readonly limits: AnswerLimits,
    private readonly now: () => number,
  ) {
    this.deadline = now() + limits.maxMillis;
  }

  /** Spends `units` of work; throws LimitExceeded once the work or the time is used up. */
  spend(units = 1): void {
    this.work += units;
    if (this.work > this.limits.maxWork)
      throw new LimitExceeded(`the comparison needed more than ${this.limits.maxWork} work units`);
    // The clock is read only every 256 units: cheap, and a stage between reads is short.
    if ((this.work & 255) < units && this.now() > this.deadline)
      throw new LimitExceeded(`the comparison took longer than ${this.limits.maxMillis} ms`);
  }

  /** Checks the clock now (between stages that may each take a few milliseconds). */
  checkTime(): void {
    if (this.now() > this.deadline)
      throw new LimitExceeded(`the comparison took longer than ${this.limits.maxMillis} ms`);
  }
}
