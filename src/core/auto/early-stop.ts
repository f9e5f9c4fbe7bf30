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
