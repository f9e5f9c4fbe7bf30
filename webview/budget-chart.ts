// What the run spent over time, by role: tokens the policy and the verifier had used at each
// moment (the cost events, RunView.spending), with the point where Auto stopped early and saved
// the rest of its budget. A small inline SVG in theme colours, with its facts in words.
import type { RunView } from "../src/core/index.js";
import type { SpendingPoint } from "../src/core/run-view.js";
import { formatCount, formatSeconds } from "./format.js";
import { PlotFrame, svgEl, svgText, thin } from "./svg.js";

const WIDTH = 320;
const HEIGHT = 84;
const ROLES = ["policy", "verifier"] as const;

/** The chart's words: what each role spent, over how long, and the early stop. */
export function describeSpending(view: RunView): string {
  const last = view.spending[view.spending.length - 1];
  if (!last) return "Nothing spent yet.";
  const end = last.t;
  const parts = [
    `Tokens spent in ${formatSeconds(end)}: policy ${formatCount(last.policy)}, verifier ${formatCount(last.verifier)}`,
  ];
  if (view.earlyStop)
    parts.push(
      `Auto stopped early at ${formatSeconds(view.earlyStop.t)}, saving ${view.earlyStop.budgetSaved} sample${view.earlyStop.budgetSaved === 1 ? "" : "s"}`,
    );
  return `${parts.join(". ")}.`;
}

/** The chart of the run's spending, or null before anything was spent. */
export function budgetChart(doc: Document, view: RunView): HTMLElement | null {
  const series = view.spending;
  const last = series[series.length - 1];
  if (!last) return null;
  // Up to the last cost event (the run's end is one): what was spent by when.
  const end = Math.max(last.t, 1);
  const top = Math.max(1, ...series.map((p) => Math.max(p.policy, p.verifier)));
  const frame = new PlotFrame(WIDTH, HEIGHT, { left: 34, right: 8, top: 6, bottom: 18 }, [0, end], [0, top]);
  const svg = svgEl(doc, "svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    "aria-hidden": "true",
    class: "chart-svg",
  });
  for (const v of [0, top])
    svg.append(
      svgEl(doc, "line", { x1: frame.left, x2: frame.right, y1: frame.y(v), y2: frame.y(v), class: "grid" }),
      svgText(doc, frame.left - 4, frame.y(v) + 3, formatCount(v), "tick", "end"),
    );
  for (const role of ROLES) {
    const data = thin<SpendingPoint>(
      [{ t: 0, policy: 0, verifier: 0 }, ...series],
      WIDTH,
      (p) => p.t,
      (p) => p[role],
    );
    svg.append(
      svgEl(doc, "polyline", {
        points: frame.points(data.map((p) => [p.t, p[role]])),
        class: `line ${role}`,
      }),
    );
  }
  if (view.earlyStop) {
    const x = frame.x(Math.min(view.earlyStop.t, end));
    svg.append(
      svgEl(doc, "line", { x1: x, x2: x, y1: frame.top, y2: frame.bottom, class: "marker early-stop" }),
      svgText(doc, x - 3, frame.top + 9, "early stop", "tick marker-label", "end"),
    );
  }
  svg.append(
    svgText(doc, frame.left, HEIGHT - 4, "0 s", "tick"),
    svgText(doc, frame.right, HEIGHT - 4, formatSeconds(end), "tick", "end"),
  );
  const legend = doc.createElement("div");
  legend.className = "chart-legend";
  for (const role of ROLES) {
    const key = doc.createElement("span");
    key.className = `key ${role}`;
    key.textContent = `${role} ${formatCount(last[role])} tokens`;
    legend.appendChild(key);
  }
  const figure = doc.createElement("figure");
  figure.className = "chart budget-chart";
  figure.dataset.testid = "budget-chart";
  const caption = doc.createElement("figcaption");
  caption.className = "chart-caption";
  caption.textContent = describeSpending(view);
  figure.append(legend, svg, caption);
  return figure;
}
