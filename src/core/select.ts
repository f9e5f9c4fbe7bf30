import type { AnswerSelection, Candidate, TallyEntry } from "./types.js";

/** Counts votes and summed scores per answer group, best first under the given selection. */
export function tallyAnswers(candidates: readonly Candidate[], selection: AnswerSelection): TallyEntry[] {
  const t = new RunningTally();
  t.rebuild(candidates);
  return t.entries(selection);
}

/**
 * A tally kept as candidates finish: `add` counts one more candidate of a known grouping,
 * `rebuild` starts over (groups merged, or scores changed). The same entries as counting all
 * candidates again, for a search that finishes hundreds of paths.
 */
export class RunningTally {
  private byGroup = new Map<string, TallyEntry>();

  rebuild(candidates: readonly Candidate[]): void {
    this.byGroup = new Map();
    for (const c of candidates) this.add(c);
  }

  add(c: Candidate): void {
    if (c.answer === null || c.group === null) return;
    const s = c.score ?? 0;
    const entry = this.byGroup.get(c.group);
    if (entry) {
      entry.votes++;
      entry.scoreSum += s;
      entry.bestScore = Math.max(entry.bestScore, s);
    } else {
      this.byGroup.set(c.group, { group: c.group, answer: c.answer, votes: 1, scoreSum: s, bestScore: s });
    }
  }

  /** Copies, best first. Map order is first-seen order; a stable sort keeps it as the tie-break, as the reference does. */
  entries(selection: AnswerSelection): TallyEntry[] {
    return [...this.byGroup.values()]
      .map((e) => ({ ...e }))
      .sort((a, b) => rank(b, selection) - rank(a, selection));
  }
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
