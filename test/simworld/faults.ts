// Fault injection. `--faults 0.2` spreads a 20% rate evenly over every kind; `--faults
// 429=0.1,reset=0.05` sets kinds one by one. Each generation or scoring request (POST) draws at
// most one fault from the server's seeded generator, so a run with the same seed and the same
// request order sees the same faults.
import { Rng } from "./rng.js";

export const FAULT_KINDS = ["429", "500", "503", "reset", "malformed", "slow", "truncated"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultRates = Partial<Record<FaultKind, number>>;

const ALIASES: Record<string, FaultKind> = {
  "429": "429",
  ratelimit: "429",
  "500": "500",
  "503": "503",
  reset: "reset",
  malformed: "malformed",
  "malformed-json": "malformed",
  json: "malformed",
  slow: "slow",
  "slow-first-byte": "slow",
  truncated: "truncated",
  "truncated-sse": "truncated",
};

export function parseFaults(spec: string | undefined): FaultRates {
  const rates: FaultRates = {};
  const text = (spec ?? "").trim();
  if (!text) return rates;
  if (/^[\d.]+$/.test(text)) {
    const total = Number(text);
    if (!(total >= 0 && total <= 1))
      throw new Error(`simworld: --faults ${text}: a total rate must be between 0 and 1`);
    for (const kind of FAULT_KINDS) rates[kind] = total / FAULT_KINDS.length;
    return rates;
  }
  for (const part of text.split(",")) {
    const [name, value] = part.split("=").map((s) => s.trim());
    const kind = ALIASES[(name ?? "").toLowerCase()];
    const rate = Number(value);
    if (!kind) throw new Error(`simworld: unknown fault kind "${name}" (known: ${FAULT_KINDS.join(", ")})`);
    if (!(rate >= 0 && rate <= 1))
      throw new Error(`simworld: fault rate for ${name} must be between 0 and 1, got "${value}"`);
    rates[kind] = rate;
  }
  const sum = Object.values(rates).reduce((s, r) => s + (r ?? 0), 0);
  if (sum > 1 + 1e-9) throw new Error(`simworld: fault rates add up to ${sum}, more than 1`);
  return rates;
}

export class FaultPlan {
  private readonly rng: Rng;

  constructor(
    readonly rates: FaultRates,
    seed: number,
  ) {
    this.rng = new Rng(seed ^ 0x5f3759df);
  }

  /** The fault for the next request, or null. */
  draw(): FaultKind | null {
    if (!Object.keys(this.rates).length) return null;
    let u = this.rng.next();
    for (const kind of FAULT_KINDS) {
      u -= this.rates[kind] ?? 0;
      if (u < 0) return kind;
    }
    return null;
  }
}
