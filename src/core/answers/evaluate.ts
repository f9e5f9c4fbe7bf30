// Evaluates a parsed expression (MathJSON from the CAS parser) to an exact rational when it is
// one, otherwise to a complex double, under a work budget. Giant powers and factorials turn
// into floats (often Infinity) instead of being computed.
import {
  complex,
  cadd,
  cdiv,
  cexp,
  clog,
  cmul,
  cneg,
  cpow,
  csqrt,
  csin,
  ccos,
  cabs,
  isFiniteComplex,
  realOnly,
  type Complex,
} from "./complex.js";
import type { Budget } from "./limits.js";
import * as Q from "./rational.js";

export type Value = { exact: Q.Rational } | { approx: Complex };

/** The expression uses something this evaluator does not know (a function, a string, a sequence). */
export class NotEvaluable extends Error {}

export interface EvalContext {
  budget: Budget;
  /** The value a free variable takes, or null when it has none. */
  variable(name: string): Complex | null;
  /** Set once any value along the way is not real: the point lies outside the real domain. */
  leftReals?: boolean;
}

const CONSTANTS: Record<string, Complex> = {
  Pi: complex(Math.PI),
  ExponentialE: complex(Math.E),
  e: complex(Math.E),
  i: complex(0, 1),
  ImaginaryUnit: complex(0, 1),
  PositiveInfinity: complex(Infinity),
  NegativeInfinity: complex(-Infinity),
  ComplexInfinity: complex(NaN),
  NaN: complex(NaN),
};

/** Names that are symbols of the expression (free variables), not constants or function heads. */
export function isVariableName(name: string): boolean {
  return !(name in CONSTANTS) && /^[a-zA-Z][a-zA-Z0-9_]*$/.test(name);
}

const approx = (v: Value): Complex => ("exact" in v ? complex(Q.toNumber(v.exact)) : v.approx);
const exact = (q: Q.Rational | null): Value => (q === null ? { approx: complex(NaN) } : { exact: q });

export function evaluate(json: unknown, ctx: EvalContext): Value {
  ctx.budget.spend();
  if (typeof json === "number") return number(json);
  if (typeof json === "string") return watchReal(symbol(json, ctx), ctx);
  if (Array.isArray(json)) return watchReal(apply(json, ctx), ctx);
  if (json && typeof json === "object" && "num" in json && typeof json.num === "string")
    return bigNumber(json.num);
  throw new NotEvaluable("an unknown kind of expression");
}

function watchReal(v: Value, ctx: EvalContext): Value {
  if ("approx" in v && v.approx.im !== 0) ctx.leftReals = true;
  return v;
}

function number(x: number): Value {
  if (!Number.isFinite(x)) return { approx: complex(x) };
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return { exact: Q.rational(BigInt(x)) };
  const q = Q.parseDecimal(String(x));
  return q ? { exact: q } : { approx: complex(x) };
}

/** CE writes long numbers as strings: "123…", "1.2e-30", "0.1(6)" (repeating), "+Infinity". */
function bigNumber(text: string): Value {
  const repeating = /^([+-]?\d*)\.(\d*)\((\d+)\)$/.exec(text);
  if (repeating) return { exact: Q.repeatingDecimal(repeating[1]!, repeating[2]!, repeating[3]!) };
  const q = Q.parseDecimal(text);
  if (q) return { exact: q };
  const x = Number(text.replace(/^\+/, ""));
  if (Number.isNaN(x) && !/nan/i.test(text)) throw new NotEvaluable(`the number "${text.slice(0, 40)}"`);
  return { approx: complex(x) };
}

function symbol(name: string, ctx: EvalContext): Value {
  const constant = CONSTANTS[name];
  if (constant) return { approx: constant };
  if (isVariableName(name)) {
    const v = ctx.variable(name);
    if (v) return { approx: v };
  }
  throw new NotEvaluable(`the symbol ${name.slice(0, 40)}`);
}

