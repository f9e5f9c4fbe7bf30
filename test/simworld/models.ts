// The simulated models and their settings, and per-server overrides of them. README.md
// documents the same numbers; the statistical test checks that the server behaves as they say.

import { PUBLISHED_SHAPES, TRAP_DETECTION, type PublishedShape } from "./published.js";

export type Level = 1 | 2 | 3 | 4 | 5;

export interface PolicyModel {
  id: string;
  role: "policy";
  /** Parameters, for FLOPs estimates and /v1/models metadata. */
  params: number;
  /** Probability that one operation step is wrong, by problem level 1..5 (temperature <= 1). */
  stepError: [number, number, number, number, number];
  /** Latency model (`--latency realistic`): milliseconds per prompt token and per generated token. */
  prefillMsPerToken: number;
  decodeMsPerToken: number;
  /** In the published world: trap strengths and slips in place of `stepError` (published.ts). */
  published?: PublishedShape;
}

/**
 * A verifier's quality: a right step gets a logit drawn from N(good, sd²), a wrong one from
 * N(bad, sd²); the score is sigmoid(logit). Separation (AUROC) = Φ((good − bad) / (sd·√2)).
 */
export interface VerifierQuality {
  good: number;
  bad: number;
  sd: number;
  /**
   * Biased PRMs: extra logit lengthBias × (1 − tokens/lengthScale)⁺ for a step that ends
   * `tokens` solution tokens in, so short solutions score higher.
   */
  lengthBias?: number;
  lengthScale?: number;
  /** In the published world: how much of a problem's systematic mistake it sees (published.ts). */
  trapDetection?: number;
}

export interface PrmModel {
  id: string;
  role: "prm";
  /** `pooling`: vLLM /pooling with `<extra_0>` tags; `shepherd`: '+'/'-' token log-probabilities after `ки`. */
  style: "pooling" | "shepherd";
  params: number;
  quality: VerifierQuality;
  prefillMsPerToken: number;
  decodeMsPerToken: number;
}

/** A chat model that answers "Yes"/"No" when asked whether a step is right; a 7b policy otherwise. */
export interface JudgeModel extends Omit<PolicyModel, "role"> {
  role: "judge";
  quality: VerifierQuality;
}

export type SimModel = PolicyModel | PrmModel | JudgeModel;

export const POLICIES: PolicyModel[] = [
  {
    id: "sim-policy-0.5b",
    role: "policy",
    params: 0.5e9,
    stepError: [0.06, 0.1, 0.15, 0.21, 0.28],
    prefillMsPerToken: 0.02,
    decodeMsPerToken: 4,
  },
  {
    id: "sim-policy-1.5b",
    role: "policy",
    params: 1.5e9,
    stepError: [0.04, 0.07, 0.1, 0.14, 0.19],
    prefillMsPerToken: 0.05,
    decodeMsPerToken: 6,
  },
  {
    id: "sim-policy-7b",
    role: "policy",
    params: 7e9,
    stepError: [0.02, 0.03, 0.05, 0.07, 0.1],
    prefillMsPerToken: 0.15,
    decodeMsPerToken: 12,
  },
  {
    id: "sim-policy-72b",
    role: "policy",
    params: 72e9,
    stepError: [0.005, 0.01, 0.015, 0.02, 0.03],
    prefillMsPerToken: 1,
    decodeMsPerToken: 40,
  },
];

export const PRMS: PrmModel[] = [
  {
    id: "sim-prm-qwen",
    role: "prm",
    style: "pooling",
    params: 7e9,
    quality: { good: 2, bad: -1, sd: 1.3 },
    prefillMsPerToken: 0.15,
    decodeMsPerToken: 12,
  },
  {
    id: "sim-prm-shepherd",
    role: "prm",
    style: "shepherd",
    params: 7e9,
    quality: { good: 1.5, bad: -0.5, sd: 1.36 },
    prefillMsPerToken: 0.15,
    decodeMsPerToken: 12,
  },
  {
    id: "sim-prm-biased",
    role: "prm",
    style: "pooling",
    params: 1.5e9,
    quality: { good: 1, bad: -0.2, sd: 1.2, lengthBias: 4, lengthScale: 180 },
    prefillMsPerToken: 0.05,
    decodeMsPerToken: 6,
  },
];

export const JUDGE: JudgeModel = {
  id: "sim-judge-7b",
  role: "judge",
  params: 7e9,
  stepError: [0.02, 0.03, 0.05, 0.07, 0.1],
  prefillMsPerToken: 0.15,
  decodeMsPerToken: 12,
  quality: { good: 1.2, bad: -0.6, sd: 1.5 },
};

export const MODELS: SimModel[] = [...POLICIES, ...PRMS, JUDGE];

