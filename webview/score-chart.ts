// A path's step scores by depth: where the PRM gained or lost confidence along it. A small inline
// SVG in theme colours, with the same facts in words for screen readers and for the eye.
import { formatScore, scoreBand } from "../src/protocol.js";
import { PlotFrame, svgEl, svgText, thin } from "./svg.js";

const WIDTH = 320;
const HEIGHT = 84;
/** Steps up to this many get a dot each; longer paths are a line. */
const MAX_DOTS = 60;

/** The chart's words: how many steps, where the path ended, its low point and its biggest change. */
export function describeScores(scores: readonly number[]): string {
  const n = scores.length;
  const first = scores[0]!;
  const last = scores[n - 1]!;
  if (n === 1) return `Step scores: 1 step, scored ${formatScore(first)}.`;
  let low = 0;
  let drop = { size: 0, at: 0 };
  let gain = { size: 0, at: 0 };
  for (let i = 1; i < n; i++) {
    if (scores[i]! < scores[low]!) low = i;
    const change = scores[i]! - scores[i - 1]!;
    if (-change > drop.size) drop = { size: -change, at: i };
    if (change > gain.size) gain = { size: change, at: i };
  }
  const parts = [
    `Step scores: ${n} steps, from ${formatScore(first)} to ${formatScore(last)}`,
    `lowest ${formatScore(scores[low]!)} at step ${low + 1}`,
  ];
  if (drop.size >= 0.005) parts.push(`biggest drop ${formatScore(drop.size)} at step ${drop.at + 1}`);
  if (gain.size >= 0.005) parts.push(`biggest gain ${formatScore(gain.size)} at step ${gain.at + 1}`);
  return `${parts.join("; ")}.`;
}

/** The chart of a path's step scores, or null for a path with none yet. */
export function scoreChart(doc: Document, scores: readonly number[] | undefined): HTMLElement | null {
  if (!scores?.length) return null;
  const n = scores.length;
  const frame = new PlotFrame(WIDTH, HEIGHT, { left: 26, right: 8, top: 6, bottom: 18 }, [1, n], [0, 1]);
  const words = describeScores(scores);
  const svg = svgEl(doc, "svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    // The caption says the same in words; a screen reader reads that once.
    "aria-hidden": "true",
    class: "chart-svg",
  });
  for (const v of [0, 0.5, 1]) {
    svg.append(
      svgEl(doc, "line", {
        x1: frame.left,
        x2: frame.right,
        y1: frame.y(v),
        y2: frame.y(v),
        class: v === 0.5 ? "grid mid" : "grid",
      }),
      svgText(doc, frame.left - 4, frame.y(v) + 3, String(v), "tick", "end"),
    );
  }
  const data = thin(
    scores.map((s, i) => [i + 1, s] as const),
    WIDTH,
    (d) => d[0],
    (d) => d[1],
  );
  svg.append(svgEl(doc, "polyline", { points: frame.points(data), class: "line score" }));
  if (n <= MAX_DOTS)
    scores.forEach((s, i) =>
      svg.append(
        svgEl(doc, "circle", {
          cx: frame.x(i + 1),
          cy: frame.y(s),
          r: 2.5,
          class: `dot band-${scoreBand(s)}`,
        }),
      ),
    );
  svg.append(
    svgText(doc, frame.left, HEIGHT - 4, "step 1", "tick"),
    svgText(doc, frame.right, HEIGHT - 4, `step ${n}`, "tick", "end"),
  );
  const figure = doc.createElement("figure");
  figure.className = "chart score-chart";
  figure.dataset.testid = "score-chart";
  const caption = doc.createElement("figcaption");
  caption.className = "chart-caption";
  caption.textContent = words;
  figure.append(svg, caption);
  return figure;
}
