// One scalar answer (a number or an expression): its exact value when it is rational, its
// values at fixed probe points otherwise, and the rules for comparing two of them.
import { casEqual, parseLatex } from "./cas.js";
import { close, complex, isFiniteComplex, type Complex } from "./complex.js";
import {
  evaluate,
  isVariableName,
  NotEvaluable,
  subscripted,
  type EvalContext,
  type Value,
} from "./evaluate.js";
import { DEFAULT_LIMITS, type Budget } from "./limits.js";
import * as Q from "./rational.js";

export interface Scalar {
  /** The normalized LaTeX. */
  latex: string;
  /** Written with a decimal point: may be a rounded value. */
  decimal: boolean;
  infinity?: 1 | -1;
  /** The exact value, when the expression is a rational number. */
  exact?: Q.Rational;
  /** Values at the probe points (one value when there are no variables). */
  probes?: Complex[];
  /** Per probe: the point is outside the expression's real domain (a value along the way was not real). */
  offReal?: boolean[];
  variables: string[];
  /** The parsed tree, for the CAS fallback. */
  json?: unknown;
  /** Why it has no value: unparsable or using something the evaluator does not know. */
  unknown?: string;
}

/**
 * Probe points: the first POSITIVE have every variable in (0.5, 2), where logs and roots are
 * real; the rest take negative values too (one with all negative, then signs mixed by name), so
 * `|x|` ≠ `x` and `|x||y|` ≠ `xy`. Unequal expressions agreeing at all of them by chance is
 * negligible.
 */
const POSITIVE = 3;
const PROBES = 7;

const REPEATING = /^(-?\d*)\.(\d*)\\overline\{(\d+)\}$/;

/** Reads and evaluates one scalar. Throws LimitExceeded when the budget runs out. */
export function analyzeScalar(latex: string, budget: Budget): Scalar {
  const repeating = REPEATING.exec(latex);
  if (repeating) {
    const exact = Q.repeatingDecimal(repeating[1]!, repeating[2]!, repeating[3]!);
    return { latex, decimal: false, variables: [], exact };
  }
  const decimal = /\d\.\d/.test(latex);
  const infinity = /^(-)?\\infty$/.exec(latex);
  if (infinity) return { latex, decimal, infinity: infinity[1] ? -1 : 1, variables: [] };
  const plain = plainNumber(latex);
  if (plain) return { latex, decimal, variables: [], exact: plain };
  const parsed = parseLatex(latex, budget.limits);
  budget.checkTime();
  if ("error" in parsed) return { latex, decimal, variables: [], unknown: parsed.error };
  const variables = [...collectVariables(parsed.json, new Set())].sort();
  const base = { latex, decimal, variables, json: parsed.json };
  try {
    if (!variables.length) {
      const v = evaluate(parsed.json, { budget, variable: () => null });
      return "exact" in v ? { ...base, exact: v.exact } : { ...base, probes: [v.approx] };
    }
    const probes: Complex[] = [];
    const offReal: boolean[] = [];
    for (let p = 0; p < PROBES; p++) {
      const ctx: EvalContext = { budget, variable: (name) => complex(probeValue(name, p)) };
      let v: Value;
      try {
        v = evaluate(parsed.json, ctx);
      } catch (e) {
        // Off the positive probes, a function undefined there (a floor of a complex value) skips the point.
        if (!(e instanceof NotEvaluable) || p < POSITIVE) throw e;
        v = { approx: complex(NaN) };
        ctx.leftReals = true;
      }
      probes.push("exact" in v ? complex(Q.toNumber(v.exact)) : v.approx);
      offReal.push(ctx.leftReals === true);
    }
    return { ...base, probes, offReal };
  } catch (e) {
    if (e instanceof NotEvaluable) return { ...base, unknown: `it uses ${e.message}` };
    throw e;
  }
}

const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
const FRACTION = /^(-)?(?:\\frac\{(\d+)\}\{(\d+)\}|(\d+)\/(\d+))$/;

/**
 * The value of a plain integer, decimal or fraction of integers (`42`, `-0.25`, `\frac{3}{4}`,
 * `3/4`), the usual final answer, read without the parser: building the CAS engine takes tens
 * of milliseconds, on the critical path of a search's first finished path. The value is the
 * one the parser and evaluator give; null for anything else.
 */
