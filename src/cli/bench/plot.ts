// Accuracy against budget as a hand-written SVG: one panel per setup, one line per strategy,
// budget on a log₂ axis. No library: the picture is a few dozen elements.
import type { BenchReport } from "./report.js";

export interface PlotSeries {
  label: string;
  /** x = budget n, y = accuracy in [0, 1]. */
  points: { x: number; y: number }[];
}

export interface PlotPanel {
  title: string;
  series: PlotSeries[];
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const MARKERS = ["circle", "square", "diamond", "triangle"] as const;

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const r = 3.5;
  const f = (v: number): string => v.toFixed(1);
  switch (kind) {
    case "circle":
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${r}" fill="${colour}"/>`;
    case "square":
      return `<rect x="${f(x - r)}" y="${f(y - r)}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case "diamond":
      return `<path d="M${f(x)} ${f(y - r - 1)}L${f(x + r + 1)} ${f(y)}L${f(x)} ${f(y + r + 1)}L${f(x - r - 1)} ${f(y)}Z" fill="${colour}"/>`;
    case "triangle":
      return `<path d="M${f(x)} ${f(y - r - 1)}L${f(x + r + 1)} ${f(y + r)}L${f(x - r - 1)} ${f(y + r)}Z" fill="${colour}"/>`;
  }
}

/** One SVG with the panels in a grid and one shared legend; labels keep a colour across panels. */
export function accuracyPlot(
  panels: readonly PlotPanel[],
  options: {
    title?: string;
    columns?: number;
    /** Another x axis than the budget (e.g. FLOPs): its label, ticks and tick text. */
    xAxis?: { label: string; ticks: number[]; format: (x: number) => string };
  } = {},
): string {
  const columns = Math.max(1, Math.min(options.columns ?? 1, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const pw = 360;
  const ph = 260;
  const m = { left: 48, right: 14, top: 28, bottom: 40 };
  const titleH = options.title ? 30 : 8;
  const labels = [...new Set(panels.flatMap((p) => p.series.map((s) => s.label)))];
  const legendH = 26;
  const width = columns * pw;
  const height = titleH + rows * ph + legendH;
  const xs = panels.flatMap((p) => p.series.flatMap((s) => s.points.map((q) => q.x))).filter((x) => x > 0);
  const ticks = options.xAxis?.ticks ?? [...new Set(xs.length ? xs : [1])].sort((a, b) => a - b);
  // Half a budget step of room at each end, so the first and last markers clear the frame.
  const pad =
    ticks.length > 1 ? (Math.log2(ticks.at(-1)!) - Math.log2(ticks[0]!)) / (2 * (ticks.length - 1)) : 1;
  const lo = Math.log2(ticks[0]!) - pad;
  const hi = Math.log2(ticks.at(-1)!) + pad;
  // The y axis ends at 100% and starts at a multiple of 10% below the lowest point, so that
  // differences near the top stay visible; the tick labels say where it starts.
  const ys = panels.flatMap((p) => p.series.flatMap((s) => s.points.map((q) => q.y)));
  const yLo = Math.max(0, Math.floor(Math.min(1, ...ys) * 10 - 1e-9) / 10 - 0.1);
  const yStep = 1 - yLo > 0.5 ? 0.2 : 0.1;
  const seriesCount = Math.max(1, ...panels.map((p) => p.series.length));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  if (options.title)
    out.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(options.title)}</text>`,
    );
  panels.forEach((panel, i) => {
    const ox = (i % columns) * pw;
    const oy = titleH + Math.floor(i / columns) * ph;
    const w = pw - m.left - m.right;
    const h = ph - m.top - m.bottom;
    const px = (x: number): number => ox + m.left + ((Math.log2(x) - lo) / (hi - lo)) * w;
    const py = (y: number): number => oy + m.top + ((1 - y) / (1 - yLo)) * h;
    out.push(
      `<text x="${ox + m.left + w / 2}" y="${oy + 18}" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`,
    );
    for (let y = 1; y >= yLo - 1e-9; y -= yStep) {
      out.push(
        `<line x1="${ox + m.left}" x2="${ox + m.left + w}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`,
        `<text x="${ox + m.left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${Math.round(y * 100)}</text>`,
      );
    }
    for (const t of ticks)
      out.push(
        `<line x1="${px(t).toFixed(1)}" x2="${px(t).toFixed(1)}" y1="${oy + m.top}" y2="${oy + m.top + h}" stroke="#eee"/>`,
        `<text x="${px(t).toFixed(1)}" y="${oy + m.top + h + 14}" text-anchor="middle">${options.xAxis ? options.xAxis.format(t) : t}</text>`,
      );
    out.push(
      `<rect x="${ox + m.left}" y="${oy + m.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
      `<text x="${ox + m.left + w / 2}" y="${oy + ph - 8}" text-anchor="middle">${esc(options.xAxis?.label ?? "budget n (generations, log scale)")}</text>`,
      `<text transform="translate(${ox + 13} ${oy + m.top + h / 2}) rotate(-90)" text-anchor="middle">accuracy (%)</text>`,
    );
    panel.series.forEach((s, i) => {
      const k = labels.indexOf(s.label);
      const colour = PALETTE[k % PALETTE.length]!;
      // Series are nudged apart sideways by a few pixels, so equal accuracies stay visible.
      const dx = (i - (seriesCount - 1) / 2) * 3;
      const pts = [...s.points].sort((a, b) => a.x - b.x);
      if (pts.length > 1)
        out.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-opacity="0.85" points="${pts.map((q) => `${(px(q.x) + dx).toFixed(1)},${py(q.y).toFixed(1)}`).join(" ")}"/>`,
        );
      for (const q of pts) out.push(marker(MARKERS[k % MARKERS.length]!, px(q.x) + dx, py(q.y), colour));
    });
  });
  const ly = titleH + rows * ph + 14;
  const step = Math.min(150, width / Math.max(1, labels.length));
  const lx0 = (width - step * labels.length) / 2;
  labels.forEach((label, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const x = lx0 + k * step;
    out.push(
      `<line x1="${x}" x2="${x + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      marker(MARKERS[k % MARKERS.length]!, x + 11, ly - 4, colour),
      `<text x="${x + 28}" y="${ly}">${esc(label)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** The panel of one report: a line per strategy through its accuracy at each budget. */
export function reportPanel(report: BenchReport, title = report.title): PlotPanel {
  return {
    title,
    series: report.strategies.map((strategy) => ({
      label: strategy,
      points: report.cells
        .filter((c) => c.strategy === strategy && c.runs > 0)
        .map((c) => ({ x: c.n, y: c.accuracy })),
    })),
  };
}