export function findModel(id: string | undefined): SimModel | undefined {
  return MODELS.find((m) => m.id === id);
}

/** The per-step error probability of a writing model at a level and temperature (published world: its slips). */
export function stepErrorRate(model: PolicyModel | JudgeModel, level: Level, temperature: number): number {
  const rates = model.published?.slip ?? model.stepError;
  const base = rates[level - 1] ?? rates[4];
  // Hotter than 1 makes mistakes more likely; at 1 and below the setting holds.
  return Math.min(0.95, base * Math.max(1, temperature));
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp((-x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** The AUROC a verifier's settings give for telling right steps from wrong ones. */
export function expectedAuroc(q: VerifierQuality): number {
  return normalCdf((q.good - q.bad) / (q.sd * Math.SQRT2));
}

/** The x with normalCdf(x) = p, by bisection (p in (0, 1)). */
export function inverseNormalCdf(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Per-server changes to a model's settings (`startSimworld({ models })`, `--model-auroc`,
 * `--model-error-scale`), so a test or a benchmark can ask how the search fares with a better
 * or worse verifier or policy than the table above.
 */
export interface ModelOverride {
  /**
   * A verifier's (PRM's or judge's) separation of right from wrong steps, in [0.5, 1): `good`
   * is moved so that expectedAuroc gives this; `bad`, `sd` and any length bias are kept.
   */
  auroc?: number;
  /** Multiplies a writing model's (policy's or judge's) per-step error rates (≥ 0; capped at 0.95 per step). */
  errorScale?: number;
}

/** The model with an override applied; throws when the override does not fit the model. */
export function withOverride(model: SimModel, o: ModelOverride): SimModel {
  let out: SimModel = model;
  if (o.auroc !== undefined) {
    if (!("quality" in out))
      throw new Error(`simworld: ${model.id} is a policy, which has no verifier quality (auroc)`);
    if (!(o.auroc >= 0.5 && o.auroc < 1))
      throw new Error(`simworld: the AUROC of ${model.id} must be in [0.5, 1), not ${o.auroc}`);
    const q = out.quality;
    const good = q.bad + q.sd * Math.SQRT2 * inverseNormalCdf(o.auroc);
    out = { ...out, quality: { ...q, good } } as SimModel;
  }
  if (o.errorScale !== undefined) {
    if (out.role === "prm")
      throw new Error(`simworld: ${model.id} is a PRM, which writes no solutions (errorScale)`);
    if (!(o.errorScale >= 0)) throw new Error(`simworld: the error scale of ${model.id} must be ≥ 0`);
    const scale = o.errorScale;
    const stepError = out.stepError.map((e) => Math.min(0.95, e * scale)) as PolicyModel["stepError"];
    const published = out.published && {
      ...out.published,
      slip: out.published.slip.map((e) => Math.min(0.95, e * scale)) as PolicyModel["stepError"],
    };
    out = { ...out, stepError, ...(published ? { published } : {}) } as SimModel;
  }
  return out;
}

/** Which world the models live in: `classic` (independent step errors) or `published` (published.ts). */
export type World = "classic" | "published";

/** A model as it is in the published world: its trap shape, or its verifier's trap detection. */
export function publishedModel(model: SimModel): SimModel {
  const shape = PUBLISHED_SHAPES[model.role === "judge" ? "sim-policy-7b" : model.id];
  let out: SimModel = model;
  if (model.role !== "prm" && shape) out = { ...out, published: shape } as SimModel;
  if ("quality" in out)
    out = { ...out, quality: { ...out.quality, trapDetection: TRAP_DETECTION[model.id] ?? 0 } };
  return out;
}

/** The models as one server sees them: the table above, in its world, with that server's overrides. */
export function modelTable(
  overrides: Readonly<Record<string, ModelOverride>> = {},
  world: World = "classic",
): Map<string, SimModel> {
  const table = new Map(MODELS.map((m) => [m.id, world === "published" ? publishedModel(m) : m] as const));
  for (const [id, o] of Object.entries(overrides)) {
    const m = table.get(id);
    if (!m) throw new Error(`simworld: no model "${id}" to override (${MODELS.map((x) => x.id).join(", ")})`);
    table.set(id, withOverride(m, o));
  }
  return table;
}

/** "sim-prm-qwen=0.9,sim-judge-7b=0.7" → { "sim-prm-qwen": 0.9, … }, for the CLI flags. */
export function parseModelValues(spec: string, flag: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf("=");
    const id = part.slice(0, eq).trim();
    const value = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(value))
      throw new Error(`${flag}: "${part}" is not <model>=<number> (e.g. sim-prm-qwen=0.9)`);
    out[id] = value;
  }
  return out;
}
