import type { Candidate } from "../types.js";

/** Difficulty buckets by estimated pass@1, as in Liu et al. 2025 §3.2: easy ≥ 50%, hard < 10%. */
export type DifficultyBucket = "easy" | "medium" | "hard";
export const DIFFICULTY_BUCKETS: readonly DifficultyBucket[] = ["easy", "medium", "hard"];

export function bucketOf(passAt1: number): DifficultyBucket {
  if (passAt1 >= 0.5) return "easy";
  if (passAt1 >= 0.1) return "medium";
  return "hard";
}

export interface ProbeEstimate {
  samples: number;
  /** Share of the other samples that agree with the most common answer: 0 when none agree. */
  agreement: number;
  /** Mean aggregated verifier score of the samples, when a verifier scored them. */
  meanScore: number | null;
  /** The estimate of pass@1 the bucket is read from. */
  passAt1: number;
  bucket: DifficultyBucket;
}

/**
 * Estimates pass@1 from a few whole solutions. Agreement stands in for correctness (answers
 * that agree tend to be right: self-consistency); with a verifier, its mean final score is
 * averaged in, as Snell et al.'s "predicted difficulty" bins by verifier score.
 */
export function estimateDifficulty(probe: readonly Candidate[], scored: boolean): ProbeEstimate {
  const votes = new Map<string, number>();
  for (const c of probe) if (c.group !== null) votes.set(c.group, (votes.get(c.group) ?? 0) + 1);
  const top = Math.max(0, ...votes.values());
  const agreement = probe.length > 1 && top > 0 ? (top - 1) / (probe.length - 1) : 0;
  const meanScore =
    scored && probe.length
      ? probe.reduce((a, c) => a + (c.answer === null ? 0 : (c.score ?? 0)), 0) / probe.length
      : null;
  const passAt1 = meanScore === null ? agreement : (agreement + meanScore) / 2;
  return { samples: probe.length, agreement, meanScore, passAt1, bucket: bucketOf(passAt1) };
}

/** A few cheap samples: a quarter of the budget, between 2 and 8. */
export function probeSize(n: number): number {
  return Math.max(2, Math.min(8, Math.floor(n / 4)));
}
