// The selected path, step by step: each step rendered (markdown and math, never HTML) with its
// score badge, and the path's answer.
import type { RunView } from "../src/core/index.js";
import { formatScore, pathOf, scoreBand } from "../src/protocol.js";
import { formulaBudget, renderAnswer, renderRichText, type FormulaBudget } from "./rich-text.js";
import { scoreChart } from "./score-chart.js";

/** Steps the path view draws before "Show more steps". */
export const DETAIL_PAGE = 200;

function stepItem(
  doc: Document,
  step: string,
  score: number | undefined,
  budget: FormulaBudget,
): HTMLElement {
  const li = doc.createElement("li");
  li.className = "step";
  li.dataset.testid = "detail-step";
  const badge = doc.createElement("span");
  badge.className = "score badge";
  if (score !== undefined) {
    badge.textContent = formatScore(score);
    badge.dataset.band = scoreBand(score);
    li.dataset.score = String(score);
  } else badge.textContent = "–";
  const body = doc.createElement("div");
  body.className = "step-body";
  renderRichText(body, step, budget);
  li.append(badge, body);
  return li;
}

export function renderDetail(into: HTMLElement, view: RunView | null, nodeId: string | null): void {
  const doc = into.ownerDocument;
  into.replaceChildren();
  const path = view && nodeId ? pathOf(view, nodeId) : null;
  if (!view || !path) {
    const hint = doc.createElement("p");
    hint.className = "muted";
    hint.textContent = "Select a step or candidate to read its whole path here.";
    into.appendChild(hint);
    return;
  }
  const node = view.nodes[path.nodeId];
  const head = doc.createElement("p");
  head.className = "detail-head";
  const status = node?.status ?? (path.finished ? "finished" : "active");
  head.textContent = `${path.steps.length} step${path.steps.length === 1 ? "" : "s"} · ${status}`;
  if (path.score !== undefined) head.textContent += ` · path score ${formatScore(path.score)}`;
  if (node?.error) head.textContent += ` · failed: ${node.error}`;
  into.appendChild(head);
  const chart = scoreChart(doc, path.stepScores);
  if (chart) into.appendChild(chart);
  // One formula allowance for the whole path: a 10,000-step solution must not typeset 300 a step.
  const budget = formulaBudget();
  const list = doc.createElement("ol");
  list.className = "steps";
  into.appendChild(list);
  // Steps are drawn a page at a time, so a path of any length shows in one frame or two; the
  // rest follow when asked for.
  let shown = 0;
  const more = doc.createElement("vscode-button");
  more.dataset.testid = "more-steps";
  more.setAttribute("secondary", "");
  const showPage = (): void => {
    const end = Math.min(path.steps.length, shown + DETAIL_PAGE);
    for (; shown < end; shown++)
      list.appendChild(stepItem(doc, path.steps[shown]!, path.stepScores?.[shown], budget));
    const left = path.steps.length - shown;
    more.hidden = left === 0;
    more.textContent = `Show ${Math.min(left, DETAIL_PAGE)} more steps (${left} not shown)`;
  };
  more.addEventListener("click", showPage);
  showPage();
  into.appendChild(more);
  if (path.finished) {
    const answer = doc.createElement("p");
    answer.className = "detail-answer";
    answer.append(doc.createTextNode("Answer: "));
    const math = doc.createElement("span");
    if (path.answer) renderAnswer(math, path.answer, budget);
    else math.textContent = "none stated";
    answer.appendChild(math);
    into.appendChild(answer);
  }
}
