import type { Aggregation } from "./types.js";

/** Folds a path's step scores into one score. An empty path scores 0. */
export function aggregateScores(scores: readonly number[], how: Aggregation): number {
  if (scores.length === 0) return 0;
  switch (how) {
    case "last":
      return scores[scores.length - 1]!;
    case "min":
      return Math.min(...scores);
    case "mean":
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    case "prod":
      return scores.reduce((a, b) => a * b, 1);
  }
}