export function plainNumber(latex: string): Q.Rational | null {
  if (latex.length > 80) return null;
  if (DECIMAL.test(latex)) return Q.parseDecimal(latex);
  const m = FRACTION.exec(latex);
  if (!m) return null;
  const d = BigInt(m[3] ?? m[5]!);
  if (d === 0n) return null;
  const q = Q.rational(BigInt(m[2] ?? m[4]!), d);
  return m[1] ? Q.neg(q) : q;
}

/** The parsed tree, for the CAS fallback; a plain number is parsed only when that needs it. */
function jsonOf(s: Scalar): unknown {
  if (s.json !== undefined || !s.exact) return s.json;
  const parsed = parseLatex(s.latex, DEFAULT_LIMITS);
  return "json" in parsed ? parsed.json : undefined;
}

function collectVariables(json: unknown, into: Set<string>): Set<string> {
  if (typeof json === "string") {
    if (isVariableName(json)) into.add(json);
  } else if (Array.isArray(json)) {
    const name = subscripted(json);
    if (name !== null) {
      into.add(name);
      return into;
    }
    // The head names a function, not a variable.
    for (let i = 1; i < json.length; i++) collectVariables(json[i], into);
  }
  return into;
}

/** A fixed value per variable name and probe: deterministic, unlikely to be special. */
function probeValue(name: string, probe: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  const x = (h / 2 ** 32) * 0.6180339887 + probe * 0.7548776662;
  const magnitude = 0.5 + (x - Math.floor(x)) * 1.5;
  if (probe < POSITIVE) return magnitude;
  const negative = probe === POSITIVE || ((h >>> (probe * 3)) & 1) === 1;
  return negative ? -magnitude : magnitude;
}

/**
 * Where a difference linear in its one variable (`-x+3`, `2x-6`) is zero, and its slope:
 * `a·v + b` fitted at two probes and checked at every other. Null when it is not such.
 */
export function linearRoot(s: Scalar): { root: number; slope: number } | null {
  const [name] = s.variables;
  if (s.variables.length !== 1 || !name || s.probes?.length !== PROBES) return null;
  const points = s.probes.map((p, i) => ({ v: probeValue(name, i), f: p }));
  if (points.some((p) => !isFiniteComplex(p.f) || Math.abs(p.f.im) > 1e-12)) return null;
  const [p0, p1] = points as [{ v: number; f: Complex }, { v: number; f: Complex }];
  const slope = (p1.f.re - p0.f.re) / (p1.v - p0.v);
  const intercept = p0.f.re - slope * p0.v;
  const scale = Math.max(1, ...points.map((p) => Math.abs(p.f.re)));
  if (!Number.isFinite(slope) || Math.abs(slope) < 1e-9 * scale) return null;
  if (points.some((p) => Math.abs(p.f.re - (slope * p.v + intercept)) > 1e-9 * scale)) return null;
  return { root: -intercept / slope, slope };
}

export type Verdict = { equal: boolean; reason?: string };

export interface Tolerance {
  /** Relative tolerance for values that are not both exact rationals. */
  relTol: number;
  /** Relative tolerance for two exact rationals too (0: they compare exactly). */
  exactRelTol: number;
}

/**
 * Whether two scalars are equal. Exact rationals compare exactly (`2/4` = `0.5`) unless
 * `exactRelTol` is set; a decimal compared with a value that has no finite decimal expansion
 * (`0.3333333` vs `1/3`, `1.41421356` vs `\sqrt2`) or any two irrational or symbolic values
 * compare within `relTol`. Free variables take the same value on both sides at each probe, so
 * a side whose variables cancel (`\sin^2x+\cos^2x`) can equal a constant.
 */