function apply(json: unknown[], ctx: EvalContext): Value {
  const [head, ...args] = json;
  if (typeof head !== "string") throw new NotEvaluable("an expression with a computed head");
  const arg = (i: number): Value => {
    if (i >= args.length) throw new NotEvaluable(`${head} with too few arguments`);
    return evaluate(args[i], ctx);
  };
  const unary = (f: (c: Complex) => Complex): Value => {
    if (args.length !== 1) throw new NotEvaluable(`${head} with ${args.length} arguments`);
    return { approx: f(approx(arg(0))) };
  };
  switch (head) {
    case "Add":
      return args.map((_, i) => arg(i)).reduce((a, b) => sum(a, b, ctx), exact(Q.ZERO));
    case "Subtract":
      return args.length === 1
        ? negate(arg(0))
        : args.slice(1).reduce<Value>((a, _, i) => sum(a, negate(arg(i + 1)), ctx), arg(0));
    case "Negate":
      return negate(arg(0));
    case "Multiply":
    case "InvisibleOperator":
      return args.map((_, i) => arg(i)).reduce((a, b) => product(a, b, ctx), exact(Q.ONE));
    case "Divide":
    case "Rational":
      return quotient(arg(0), arg(1), ctx);
    case "Power":
      return power(arg(0), arg(1), ctx);
    case "Square":
      return power(arg(0), exact(Q.rational(2n)), ctx);
    case "Sqrt":
      return power(arg(0), exact(Q.rational(1n, 2n)), ctx);
    case "Root":
      return root(arg(0), arg(1), ctx);
    case "Exp":
      return unary(cexp);
    case "Ln":
      return unary(clog);
    case "Log": {
      const base = args.length > 1 ? approx(arg(1)) : complex(10);
      return { approx: cdiv(clog(approx(arg(0))), clog(base)) };
    }
    case "Lb":
      return { approx: cdiv(clog(approx(arg(0))), complex(Math.LN2)) };
    case "Lg":
      return { approx: cdiv(clog(approx(arg(0))), complex(Math.LN10)) };
    case "Sin":
      return unary(csin);
    case "Cos":
      return unary(ccos);
    case "Tan":
      return unary((c) => cdiv(csin(c), ccos(c)));
    case "Cot":
      return unary((c) => cdiv(ccos(c), csin(c)));
    case "Sec":
      return unary((c) => cdiv(complex(1), ccos(c)));
    case "Csc":
      return unary((c) => cdiv(complex(1), csin(c)));
    case "Arcsin":
      return unary((c) => realOnly(Math.asin, c));
    case "Arccos":
      return unary((c) => realOnly(Math.acos, c));
    case "Arctan":
      return unary((c) => realOnly(Math.atan, c));
    case "Sinh":
      return unary((c) => realOnly(Math.sinh, c));
    case "Cosh":
      return unary((c) => realOnly(Math.cosh, c));
    case "Tanh":
      return unary((c) => realOnly(Math.tanh, c));
    case "Abs": {
      const v = arg(0);
      return "exact" in v
        ? { exact: v.exact.n < 0n ? Q.neg(v.exact) : v.exact }
        : { approx: complex(cabs(v.approx)) };
    }
    case "Factorial":
      return factorial(arg(0), ctx);
    case "Floor":
    case "Ceil":
      return rounding(arg(0), head === "Floor");
    case "Complex":
      return { approx: complex(approx(arg(0)).re, approx(arg(1)).re) };
    case "Delimiter":
    case "Sequence":
      if (args.length === 0) throw new NotEvaluable("an empty group");
      if (Array.isArray(args[0]) && args[0][0] === "Sequence" && args[0].length !== 2)
        throw new NotEvaluable("a sequence of values");
      if (head === "Sequence" && args.length > 1) throw new NotEvaluable("a sequence of values");
      return arg(0);
    case "At": {
      // `a_{1}`: a subscripted variable, one name.
      const name = subscripted(json);
      if (name === null) throw new NotEvaluable("an indexed expression");
      return symbol(name, ctx);
    }
    case "GCD":
    case "LCM":
    case "Mod":
      return integerFunction(
        head,
        args.map((_, i) => arg(i)),
      );
    default:
      throw new NotEvaluable(
        head === "Error" ? "LaTeX it could not parse" : `the function ${head.slice(0, 40)}`,
      );
  }
}

/** The variable name `a_1` of `["At", "a", 1]` (a letter with a number or letter index), or null. */
export function subscripted(json: unknown[]): string | null {
  const [head, base, index] = json;
  if (head !== "At" || json.length !== 3 || typeof base !== "string" || !/^[a-zA-Z]$/.test(base)) return null;
  if (typeof index === "number" && Number.isInteger(index) && index >= 0) return `${base}_${index}`;
  if (typeof index === "string" && /^[a-zA-Z]$/.test(index)) return `${base}_${index}`;
  return null;
}

function negate(v: Value): Value {
  return "exact" in v ? { exact: Q.neg(v.exact) } : { approx: cneg(v.approx) };
}

/** Keeps an exact result only while it stays under the bit cap; past it, its nearest double. */
function bounded(q: Q.Rational | null, ctx: EvalContext): Value {
  if (q === null) return { approx: complex(NaN) };
  const size = Q.bits(q);
  ctx.budget.spend(1 + (size >> 10));
  return size <= ctx.budget.limits.maxBits ? { exact: q } : inexact(complex(Q.toNumber(q)));
}

/**
 * The float that stands in for a nonzero value too large or too small to keep: a 0 there is an
 * underflow (`10^{-100000000}`, `1/10^{10^{10}}`), not zero, so it becomes undefined and equals
 * no exact 0.
 */
function inexact(c: Complex): Value {
  return { approx: c.re === 0 && c.im === 0 ? complex(NaN) : c };
}

function sum(a: Value, b: Value, ctx: EvalContext): Value {
  if ("exact" in a && "exact" in b) return bounded(Q.add(a.exact, b.exact), ctx);
  return { approx: cadd(approx(a), approx(b)) };
}

function product(a: Value, b: Value, ctx: EvalContext): Value {
  if ("exact" in a && "exact" in b) return bounded(Q.mul(a.exact, b.exact), ctx);
  return { approx: cmul(approx(a), approx(b)) };
}

