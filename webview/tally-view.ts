// The answer tally: every distinct answer with its votes and summed path score, as a small bar
// chart (bar lengths set through CSSOM, which the strict CSP allows), the chosen one highlighted.
import type { TallyEntry } from "../src/core/index.js";
import { renderAnswer } from "./rich-text.js";

const MAX_ROWS = 12;

export function renderTally(
  into: HTMLElement,
  tally: readonly TallyEntry[],
  chosenGroup: string | null,
): void {
  const doc = into.ownerDocument;
  into.replaceChildren();
  if (!tally.length) {
    const empty = doc.createElement("p");
    empty.className = "muted";
    empty.textContent = "No answers yet.";
    into.appendChild(empty);
    return;
  }
  const maxVotes = Math.max(...tally.map((t) => t.votes), 1);
  const maxScore = Math.max(...tally.map((t) => t.scoreSum), 0);
  const total = tally.reduce((s, t) => s + t.votes, 0);
  const chosen = chosenGroup ?? tally[0]!.group;
  for (const entry of tally.slice(0, MAX_ROWS)) {
    const row = doc.createElement("div");
    row.className = "tally-row";
    row.dataset.testid = "tally-row";
    row.dataset.votes = String(entry.votes);
    if (entry.group === chosen) row.classList.add("chosen");
    const answer = doc.createElement("span");
    answer.className = "tally-answer";
    renderAnswer(answer, entry.answer);
    answer.title = entry.answer;
    const bars = doc.createElement("span");
    bars.className = "tally-bars";
    const votes = doc.createElement("span");
    votes.className = "bar votes";
    votes.style.width = `${(100 * entry.votes) / maxVotes}%`;
    bars.appendChild(votes);
    if (maxScore > 0) {
      const score = doc.createElement("span");
      score.className = "bar score-sum";
      score.style.width = `${(100 * entry.scoreSum) / maxScore}%`;
      bars.appendChild(score);
    }
    const numbers = doc.createElement("span");
    numbers.className = "tally-numbers";
    numbers.textContent =
      `${entry.votes} vote${entry.votes === 1 ? "" : "s"} (${Math.round((100 * entry.votes) / total)}%)` +
      (maxScore > 0 ? ` · Σ ${entry.scoreSum.toFixed(2)} · best ${entry.bestScore.toFixed(2)}` : "");
    row.append(answer, bars, numbers);
    into.appendChild(row);
  }
  if (tally.length > MAX_ROWS) {
    const more = doc.createElement("p");
    more.className = "muted";
    more.textContent = `${tally.length - MAX_ROWS} more answers with fewer votes.`;
    into.appendChild(more);
  }
}
