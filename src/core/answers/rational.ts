// Exact rational numbers over BigInt: integers and fractions compare exactly, at any size
// up to the bit cap the caller enforces.

export interface Rational {
  /** Numerator; the sign lives here. */
  readonly n: bigint;
  /** Denominator, always positive; the fraction is in lowest terms. */
  readonly d: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  if (a < b) [a, b] = [b, a];
  // Lehmer's algorithm: Euclid's steps on the leading 50 bits, applied to the whole numbers at
  // once. Plain Euclid takes one BigInt division per step (half a second at 60 000 bits).
  while (b >= LEHMER_MIN) {
    const shift = BigInt(bitLength(a) - 50);
    let x = Number(a >> shift);
    let y = Number(b >> shift);
    let [p, q, r, s] = [1, 0, 0, 1];
    for (;;) {
      if (y + r === 0 || y + s === 0) break;
      const q1 = floorDiv(x + p, y + r);
      if (q1 !== floorDiv(x + q, y + s)) break;
      [p, r] = [r, p - q1 * r];
      [q, s] = [s, q - q1 * s];
      [x, y] = [y, x - q1 * y];
    }
    if (q === 0) [a, b] = [b, a % b];
    else [a, b] = [BigInt(p) * a + BigInt(q) * b, BigInt(r) * a + BigInt(s) * b];
  }
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const LEHMER_MIN = 1n << 64n;

/** ⌊u / v⌋ for integers below 2^52, exactly (the float quotient may round up to the next one). */
function floorDiv(u: number, v: number): number {
  let k = Math.floor(u / v);
  if (v > 0 ? k * v > u : k * v < u) k--;
  return k;
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

/** log2 of the larger of |numerator| and denominator: the bits per unit of a power's exponent. */
export function log2Size(a: Rational): number {
  return Math.max(log2(a.n < 0n ? -a.n : a.n), log2(a.d));
}

function log2(x: bigint): number {
  if (x < 1n << 1000n) return x === 0n ? 0 : Math.log2(Number(x));
  const shift = bitLength(x) - 64;
  return shift + Math.log2(Number(x >> BigInt(shift)));
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
  const e = BigInt(k);
  let g: bigint;
  if (x < 1n << 52n) g = BigInt(Math.round(Math.pow(Number(x), 1 / k)));
  else {
    // Past a double's precision (or range), Newton's method on BigInts from above.
    g = 1n << BigInt(Math.ceil(bitLength(x) / k));
    for (;;) {
      const next = ((e - 1n) * g + x / g ** (e - 1n)) / e;
      if (next >= g) break;
      g = next;
    }
  }
  for (const c of [g - 1n, g, g + 1n]) if (c >= 0n && c ** e === x) return c;
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

/** A repeating decimal `whole.fixed(cycle)` (`0.1\overline{6}` = 1/6), exactly. */
export function repeatingDecimal(whole: string, fixed: string, cycle: string): Rational {
  const head = parseDecimal(`${whole}.${fixed}`) ?? ZERO;
  const tail = rational(BigInt(cycle), (10n ** BigInt(cycle.length) - 1n) * 10n ** BigInt(fixed.length));
  return whole.startsWith("-") ? sub(head, tail) : add(head, tail);
}

export const rationalKey = (a: Rational): string => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);
