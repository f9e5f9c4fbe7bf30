// Exact rational numbers over BigInt: integers and fractions compare exactly, at any size
// up to the bit cap the caller enforces.

export interface Rational {
  /** Numerator; the sign lives here. */
  readonly n: bigint;
  /** Denominator, always positive; the fraction is in lowest terms. */
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO = rational(0n);
export const ONE = rational(1n);

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export const isZero = (a: Rational): boolean => a.n === 0n;
export const isInteger = (a: Rational): boolean => a.d === 1n;
export const same = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;

/** a / b; null when b is zero. */
export function div(a: Rational, b: Rational): Rational | null {
  return b.n === 0n ? null : rational(a.n * b.d, a.d * b.n);
}

/** Size in bits of the larger of numerator and denominator. */
export function bits(a: Rational): number {
  return Math.max(bitLength(a.n < 0n ? -a.n : a.n), bitLength(a.d));
}

function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** a^k for an integer k; null for 0 to a negative power. The caller bounds the result size. */
export function powInt(a: Rational, k: number): Rational | null {
  if (k < 0) {
    if (a.n === 0n) return null;
    return powInt(rational(a.d, a.n), -k);
  }
  const e = BigInt(k);
  return { n: a.n ** e, d: a.d ** e };
}

/** The exact k-th root when numerator and denominator are perfect k-th powers, else null. */
export function exactRoot(a: Rational, k: number): Rational | null {
  if (a.n < 0n) {
    if (k % 2 === 0) return null;
    const r = exactRoot(neg(a), k);
    return r && neg(r);
  }
  const n = intRoot(a.n, k);
  const d = intRoot(a.d, k);
  return n !== null && d !== null ? { n, d } : null;
}

function intRoot(x: bigint, k: number): bigint | null {
  if (x < 2n) return x;
  const guess = BigInt(Math.round(Math.pow(Number(x), 1 / k)));
  const e = BigInt(k);
  for (const g of [guess - 1n, guess, guess + 1n]) if (g >= 0n && g ** e === x) return g;
  return null;
}

/** True when the decimal expansion ends (the denominator has no prime factor but 2 and 5). */
export function terminates(a: Rational): boolean {
  let d = a.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

/** The nearest double (Infinity when out of range). */
export function toNumber(a: Rational): number {
  const n = Number(a.n);
  const d = Number(a.d);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  // Both huge: scale them down together so the quotient survives.
  const shift = BigInt(Math.max(0, Math.max(a.n.toString(2).length, a.d.toString(2).length) - 1000));
  return Number(a.n >> shift) / Number(a.d >> shift);
}

/** Parses a decimal literal (`-12.5`, `3e-7`, `.5`) exactly; null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,4}))?$/i.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  let value = rational(BigInt((m[2] || "0") + frac), 10n ** BigInt(frac.length));
  const exp = Number(m[4] ?? 0);
  value = mul(value, exp >= 0 ? rational(10n ** BigInt(exp)) : rational(1n, 10n ** BigInt(-exp)));
  return m[1] === "-" ? neg(value) : value;
}

export const rationalKey = (a: Rational): string => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);