function quotient(a: Value, b: Value, ctx: EvalContext): Value {
  if ("exact" in a && "exact" in b) return bounded(Q.div(a.exact, b.exact), ctx);
  const divisor = approx(b);
  // x / Infinity (a value that overflowed) is an underflow, not 0.
  if (!isFiniteComplex(divisor)) return { approx: complex(NaN) };
  return { approx: cdiv(approx(a), divisor) };
}

function power(base: Value, exponent: Value, ctx: EvalContext): Value {
  const half = "exact" in exponent && exponent.exact.n === 1n && exponent.exact.d === 2n;
  const fallback = (): Complex => {
    const [b, e] = [approx(base), approx(exponent)];
    // A power of an overflowed value is no number either: `2^{-10^{10^{10}}}` is not 0.
    if (!isFiniteComplex(b) || !isFiniteComplex(e)) return complex(NaN);
    return half ? csqrt(b) : cpow(b, e);
  };
  if (!("exact" in base) || !("exact" in exponent)) return { approx: fallback() };
  const { n: p, d: q } = exponent.exact;
  // A root is exact only when the base is a perfect power; small root indices only.
  if (q > 1n) {
    if (q > 64n) return { approx: fallback() };
    const r = Q.exactRoot(base.exact, Number(q));
    if (r === null) return { approx: fallback() };
    return power({ exact: r }, exact(Q.rational(p)), ctx);
  }
  if (Q.isZero(base.exact)) return p > 0n ? exact(Q.ZERO) : p === 0n ? exact(Q.ONE) : exact(null);
  // ±1 to any power, by the exponent's parity (a double would lose it past 2^53).
  if (base.exact.d === 1n && (base.exact.n === 1n || base.exact.n === -1n))
    return exact(Q.rational(base.exact.n === -1n && p % 2n !== 0n ? -1n : 1n));
  const k = Number(p);
  const size = Math.ceil(Q.log2Size(base.exact) * Math.abs(k));
  if (!Number.isSafeInteger(k) || size > ctx.budget.limits.maxBits) return inexact(fallback());
  ctx.budget.spend(1 + (size >> 10));
  return exact(Q.powInt(base.exact, k));
}

/** `\sqrt[n]{x}`: the real root for a negative x and an odd n, as written by hand. */
function root(x: Value, n: Value, ctx: EvalContext): Value {
  if ("exact" in n && Q.isInteger(n.exact) && n.exact.n > 0n) {
    const k = n.exact.n;
    const real = approx(x);
    if (k % 2n === 1n && real.im === 0 && real.re < 0) {
      if ("exact" in x && k <= 64n) {
        const r = Q.exactRoot(x.exact, Number(k));
        if (r) return { exact: r };
      }
      return { approx: complex(-Math.pow(-real.re, 1 / Number(k))) };
    }
    return power(x, exact(Q.rational(1n, k)), ctx);
  }
  return { approx: cpow(approx(x), cdiv(complex(1), approx(n))) };
}

function factorial(v: Value, ctx: EvalContext): Value {
  if (!("exact" in v) || !Q.isInteger(v.exact) || v.exact.n < 0n)
    throw new NotEvaluable("a factorial of a non-integer");
  const n = v.exact.n;
  // n! has about n·log2(n) bits; past the cap it is a float (Infinity beyond 170!).
  if (n > 2000n || Number(n) * Math.log2(Number(n) + 1) > ctx.budget.limits.maxBits)
    return { approx: complex(n > 170n ? Infinity : floatFactorial(Number(n))) };
  ctx.budget.spend(Number(n));
  let f = 1n;
  for (let i = 2n; i <= n; i++) f *= i;
  return { exact: Q.rational(f) };
}

function floatFactorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

function rounding(v: Value, floor: boolean): Value {
  if ("exact" in v) {
    const { n, d } = v.exact;
    let q = n / d;
    if (n % d !== 0n && n < 0n === floor) q += floor ? -1n : 1n;
    return { exact: Q.rational(q) };
  }
  if (v.approx.im !== 0) throw new NotEvaluable("the floor of a complex number");
  return { approx: complex(floor ? Math.floor(v.approx.re) : Math.ceil(v.approx.re)) };
}

function integerFunction(head: string, values: Value[]): Value {
  const ints = values.map((v) => {
    if (!("exact" in v) || !Q.isInteger(v.exact) || Q.bits(v.exact) > 256)
      throw new NotEvaluable(`${head} of a non-integer`);
    return v.exact.n;
  });
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  if (head === "Mod") {
    const [a, m] = ints;
    if (a === undefined || m === undefined || m === 0n) throw new NotEvaluable("Mod by zero");
    return { exact: Q.rational(((a % m) + m) % m) };
  }
  if (!ints.length) throw new NotEvaluable(`${head} of nothing`);
  if (head === "GCD") return { exact: Q.rational(ints.reduce(gcd)) };
  return {
    exact: Q.rational(
      ints.reduce((a, b) => (a === 0n || b === 0n ? 0n : (a * b < 0n ? -a * b : a * b) / gcd(a, b))),
    ),
  };
}
