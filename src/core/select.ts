import type { AnswerSelection, Candidate, TallyEntry } from "./types.js";

/** Counts votes and summed scores per answer group, best first under the given selection. */
export function tallyAnswers(candidates: readonly Candidate[], selection: AnswerSelection): TallyEntry[] {
  const byGroup = new Map<string, TallyEntry>();
  for (const c of candidates) {
    if (c.answer === null || c.group === null) continue;
    const s = c.score ?? 0;
    const entry = byGroup.get(c.group);
    if (entry) {
      entry.votes++;
      entry.scoreSum += s;
      entry.bestScore = Math.max(entry.bestScore, s);
    } else {
      byGroup.set(c.group, { group: c.group, answer: c.answer, votes: 1, scoreSum: s, bestScore: s });
    }
  }
  // Map order is first-seen order; a stable sort keeps it as the tie-break, as the reference does.
  return [...byGroup.values()].sort((a, b) => rank(b, selection) - rank(a, selection));
}

function rank(e: TallyEntry, selection: AnswerSelection): number {
  switch (selection) {
    case "majority":
      return e.votes;
    case "prm-max":
      return e.bestScore;
    case "prm-vote":
      return e.scoreSum;
  }
}

/**
 * Picks the answer and the solution to show for it: the top tally group, and within it the
 * candidate with the best score (the first one when unscored).
 */
export function selectAnswer(
  candidates: readonly Candidate[],
  selection: AnswerSelection,
): { tally: TallyEntry[]; chosen: Candidate | null } {
  const tally = tallyAnswers(candidates, selection);
  const top = tally[0];
  if (!top) return { tally, chosen: bestScored(candidates) };
  const members = candidates.filter((c) => c.group === top.group);
  return { tally, chosen: bestScored(members) };
}

function bestScored(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) if (!best || (c.score ?? 0) > (best.score ?? 0)) best = c;
  return best;
}
