// Reads the shape of a normalized answer: a scalar, text, tuple or interval, set, unordered list
// of solutions, union, matrix, or relation. Scalars stay LaTeX; the CAS reads them later.
import { outerBrackets, scanTopLevel, splitTopLevel } from "./latex-scan.js";

export type Relation = "=" | "<" | "\\le" | "\\ne";

export type AnswerShape =
  /** `equation`: it was written `x = latex`, which also compares as that equation. */
  | { kind: "scalar"; latex: string; equation?: { lhs: string; rhs: string } }
  | { kind: "text"; text: string }
  /** Ordered; also an interval (its bracket characters are compared). */
  | { kind: "tuple"; open: string; close: string; items: AnswerShape[] }
  /** Unordered: `\{…\}` sets and bare lists of solutions ("1, -2", "3 and 5", `a \pm b`). */
  /** `assigned`: written `x=1, y=2`, a list of values the grader does not read as a tuple. */
  | { kind: "set"; items: AnswerShape[]; assigned?: true }
  | { kind: "union"; items: AnswerShape[] }
  | { kind: "matrix"; rows: AnswerShape[][] }
  | { kind: "relation"; op: Relation; lhs: string; rhs: string };

const RELATIONS = ["\\le", "\\ge", "\\ne", "\\in", "=", "<", ">"];
const MAX_DEPTH = 8;

