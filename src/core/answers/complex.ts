// Complex doubles: the approximate side of evaluation (irrationals, π, i, functions, probes).

export interface Complex {
  readonly re: number;
  readonly im: number;
}

export const complex = (re: number, im = 0): Complex => ({ re, im });
export const cadd = (a: Complex, b: Complex): Complex => complex(a.re + b.re, a.im + b.im);
export const cneg = (a: Complex): Complex => complex(-a.re, -a.im);
export const cmul = (a: Complex, b: Complex): Complex =>
  b.im === 0 && a.im === 0
    ? complex(a.re * b.re)
    : complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im);
export const isFiniteComplex = (a: Complex): boolean => Number.isFinite(a.re) && Number.isFinite(a.im);

export function cdiv(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return complex(a.re / b.re);
  const s = b.re * b.re + b.im * b.im;
  return complex((a.re * b.re + a.im * b.im) / s, (a.im * b.re - a.re * b.im) / s);
}

export function cexp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return a.im === 0 ? complex(m) : complex(m * Math.cos(a.im), m * Math.sin(a.im));
}

/** Principal logarithm. */
export function clog(a: Complex): Complex {
  if (a.im === 0 && a.re > 0) return complex(Math.log(a.re));
  return complex(Math.log(cabs(a)), Math.atan2(a.im, a.re));
}

/** Principal power; real powers of positive reals stay exact doubles. */
export function cpow(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0 && (a.re > 0 || Number.isInteger(b.re))) return complex(Math.pow(a.re, b.re));
  if (a.re === 0 && a.im === 0) return b.re > 0 ? complex(0) : complex(NaN);
  return cexp(cmul(b, clog(a)));
}

export function csqrt(a: Complex): Complex {
  if (a.im === 0) return a.re >= 0 ? complex(Math.sqrt(a.re)) : complex(0, Math.sqrt(-a.re));
  const r = cabs(a);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sign(a.im) * Math.sqrt((r - a.re) / 2);
  return complex(re, im);
}

export function csin(a: Complex): Complex {
  return a.im === 0
    ? complex(Math.sin(a.re))
    : complex(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}

export function ccos(a: Complex): Complex {
  return a.im === 0
    ? complex(Math.cos(a.re))
    : complex(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

/** Applies a real function to a real argument; NaN for a complex one (outside what we grade). */
export function realOnly(f: (x: number) => number, a: Complex): Complex {
  return a.im === 0 ? complex(f(a.re)) : complex(NaN);
}

/** |a - b| within `relTol` of the larger magnitude, or both within `absTol` of each other. */
export function close(a: Complex, b: Complex, relTol: number, absTol: number): boolean {
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  return diff <= absTol || diff <= relTol * Math.max(cabs(a), cabs(b));
}
