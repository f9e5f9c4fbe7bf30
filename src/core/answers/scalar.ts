// One scalar answer (a number or an expression): its exact value when it is rational, its
// values at fixed probe points otherwise, and the rules for comparing two of them.
import { casEqual, parseLatex } from "./cas.js";
import { close, complex, isFiniteComplex, type Complex } from "./complex.js";
import { evaluate, isVariableName, NotEvaluable, type EvalContext } from "./evaluate.js";
import type { Budget } from "./limits.js";
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
  variables: string[];
  /** The parsed tree, for the CAS fallback. */
  json?: unknown;
  /** Why it has no value: unparsable or using something the evaluator does not know. */
  unknown?: string;
}

/** Probe points per variable: with 3 points, unequal expressions agreeing by chance is negligible. */
const PROBES = 3;

/** Reads and evaluates one scalar. Throws LimitExceeded when the budget runs out. */
export function analyzeScalar(latex: string, budget: Budget): Scalar {
  const decimal = /\d\.\d/.test(latex);
  const infinity = /^(-)?\\infty$/.exec(latex);
  if (infinity) return { latex, decimal, infinity: infinity[1] ? -1 : 1, variables: [] };
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
    for (let p = 0; p < PROBES; p++) {
      const ctx: EvalContext = { budget, variable: (name) => complex(probeValue(name, p)) };
      const v = evaluate(parsed.json, ctx);
      probes.push("exact" in v ? complex(Q.toNumber(v.exact)) : v.approx);
    }
    return { ...base, probes };
  } catch (e) {
    if (e instanceof NotEvaluable) return { ...base, unknown: `it uses ${e.message}` };
    throw e;
  }
}

function collectVariables(json: unknown, into: Set<string>): Set<string> {
  if (typeof json === "string") {
    if (isVariableName(json)) into.add(json);
  } else if (Array.isArray(json)) {
    // The head names a function, not a variable.
    for (let i = 1; i < json.length; i++) collectVariables(json[i], into);
  }
  return into;
}

/** A fixed value in (0.5, 2) per variable name and probe: deterministic, unlikely to be special. */
function probeValue(name: string, probe: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  const x = (h / 2 ** 32) * 0.6180339887 + probe * 0.7548776662;
  return 0.5 + (x - Math.floor(x)) * 1.5;
}

export type Verdict = { equal: boolean; reason?: string };

/**
 * Whether two scalars are equal. Exact rationals compare exactly (`2/4` = `0.5`); a decimal
 * compared with a value that has no finite decimal expansion (`0.3333333` vs `1/3`, `1.41421356`
 * vs `\sqrt2`) or any two irrational or symbolic values compare within `relTol`.
 */
export function compareScalars(a: Scalar, b: Scalar, relTol: number): Verdict {
  if (a.latex === b.latex) return { equal: true };
  if (a.infinity || b.infinity) return { equal: a.infinity === b.infinity };
  if (a.unknown || b.unknown) {
    if (a.json !== undefined && b.json !== undefined && casEqual(a.json, b.json)) return { equal: true };
    return { equal: false, reason: `could not compare: ${a.unknown ?? b.unknown}` };
  }
  if (a.exact && b.exact) {
    if (Q.same(a.exact, b.exact)) return { equal: true };
    const rounded = (a.decimal && !Q.terminates(b.exact)) || (b.decimal && !Q.terminates(a.exact));
    return { equal: rounded && close(complex(Q.toNumber(a.exact)), complex(Q.toNumber(b.exact)), relTol, 0) };
  }
  const pa = valuesOf(a);
  const pb = valuesOf(b);
  if (a.variables.join() !== b.variables.join()) return { equal: false };
  let compared = 0;
  for (let i = 0; i < pa.length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    const fx = isFiniteComplex(x);
    const fy = isFiniteComplex(y);
    if (fx !== fy) return { equal: false };
    if (!fx) continue;
    if (!close(x, y, relTol, 1e-12)) return { equal: false };
    compared++;
  }
  return compared
    ? { equal: true }
    : { equal: false, reason: "the values are too large or undefined to compare" };
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
  if (f.variables.join() !== g.variables.join()) return { equal: false };
  const pf = valuesOf(f);
  const pg = valuesOf(g);
  let ratio: Complex | null = null;
  for (let i = 0; i < pf.length; i++) {
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
