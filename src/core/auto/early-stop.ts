import type { AnswerSelection, TallyEntry } from "../types.js";

/**
 * Adaptive-consistency style stopping (Aggarwal et al. 2023): with `a` votes for the leading
 * answer and `b` for the runner-up, the leader's share among the two has a Beta(a+1, b+1)
 * posterior; stop when P(share > 1/2) reaches `confidence`, or when the remaining samples could
 * not overturn the lead anyway.
 */
export function voteIsSettled(votes: readonly number[], remaining: number, confidence = 0.95): boolean {
  const sorted = [...votes].sort((x, y) => y - x);
  const a = sorted[0] ?? 0;
  const b = sorted[1] ?? 0;
  if (a === 0) return false;
  if (a - b > remaining) return true;
  return probabilityLeaderAhead(a, b) >= confidence;
}

/**
 * P(p > 1/2) for p ~ Beta(a+1, b+1) with whole a, b: the Beta–binomial identity gives
 * P(Binomial(a+b+1, 1/2) ≤ a).
 */
export function probabilityLeaderAhead(a: number, b: number): number {
  const trials = a + b + 1;
  let term = Math.pow(0.5, trials); // C(trials, 0) / 2^trials
  let sum = term;
  for (let k = 1; k <= a; k++) {
    term *= (trials - k + 1) / k;
    sum += term;
  }
  return Math.min(1, sum);
}

/**
 * The conservative stop for tree searches (beam search, DVTS), whose later paths are not fresh
 * samples like the early ones (the search keeps the best-scored, and the first to finish can be
 * short wrong solutions): stop only when the `left` candidates still to come could not overturn
 * the leader under the selection rule even if all went to the runner-up, each carrying the most
 * weight a candidate can (one vote; a score of at most 1). The answer is then the one the full
 * search would give on the same samples.
 */
export function leadIsUnassailable(
  tally: readonly TallyEntry[],
  left: number,
  selection: AnswerSelection,
): boolean {
  const [leader, runnerUp] = tally;
  if (!leader) return false;
  if (left <= 0) return true;
  // Scores are probabilities; a verifier that answers above 1 raises the bound with it.
  const weight = Math.max(1, ...tally.map((e) => e.bestScore));
  switch (selection) {
    case "majority":
      return leader.votes - (runnerUp?.votes ?? 0) > left;
    case "prm-vote":
      return leader.scoreSum - (runnerUp?.scoreSum ?? 0) > left * weight;
    case "prm-max":
      return false; // one later candidate with a higher score takes it
  }
}
