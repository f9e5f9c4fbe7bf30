// Whether two read answers are the same: structure first (ordered tuples with their bracket
// types, unordered sets and lists, matrices, relations), scalars at the leaves.
import type { Analyzed } from "./analyze.js";
import type { Budget } from "./limits.js";
import { compareRelations, compareScalars, type Tolerance, type Verdict } from "./scalar.js";

export interface CompareContext extends Tolerance {
  budget: Budget;
}

/** Most elements of a set or list compared as unordered collections. */
const MAX_UNORDERED = 64;

export function equivalent(a: Analyzed, b: Analyzed, ctx: CompareContext): Verdict {
  ctx.budget.spend();
  if (a.kind === "invalid" || b.kind === "invalid") {
    return { equal: false, reason: a.kind === "invalid" ? a.reason : (b as { reason: string }).reason };
  }
  if (a.kind === "text" || b.kind === "text") {
    const ta = textForm(a);
    return { equal: ta !== null && ta !== "" && ta === textForm(b) };
  }
  if (a.kind === "scalar" && b.kind === "scalar") {
    const v = compareScalars(a.scalar, b.scalar, ctx);
    // `y = 2x+1` and `x = (y-1)/2`: different values, the same equation.
    if (v.equal || !a.equation || !b.equation) return v;
    const e = compareRelations(a.equation, b.equation, false, ctx.relTol);
    return e.equal ? e : v;
  }
  if (a.kind === "relation" && b.kind === "relation") {
    if (a.op !== b.op) return { equal: false };
    return compareRelations(a.difference, b.difference, a.op === "<" || a.op === "\\le", ctx.relTol);
  }
  // `y = 2x+1` against `2x - y + 1 = 0`: as equations, up to a nonzero factor.
  if (a.kind === "scalar" && b.kind === "relation" && b.op === "=" && a.equation)
    return compareRelations(a.equation, b.difference, false, ctx.relTol);
  if (a.kind === "relation" && b.kind === "scalar" && a.op === "=" && b.equation)
    return compareRelations(a.difference, b.equation, false, ctx.relTol);
  if (a.kind === "tuple" && b.kind === "tuple") {
    if (a.open !== b.open || a.close !== b.close) return { equal: false };
    return inOrder(a.items, b.items, ctx);
  }
  if ((a.kind === "set" && b.kind === "set") || (a.kind === "union" && b.kind === "union"))
    return unordered(a.items, b.items, ctx);
  if (a.kind === "matrix" && b.kind === "matrix") {
    if (a.rows.length !== b.rows.length) return { equal: false };
    return inOrder(
      a.rows.flat(),
      b.rows.flat(),
      ctx,
      a.rows.every((r, i) => r.length === b.rows[i]!.length),
    );
  }
  // A column or row vector written as a matrix equals the same vector written as a tuple.
  if (a.kind === "matrix" && b.kind === "tuple") return vectorEqual(a.rows, b, ctx);
  if (a.kind === "tuple" && b.kind === "matrix") return vectorEqual(b.rows, a, ctx);
  return { equal: false, ...undecided(a, b) };
}

/** Why two shapes that may mean the same were not compared (README "Labels", "Relations"). */
function undecided(a: Analyzed, b: Analyzed): { reason?: string } {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.kind === "set" && x.assigned && y.kind === "tuple")
      return { reason: "a list of assignments is compared as a list of values, not as a tuple" };
    if (
      x.kind === "relation" &&
      x.op !== "=" &&
      x.op !== "\\ne" &&
      (y.kind === "tuple" || y.kind === "union")
    )
      return { reason: "an inequality that is not linear in one variable is not solved into intervals" };
  }
  return {};
}

function vectorEqual(
  rows: Analyzed[][],
  tuple: { open: string; close: string; items: Analyzed[] },
  ctx: CompareContext,
): Verdict {
  const isVector = rows.every((r) => r.length === 1) || rows.length === 1;
  if (!isVector || tuple.open !== "(" || tuple.close !== ")") return { equal: false };
  return inOrder(rows.flat(), tuple.items, ctx);
}

function inOrder(a: Analyzed[], b: Analyzed[], ctx: CompareContext, shapesMatch = true): Verdict {
  if (!shapesMatch || a.length !== b.length) return { equal: false };
  for (let i = 0; i < a.length; i++) {
    const v = equivalent(a[i]!, b[i]!, ctx);
    if (!v.equal) return v;
  }
  return { equal: true };
}

/** A perfect matching between the elements (augmenting paths), so duplicates count. */
function unordered(a: Analyzed[], b: Analyzed[], ctx: CompareContext): Verdict {
  if (a.length !== b.length) return { equal: false };
  if (a.length > MAX_UNORDERED)
    return { equal: false, reason: `more than ${MAX_UNORDERED} elements to match` };
  const memo = new Map<number, boolean>();
  let reason: string | undefined;
  const same = (i: number, j: number): boolean => {
    const k = i * a.length + j;
    let v = memo.get(k);
    if (v === undefined) {
      const verdict = equivalent(a[i]!, b[j]!, ctx);
      v = verdict.equal;
      reason ??= verdict.reason;
      memo.set(k, v);
    }
    return v;
  };
  const matchOfB = new Array<number>(b.length).fill(-1);
  const augment = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < b.length; j++) {
      if (seen[j] || !same(i, j)) continue;
      seen[j] = true;
      if (matchOfB[j] === -1 || augment(matchOfB[j]!, seen)) {
        matchOfB[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < a.length; i++) {
    if (!augment(i, new Array<boolean>(b.length).fill(false)))
      return reason ? { equal: false, reason } : { equal: false };
  }
  return { equal: true };
}

/** Letters and digits only, lower case: `\text{(B)}`, `(B)` and `b` all read `b`. */
export function textForm(a: Analyzed): string | null {
  if (a.kind === "text") return a.text.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (a.kind === "scalar" && !/\\/.test(a.scalar.latex))
    return a.scalar.latex.toLowerCase().replace(/[^a-z0-9]/g, "");
  return null;
}
