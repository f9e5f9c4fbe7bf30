// The selected path, step by step: each step rendered (markdown and math, never HTML) with its
// score badge, and the path's answer.
import type { RunView } from "../src/core/index.js";
import { formatScore, pathOf, scoreBand } from "../src/protocol.js";
import { formulaBudget, renderAnswer, renderRichText } from "./rich-text.js";
import { scoreChart } from "./score-chart.js";

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
  path.steps.forEach((step, i) => {
    const li = doc.createElement("li");
    li.className = "step";
    li.dataset.testid = "detail-step";
    const score = path.stepScores?.[i];
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
    list.appendChild(li);
  });
  into.appendChild(list);
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
