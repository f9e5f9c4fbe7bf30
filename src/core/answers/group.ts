// Vote grouping: one group id per answer, equivalent answers sharing one, without comparing
// every pair. Identical normalized strings and identical exact keys merge at once; the rest are
// compared only with neighbours of the same shape whose values sort close together.
import type { Analyzed, AnalyzedAnswer } from "./analyze.js";
import { textForm } from "./equivalence.js";
import type { AnswerGrader } from "./grader.js";
import { exactKey, fingerprint } from "./scalar.js";

/** Pairwise comparisons one grouping may make; past it only exact keys merge. */
const MAX_COMPARISONS = 20_000;
/** Items without a usable fingerprint are compared all-pairs only in buckets this small. */
const MAX_UNSORTED_BUCKET = 32;

interface Item {
  answer: AnalyzedAnswer;
  first: number;
  key: string | null;
  shape: string;
  fp: number;
  scale: number;
}

/** An item in one bucket, with the fingerprint it sorts by there. */
interface Member {
  item: number;
  fp: number;
  scale: number;
}

export function groupAnswers(answers: readonly string[], grader: AnswerGrader): string[] {
  const items: Item[] = [];
  const itemOf = new Map<string, number>();
  const indexes = answers.map((raw, i) => {
    const answer = grader.analyze(raw);
    const known = itemOf.get(answer.normalized);
    if (known !== undefined) return known;
    const { fp, scale } = fingerprintOf(answer.value);
    items.push({ answer, first: i, key: keyOf(answer.value), shape: shapeOf(answer.value), fp, scale });
    itemOf.set(answer.normalized, items.length - 1);
    return items.length - 1;
  });

  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (i: number, j: number): void => {
    const [a, b] = [find(i), find(j)];
    // The root is the item seen first, so a group keeps the id of its first answer.
    if (a === b) return;
    if (items[a]!.first < items[b]!.first) parent[b] = a;
    else parent[a] = b;
  };

  const byKey = new Map<string, number>();
  const buckets = new Map<string, Member[]>();
  const join = (shape: string, member: Member): void => {
    const bucket = buckets.get(shape);
    if (bucket) bucket.push(member);
    else buckets.set(shape, [member]);
  };
  items.forEach((item, i) => {
    if (item.key !== null) {
      const seen = byKey.get(item.key);
      if (seen !== undefined) union(seen, i);
      else byKey.set(item.key, i);
    }
    if (item.shape === "text" || item.shape === "invalid") return;
    join(item.shape, { item: i, fp: item.fp, scale: item.scale });
    // `y = 2x+1` is also compared with the equations (`2x - y + 1 = 0`), which sort by nothing.
    const v = item.answer.value;
    if (v.kind === "scalar" && v.equation) join("r=", { item: i, fp: NaN, scale: 0 });
  });

  // Neighbours within the grader's tolerance sort together; the window is at least that wide.
  const window = Math.max(1e-5, 2 * Math.max(grader.relTol, grader.exactRelTol));
  let comparisons = 0;
  const tryMerge = (i: number, j: number): void => {
    if (find(i) === find(j) || comparisons >= MAX_COMPARISONS) return;
    comparisons++;
    if (grader.compareAnalyzed(items[i]!.answer, items[j]!.answer).equal) union(i, j);
  };
  for (const bucket of buckets.values()) {
    const sorted = bucket.filter((m) => Number.isFinite(m.fp)).sort((m, n) => m.fp - n.fp);
    for (let s = 0; s < sorted.length; s++) {
      const a = sorted[s]!;
      for (let t = s + 1; t < sorted.length; t++) {
        const b = sorted[t]!;
        if (b.fp - a.fp > window * Math.max(a.scale, b.scale) + 1e-9) break;
        tryMerge(a.item, b.item);
      }
    }
    const unsorted = bucket.filter((m) => !Number.isFinite(m.fp));
    if (unsorted.length <= MAX_UNSORTED_BUCKET)
      for (let s = 0; s < unsorted.length; s++)
        for (let t = s + 1; t < unsorted.length; t++) tryMerge(unsorted[s]!.item, unsorted[t]!.item);
  }

  return indexes.map((i) => items[find(i)]!.answer.normalized);
}

/** Only answers that are equal share a key; null when equality needs a comparison. */
function keyOf(v: Analyzed): string | null {
  const all = (items: Analyzed[]): string[] | null => {
    const keys = items.map(keyOf);
    return keys.every((k) => k !== null) ? (keys as string[]) : null;
  };
  switch (v.kind) {
    case "scalar":
      return exactKey(v.scalar);
    case "text":
      return `x:${textForm(v)}`;
    case "tuple": {
      const keys = all(v.items);
      return keys && `t${v.open}${keys.join(",")}${v.close}`;
    }
    case "set":
    case "union": {
      const keys = all(v.items);
      return keys && `${v.kind}{${keys.sort().join(",")}}`;
    }
    case "matrix": {
      const keys = all(v.rows.flat());
      if (!keys) return null;
      return isVector(v.rows)
        ? `t(${keys.join(",")})`
        : `m${v.rows.map((r) => r.length).join("/")}[${keys.join(",")}]`;
    }
    default:
      return null;
  }
}

/** Answers that may be equal have the same shape. */
function shapeOf(v: Analyzed): string {
  switch (v.kind) {
    case "tuple":
      return `t${v.open}${v.close}${v.items.length}`;
    case "set":
    case "union":
      return `${v.kind}${v.items.length}`;
    case "matrix":
      return isVector(v.rows) ? `t()${v.rows.flat().length}` : `m${v.rows.map((r) => r.length).join("/")}`;
    case "relation":
      return `r${v.op}`;
    default:
      return v.kind;
  }
}

const isVector = (rows: Analyzed[][]): boolean => rows.length === 1 || rows.every((r) => r.length === 1);

/** The sum of the leaves' values (order-free, so sets sort too) and the sum of their sizes. */
function fingerprintOf(v: Analyzed): { fp: number; scale: number } {
  switch (v.kind) {
    case "scalar": {
      const fp = fingerprint(v.scalar);
      return { fp, scale: Math.abs(fp) };
    }
    case "tuple":
    case "set":
    case "union":
    case "matrix": {
      const leaves = (v.kind === "matrix" ? v.rows.flat() : v.items).map(fingerprintOf);
      const fp = leaves.reduce((a, l) => a + (Number.isFinite(l.fp) ? l.fp : NaN), 0);
      return { fp, scale: leaves.reduce((a, l) => a + l.scale, 0) };
    }
    default:
      return { fp: NaN, scale: 0 };
  }
}
