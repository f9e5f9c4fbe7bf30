// The grader: reads answers once (cached), compares them under the limits, grades a response.
import { analyzeAnswer, type AnalyzedAnswer } from "./analyze.js";
import { equivalent } from "./equivalence.js";
import { extractAnswer, extractGold } from "./extract.js";
import { Budget, DEFAULT_LIMITS, LimitExceeded, type AnswerLimits } from "./limits.js";
import type { Verdict } from "./scalar.js";

export interface GradeOptions {
  /**
   * Relative tolerance. Unset: 1e-6 for values that are not both exact rationals, and exact
   * rationals (`1` and `1.0001`, two finite decimals) compare exactly. Set: every numeric
   * comparison uses it, exact rationals too (Qwen2.5-Math's `1e-4` makes `1` = `1.0001`).
   */
  relTol?: number;
  /** Fall back to the last number of a response that states no answer (default true). */
  lastNumber?: boolean;
  limits?: Partial<AnswerLimits>;
  /**
   * Clock for the per-comparison time cap (default `performance.now`). The work cap is what
   * normally stops a comparison; the clock is a backstop for what the work count misses.
   */
  now?: () => number;
}

export interface GradeResult {
  equal: boolean;
  /** The answer extracted from the prediction, or null when it states none. */
  predAnswer: string | null;
  goldAnswer: string;
  /** Why the answers could not be compared (limits, unreadable input), when that decided it. */
  reason?: string;
}

const CACHE_SIZE = 4096;

export class AnswerGrader {
  readonly limits: AnswerLimits;
  readonly relTol: number;
  /** The tolerance for two exact rationals: 0 unless relTol was set. */
  readonly exactRelTol: number;
  readonly lastNumber: boolean;
  private readonly now: () => number;
  private readonly analyzed = new Map<string, AnalyzedAnswer>();
  private readonly verdicts = new Map<string, Verdict>();

  constructor(options: GradeOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.relTol = options.relTol ?? 1e-6;
    this.exactRelTol = options.relTol ?? 0;
    this.lastNumber = options.lastNumber ?? true;
    this.now = options.now ?? (() => performance.now());
  }

  /** The final answer of a response (see extractAnswer). */
  extract(response: string): string | null {
    return extractAnswer(response, { lastNumber: this.lastNumber });
  }

  /** Normalized and read, once per distinct string. */
  analyze(answer: string): AnalyzedAnswer {
    let a = this.analyzed.get(answer);
    if (!a) {
      a = analyzeAnswer(answer, this.limits, this.now);
      // Over-long answers are rejected at once; caching them would only hold their memory.
      if (answer.length <= this.limits.maxAnswerLength) remember(this.analyzed, answer, a);
    }
    return a;
  }

  /** Whether two extracted answers are equivalent; never throws, never runs past the limits. */
  compare(a: string, b: string): Verdict {
    return this.compareAnalyzed(this.analyze(a), this.analyze(b));
  }

  compareAnalyzed(a: AnalyzedAnswer, b: AnalyzedAnswer): Verdict {
    const invalid = a.value.kind === "invalid" ? a.value : b.value.kind === "invalid" ? b.value : null;
    if (invalid) return { equal: false, reason: invalid.reason };
    if (a.normalized === b.normalized) return { equal: true };
    const key =
      a.normalized < b.normalized
        ? `${a.normalized}\u0000${b.normalized}`
        : `${b.normalized}\u0000${a.normalized}`;
    const cached = this.verdicts.get(key);
    if (cached) return cached;
    let verdict: Verdict;
    try {
      verdict = equivalent(a.value, b.value, {
        budget: new Budget(this.limits, this.now),
        relTol: this.relTol,
        exactRelTol: this.exactRelTol,
      });
    } catch (e) {
      if (!(e instanceof LimitExceeded)) throw e;
      verdict = { equal: false, reason: e.message };
    }
    remember(this.verdicts, key, verdict);
    return verdict;
  }

  /** Grades a prediction (a whole response or a bare answer) against a reference answer. */
  grade(gold: string, pred: string): GradeResult {
    const goldAnswer = extractGold(gold);
    const predAnswer = this.extract(pred);
    if (predAnswer === null)
      return { equal: false, predAnswer, goldAnswer, reason: "no final answer found in the prediction" };
    const verdict = this.compare(goldAnswer, predAnswer);
    return {
      equal: verdict.equal,
      predAnswer,
      goldAnswer,
      ...(verdict.reason && !verdict.equal ? { reason: verdict.reason } : {}),
    };
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}
