// The few SVG pieces the panel's small charts share: elements by class (colours come from
// panel.css, which reads the theme; presentation attributes cannot), a plot frame with its
// scales, and thinning a long series to what a chart's width can show.
export const SVG_NS = "http://www.w3.org/2000/svg";

export function svgEl(
  doc: Document,
  tag: string,
  attrs: Record<string, string | number>,
  ...children: Node[]
): SVGElement {
  const e = doc.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

export function svgText(
  doc: Document,
  x: number,
  y: number,
  text: string,
  className: string,
  anchor: "start" | "middle" | "end" = "start",
): SVGElement {
  const t = svgEl(doc, "text", { x, y, class: className, "text-anchor": anchor });
  t.textContent = text;
  return t;
}

/** A chart's drawing area inside its viewBox, and the data ranges it maps. */
export class PlotFrame {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly pad: { left: number; right: number; top: number; bottom: number },
    readonly xRange: [number, number],
    readonly yRange: [number, number],
  ) {}

  get left(): number {
    return this.pad.left;
  }
  get right(): number {
    return this.width - this.pad.right;
  }
  get top(): number {
    return this.pad.top;
  }
  get bottom(): number {
    return this.height - this.pad.bottom;
  }

  x(v: number): number {
    const [a, b] = this.xRange;
    const f = b > a ? (v - a) / (b - a) : 0.5;
    return round(this.left + f * (this.right - this.left));
  }

  y(v: number): number {
    const [a, b] = this.yRange;
    const f = b > a ? (v - a) / (b - a) : 0;
    return round(this.bottom - f * (this.bottom - this.top));
  }

  /** `points` attribute of a polyline through `data` (x, y in data units). */
  points(data: readonly (readonly [number, number])[]): string {
    return data.map(([x, y]) => `${this.x(x)},${this.y(y)}`).join(" ");
  }
}

const round = (v: number): number => Math.round(v * 10) / 10;

/**
 * At most about 2 × `columns` points of a series sorted by x: per column of the chart the first,
 * lowest, highest and last points, so every dip and peak a pixel could show survives.
 */
export function thin<T extends object>(
  data: readonly T[],
  columns: number,
  x: (d: T) => number,
  y: (d: T) => number,
): T[] {
  if (data.length <= 2 * columns) return [...data];
  const x0 = x(data[0]!);
  const span = x(data[data.length - 1]!) - x0 || 1;
  const out: T[] = [];
  let column = -1;
  let bucket: T[] = [];
  const flush = (): void => {
    if (!bucket.length) return;
    let lo = bucket[0]!;
    let hi = bucket[0]!;
    for (const d of bucket) {
      if (y(d) < y(lo)) lo = d;
      if (y(d) > y(hi)) hi = d;
    }
    const keep = new Set([bucket[0]!, lo, hi, bucket[bucket.length - 1]!]);
    out.push(...bucket.filter((d) => keep.has(d)));
    bucket = [];
  };
  for (const d of data) {
    const c = Math.min(columns - 1, Math.floor(((x(d) - x0) / span) * columns));
    if (c !== column) {
      flush();
      column = c;
    }
    bucket.push(d);
  }
  flush();
  return out;
}