export function compareScalars(a: Scalar, b: Scalar, tol: Tolerance): Verdict {
  if (a.latex === b.latex) return { equal: true };
  if (a.infinity || b.infinity) return { equal: a.infinity === b.infinity };
  if (a.unknown || b.unknown) {
    const [ja, jb] = [jsonOf(a), jsonOf(b)];
    if (ja !== undefined && jb !== undefined && casEqual(ja, jb)) return { equal: true };
    return { equal: false, reason: `could not compare: ${a.unknown ?? b.unknown}` };
  }
  if (a.exact && b.exact) {
    if (Q.same(a.exact, b.exact)) return { equal: true };
    const [x, y] = [complex(Q.toNumber(a.exact)), complex(Q.toNumber(b.exact))];
    if (tol.exactRelTol > 0 && close(x, y, tol.exactRelTol, 0)) return { equal: true };
    const rounded = (a.decimal && !Q.terminates(b.exact)) || (b.decimal && !Q.terminates(a.exact));
    return { equal: rounded && close(x, y, tol.relTol, 0) };
  }
  const pa = valuesOf(a);
  const pb = valuesOf(b);
  let compared = 0;
  for (let i = 0; i < PROBES; i++) {
    if (skipped(a, b, i)) continue;
    const x = pa[i]!;
    const y = pb[i]!;
    const fx = isFiniteComplex(x);
    const fy = isFiniteComplex(y);
    if (fx !== fy) return { equal: false, reason: "one value is too large or undefined" };
    if (!fx) continue;
    if (!close(x, y, tol.relTol, 1e-12)) return { equal: false };
    compared++;
  }
  return compared
    ? { equal: true }
    : { equal: false, reason: "the values are too large or undefined to compare" };
}

/**
 * A probe with a negative variable is skipped when either side leaves the reals there or is
 * undefined there (`\sqrt{x}\sqrt{y}` vs `\sqrt{xy}`, `\ln x^2` vs `2\ln x`): that is
 * outside the domain the answer is meant for. The positive probes are always compared.
 */
function skipped(a: Scalar, b: Scalar, i: number): boolean {
  if (i < POSITIVE) return false;
  const off = (s: Scalar): boolean =>
    s.offReal?.[i] === true || (s.probes?.length === PROBES && !isFiniteComplex(s.probes[i]!));
  return off(a) || off(b);
}

function valuesOf(s: Scalar): Complex[] {
  if (s.exact) return Array.from({ length: PROBES }, () => complex(Q.toNumber(s.exact!)));
  const probes = s.probes ?? [];
  return probes.length === 1 ? Array.from({ length: PROBES }, () => probes[0]!) : probes;
}

/** A number that sorts equal-valued scalars next to each other (the first probe's real part). */
export function fingerprint(s: Scalar): number {
  if (s.infinity) return s.infinity * Infinity;
  if (s.exact) return Q.toNumber(s.exact);
  const first = s.probes?.[0];
  return first && isFiniteComplex(first) ? first.re : NaN;
}

/** A key that only exactly equal scalars share, or null when equality needs a comparison. */
export function exactKey(s: Scalar): string | null {
  if (s.infinity) return s.infinity > 0 ? "inf" : "-inf";
  if (s.exact) return `q${Q.rationalKey(s.exact)}`;
  return null;
}

/**
 * Whether two relations `f op 0` and `g op 0` (given as f = lhs - rhs) say the same thing: f is a
 * constant nonzero multiple of g, a positive one for inequalities (`x < 1` and `2x < 2`).
 */
export function compareRelations(f: Scalar, g: Scalar, positive: boolean, relTol: number): Verdict {
  if (f.latex === g.latex) return { equal: true };
  if (f.unknown || g.unknown) return { equal: false, reason: `could not compare: ${f.unknown ?? g.unknown}` };
  const pf = valuesOf(f);
  const pg = valuesOf(g);
  let ratio: Complex | null = null;
  for (let i = 0; i < PROBES; i++) {
    if (skipped(f, g, i)) continue;
    const x = pf[i]!;
    const y = pg[i]!;
    if (!isFiniteComplex(x) || !isFiniteComplex(y))
      return { equal: false, reason: "the values are undefined" };
    const zx = close(x, complex(0), 0, 1e-12);
    const zy = close(y, complex(0), 0, 1e-12);
    if (zx || zy) {
      if (zx !== zy) return { equal: false };
      continue;
    }
    const r = divide(x, y);
    if (ratio && !close(r, ratio, relTol, 1e-12)) return { equal: false };
    ratio ??= r;
  }
  if (!ratio) return { equal: true };
  return { equal: !positive || (Math.abs(ratio.im) <= 1e-12 && ratio.re > 0) };
}

function divide(a: Complex, b: Complex): Complex {
  const s = b.re * b.re + b.im * b.im;
  return complex((a.re * b.re + a.im * b.im) / s, (a.im * b.re - a.re * b.im) / s);
}