/** The shape of a normalized answer (see normalizeAnswer). */
export function parseShape(s: string, depth = 0): AnswerShape {
  if (depth > MAX_DEPTH) return { kind: "scalar", latex: s };
  const next = (part: string): AnswerShape => parseShape(part, depth + 1);

  const text = /^\\text\{([^{}]*)\}$/.exec(s);
  if (text) return { kind: "text", text: text[1]!.trim() };

  const matrix = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?([\s\S]*)\\end\{\1\}$/.exec(s);
  if (matrix) {
    const rows = splitTopLevel(matrix[2]!, ["\\\\"]).filter((r) => r !== "");
    return { kind: "matrix", rows: rows.map((r) => splitTopLevel(r, ["&"]).map(next)) };
  }

  const union = splitTopLevel(s, ["\\cup"]);
  if (union.length > 1) return { kind: "union", items: union.map(next) };

  const outer = outerBrackets(s);
  if (outer) {
    // `\{x | x > 2\}`: the set of values that meet the condition.
    const builder = outer.open === "\\{" ? scanTopLevel(outer.inner, ["|", ":"]).parts : [];
    if (builder.length === 2 && VARIABLE.test(builder[0]!)) return next(builder[1]!);
    const items = splitTopLevel(outer.inner, [","]).filter((x) => x !== "");
    if (outer.open === "\\{") return { kind: "set", items: flatten(items.map(next)) };
    if (outer.open === "{" || items.length === 1) return next(outer.inner);
    if (items.length > 1)
      return { kind: "tuple", open: outer.open, close: outer.close, items: items.map(next) };
  }

  // `m=2,n=1;m=3,n=1`: solutions apart by `;`, each the values of its variables.
  const solutions = splitTopLevel(s, [";"]).filter((x) => x !== "");
  if (solutions.length > 1)
    return { kind: "set", items: flatten(solutions.map((p) => assignments(p, next) ?? next(p))) };
  const list = splitTopLevel(s, [","]).filter((x) => x !== "");
  if (list.length > 1) {
    // `x < -1 or x > 1`: inequalities joined are the union of what each describes.
    if (list.every((p) => INEQUALITY.test(p)))
      return { kind: "union", items: list.map(next).flatMap((x) => (x.kind === "union" ? x.items : [x])) };
    const assigned = assignments(s, next) ? ({ assigned: true } as const) : {};
    return { kind: "set", items: flatten(list.map(next)), ...assigned };
  }

  const pm = splitTopLevel(s, ["\\pm", "\\mp"]);
  if (pm.length === 2) {
    const [a, b] = pm as [string, string];
    if (a === "") return { kind: "set", items: [next(b), next(`-(${b})`)] };
    return { kind: "set", items: [next(`${a}+(${b})`), next(`${a}-(${b})`)] };
  }

  const relation = parseRelation(s, next);
  if (relation) return relation;

  // A ratio of numbers: `2:5` is 2/5; `1:2:3` equals `2:4:6` (each part over the first).
  const ratio = splitTopLevel(s, [":"]);
  if (ratio.length > 1 && ratio.every((p) => p !== "" && isConstant(p))) {
    const first = ratio[0]!;
    if (ratio.length === 2) return next(`\\frac{${first}}{${ratio[1]}}`);
    return { kind: "tuple", open: ":", close: ":", items: ratio.map((p) => next(`\\frac{${p}}{${first}}`)) };
  }

  // A bare word or phrase ("east", "Evelyn") is text; one or two letters are symbols.
  if (/^[a-zA-Z][a-zA-Z' ]{2,}$/.test(s)) return { kind: "text", text: s };
  return { kind: "scalar", latex: s };
}

function flatten(items: AnswerShape[]): AnswerShape[] {
  return items.flatMap((x) => (x.kind === "set" && !x.items.some((i) => i.kind === "set") ? x.items : [x]));
}

const INEQUALITY = /[<>]|\\(le|ge|ne)(?![a-zA-Z])/;

/** A single variable name: `x`, `k`, `\theta`, `x_1`. */
const VARIABLE = /^([a-zA-Z]|\\[a-zA-Z]+)(_\{?[a-zA-Z0-9]+\}?)?$/;
/** A value of a function: `g(t)`, `f(2)`, `P(A)`, `f^{-1}(3)`, `a_{n}(5)`. */
const FUNCTION_VALUE = /^[a-zA-Z](_\{[a-zA-Z0-9]+\})?(\^\{?-1\}?)?\([^()]*\)$/;
/**
 * A named quantity: `XY`, `A_{1}`, `\angle A`, `m\angle ABC`, `\overline{AB}`, `[ABC]` (an
 * area), `S_{\triangle ABC}`, a word (`Area`, `perimeter`), `x'`. Two or three lower-case
 * letters are a product (`xy = 6`), not a name.
 */
const NAME =
  /^(?:[a-z]?\\(?:angle|measuredangle|overline|triangle) ?\{?[A-Z]{1,4}\}?|\[[A-Z]{2,6}\]|[A-Z]{1,4}|[A-Z][a-z]+|[a-z]{4,}|[a-zA-Z]|\\[a-zA-Z]+)(?:_\{[^{}]+\}|')*$/;

/**
 * What an answer may be labelled with: a name, a function value, a tuple of names (`(a,b)`) or
 * a ratio of them (`A_1:A_2`). A label before `=` and a constant after it: the value is the constant.
 */
function isLabel(s: string): boolean {
  const one = (p: string): boolean => NAME.test(p) || FUNCTION_VALUE.test(p);
  const tuple = /^\(([^()]*)\)$/.exec(s);
  if (tuple) return splitTopLevel(tuple[1]!, [","]).every(one);
  return splitTopLevel(s, [":"]).every(one);
}

/**
 * `m=2,n=1`: assignments to distinct variables, read as the tuple of their values ordered by
 * name (`(m,n) = (2,1)`); null when `part` is not that.
 */
function assignments(part: string, next: (p: string) => AnswerShape): AnswerShape | null {
  const pairs = splitTopLevel(part, [","]).map((item) => {
    const { parts, found } = scanTopLevel(item, RELATIONS);
    return found.length === 1 && found[0] === "=" && VARIABLE.test(parts[0]!) && isConstant(parts[1]!)
      ? { name: parts[0]!, value: parts[1]! }
      : null;
  });
  if (pairs.length < 2 || pairs.some((p) => p === null)) return null;
  const named = pairs as { name: string; value: string }[];
  if (new Set(named.map((p) => p.name)).size !== named.length) return null;
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: "tuple", open: "(", close: ")", items: named.map((p) => next(p.value)) };
}

/** No free letters: a number or a closed form (`\pi`, `\sqrt{2}`, `\infty`). */
const isConstant = (s: string): boolean =>
  !/[a-zA-Z]/.test(s.replace(/\\(pi|infty|sqrt|frac|cdot|times)/g, ""));

function parseRelation(s: string, next: (part: string) => AnswerShape): AnswerShape | null {
  const { parts: pieces, found: ops } = scanTopLevel(s, RELATIONS);
  if (!ops.length || pieces.some((p) => p === "")) return null;

  if (ops[0] === "\\in" && ops.length === 1 && subject(pieces[0]!) === "value") return next(pieces[1]!);
  if (ops.every((op) => op === "=")) {
    // `x = 5` is the value 5; a chain `a = b = 7`, or an equation without variables
    // (`2+3 = 5`), is judged by its last value.
    const last = pieces[pieces.length - 1]!;
    const lhs = pieces[0]!;
    if (ops.length > 1 || (isConstant(lhs) && isConstant(last))) return next(last);
    if (VARIABLE.test(lhs) && !mentions(last, lhs)) {
      // `y = 2x+1` is also the equation, for an answer written `2x - y + 1 = 0`.
      const value = next(last);
      return value.kind === "scalar" ? { ...value, equation: { lhs, rhs: last } } : value;
    }
    // `g(t)=3`, `(a,b)=(4,1)`, `XY=6`, `A_1:A_2=2:5`; `f(x)=x^2+1` is the expression.
    if (isLabel(lhs) && (isConstant(last) || (FUNCTION_VALUE.test(lhs) && !last.includes(lhs[0]! + "("))))
      return next(last);
    return { kind: "relation", op: "=", lhs, rhs: last };
  }
  if (ops.length === 1) {
    const [lhs, rhs] = pieces as [string, string];
    const op = ops[0]!;
    const interval = toInterval(lhs, op, rhs);
    if (interval) return interval;
    if (op === "\\in") return null;
    if (op === ">" || op === "\\ge")
      return { kind: "relation", op: op === ">" ? "<" : "\\le", lhs: rhs, rhs: lhs };
    return { kind: "relation", op: op as Relation, lhs, rhs };
  }
  // a < x \le b, 0 < f(x) < 1, 1 < |w| < 3
  const middle = subject(pieces[1] ?? "");
  if (ops.length === 2 && middle && isConstant(pieces[0]!) && isConstant(pieces[2]!)) {
    const up = ops.every((op) => op === "<" || op === "\\le");
    const down = ops.every((op) => op === ">" || op === "\\ge");
    if (!up && !down) return null;
    const [loOp, hiOp] = up ? ops : [ops[1]!, ops[0]!];
    const [lo, hi] = up ? [pieces[0]!, pieces[2]!] : [pieces[2]!, pieces[0]!];
    const [loClosed, hiClosed] = [loOp === "\\le" || loOp === "\\ge", hiOp === "\\le" || hiOp === "\\ge"];
    if (middle === "abs") return absoluteBetween(lo, loClosed, hi, hiClosed, next);
    return interval(lo, loClosed, hi, hiClosed, next);
  }
  return null;
}

/** What an inequality bounds: a variable or a function's value, or the absolute value of one. */
function subject(s: string): "value" | "abs" | null {
  if (VARIABLE.test(s) || FUNCTION_VALUE.test(s)) return "value";
  const abs = /^\|(.+)\|$/.exec(s);
  return abs && (VARIABLE.test(abs[1]!) || FUNCTION_VALUE.test(abs[1]!)) ? "abs" : null;
}

/** `a < |w| < b` (a ≥ 0) is `(-b, -a) ∪ (a, b)`; `|w| < b` is `(-b, b)` (lo `0`, closed). */
function absoluteBetween(
  lo: string,
  loClosed: boolean,
  hi: string,
  hiClosed: boolean,
  next: (p: string) => AnswerShape,
): AnswerShape {
  const neg = (x: string): string => (x === "\\infty" ? "-\\infty" : `-(${x})`);
  if (lo === "0" && loClosed) return interval(neg(hi), hiClosed, hi, hiClosed, next);
  return {
    kind: "union",
    items: [interval(neg(hi), hiClosed, neg(lo), loClosed, next), interval(lo, loClosed, hi, hiClosed, next)],
  };
}

/** `x > 2` → (2, ∞); `x \le 5` → (-∞, 5]; `3 < x` → (3, ∞). */
function toInterval(lhs: string, op: string, rhs: string): AnswerShape | null {
  if (op === "=" || op === "\\in") return null;
  let [v, c, o] = [lhs, rhs, op];
  if (!subject(v) || !isConstant(c)) {
    if (!subject(rhs) || !isConstant(lhs)) return null;
    [v, c] = [rhs, lhs];
    o = { "<": ">", ">": "<", "\\le": "\\ge", "\\ge": "\\le", "\\ne": "\\ne" }[op]!;
  }
  const closed = o === "\\le" || o === "\\ge";
  const scalar = (latex: string): AnswerShape => ({ kind: "scalar", latex });
  // `x \ne 3`: everything but 3.
  if (o === "\\ne")
    return subject(v) === "value"
      ? {
          kind: "union",
          items: [
            interval("-\\infty", false, c, false, scalar),
            interval(c, false, "\\infty", false, scalar),
          ],
        }
      : null;
  if (subject(v) === "abs")
    return o === "<" || o === "\\le"
      ? absoluteBetween("0", true, c, closed, scalar)
      : absoluteBetween(c, closed, "\\infty", false, scalar);
  return o === "<" || o === "\\le"
    ? interval("-\\infty", false, c, closed, scalar)
    : interval(c, closed, "\\infty", false, scalar);
}

function interval(
  lo: string,
  loClosed: boolean,
  hi: string,
  hiClosed: boolean,
  next: (p: string) => AnswerShape,
): AnswerShape {
  return {
    kind: "tuple",
    open: loClosed ? "[" : "(",
    close: hiClosed ? "]" : ")",
    items: [next(lo), next(hi)],
  };
}

/** Whether `expr` uses the variable `v` (`x`, `\theta`, `x_1`); command names do not count. */
function mentions(expr: string, v: string): boolean {
  if (v.startsWith("\\"))
    return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![a-zA-Z])").test(expr);
  return expr.replace(/\\[a-zA-Z]+/g, " ").includes(v[0]!);
}
