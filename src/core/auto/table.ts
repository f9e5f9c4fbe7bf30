import { METHODS as REGISTRY } from "../strategies/registry.js";
import type { VerifierKind } from "../verifier.js";
import { DIFFICULTY_BUCKETS, type DifficultyBucket } from "./difficulty.js";
import type {
  CalibratedTable,
  FixedStrategyId,
  MeasuredOption,
  PolicyClass,
  StrategyPlan,
  VerifierClass,
} from "./plan.js";

export function policyClassOf(params: number | null): PolicyClass {
  if (params === null) return "medium";
  if (params < 5e9) return "small";
  if (params < 50e9) return "medium";
  return "large";
}

export function verifierClassOf(kind: VerifierKind | null): VerifierClass {
  switch (kind) {
    case null:
    case "none":
      return "none";
    case "vllm-pooling":
    case "http":
      return "strong";
    case "token-logprob":
      return "weak";
    case "llm-judge":
      return "judge";
  }
}

const plan = (method: FixedStrategyId, beamWidth = 4): StrategyPlan => ({
  method,
  beamWidth,
  aggregation: "last",
  selection: method === "majority" ? "majority" : "prm-vote",
});

/**
 * The built-in table, from the published findings (Liu et al. 2025, "Can 1B LLM Surpass 405B
 * LLM?", §4 and Figs. 4–9 as summarized in docs/reference/tts-algorithms.md §8; Snell et al. 2024):
 * - small policies: best-of-N on easy problems, beam search on medium and hard;
 * - 7B–32B: DVTS on easy and medium, beam search on hard;
 * - 72B and up: best-of-N at every level;
 * - weak (Math-Shepherd / RLHFlow) or judge verifiers: search can fall below majority vote, so
 *   best-of-N with a weighted vote;
 * - no verifier: majority vote.
 * Beam width 4 and last-step aggregation with a weighted vote are the papers' defaults.
 */
export function builtInPlan(
  policy: PolicyClass,
  verifier: VerifierClass,
  bucket: DifficultyBucket,
): StrategyPlan {
  if (verifier === "none") return plan("majority");
  if (verifier === "weak" || verifier === "judge") return plan("best-of-n");
  switch (policy) {
    case "small":
      return bucket === "easy" ? plan("best-of-n") : plan("beam");
    case "medium":
      return bucket === "hard" ? plan("beam") : plan("dvts");
    case "large":
      return plan("best-of-n");
  }
}

const METHODS = (): string[] => REGISTRY.map((m) => m.id);

/** Validates a parsed table file, naming what is wrong. */
export function parseCalibratedTable(value: unknown): CalibratedTable {
  const v = value as Partial<CalibratedTable> | null;
  if (!v || typeof v !== "object" || v.version !== 1 || typeof v.plans !== "object" || v.plans === null)
    throw new Error(
      "Not a strategy table: expected { version: 1, policy, verifier, plans: { easy|medium|hard: … } }.",
    );
  for (const [bucket, p] of Object.entries(v.plans)) {
    if (!DIFFICULTY_BUCKETS.includes(bucket as DifficultyBucket))
      throw new Error(`Strategy table: unknown difficulty bucket "${bucket}".`);
    if (!p || !METHODS().includes(p.method) || !(p.beamWidth >= 1))
      throw new Error(
        `Strategy table: the plan for "${bucket}" needs a method (${METHODS().join(", ")}) and beamWidth ≥ 1.`,
      );
  }
  for (const [budget, buckets] of Object.entries(v.byBudget ?? {})) {
    if (!(Number(budget) >= 1) || !buckets || typeof buckets !== "object")
      throw new Error(`Strategy table: byBudget needs whole-number budgets ≥ 1, not "${budget}".`);
    for (const [bucket, options] of Object.entries(buckets)) {
      if (!DIFFICULTY_BUCKETS.includes(bucket as DifficultyBucket) || !Array.isArray(options))
        throw new Error(`Strategy table: byBudget.${budget} has an unknown bucket "${bucket}".`);
      for (const o of options as MeasuredOption[])
        if (
          !METHODS().includes(o.method) ||
          !(o.n >= 1) ||
          !(o.accuracy >= 0 && o.accuracy <= 1) ||
          !(o.flops >= 0) ||
          (o.paired !== undefined &&
            (typeof o.paired.against !== "string" || !(o.paired.better >= 0) || !(o.paired.worse >= 0)))
        )
          throw new Error(
            `Strategy table: byBudget.${budget}.${bucket} options need a method, n ≥ 1, accuracy in [0, 1], flops ≥ 0 and, if paired, counts ≥ 0.`,
          );
    }
  }
  return v as CalibratedTable;
}

/**
 * A calibrated table speaks only for the policy/verifier pair it was measured on (`policy` is the
 * model name, `verifier` "kind:model" or "none", as `calibrate` writes them).
 */
export function tableFits(table: CalibratedTable, policy: string, verifier: string): boolean {
  return table.policy === policy && table.verifier === verifier;
}

export interface PlanChoice {
  plan: StrategyPlan;
  source: "calibrated" | "built-in";
  policyClass: PolicyClass;
  verifierClass: VerifierClass;
}

/**
 * The plan for a bucket: the calibrated table's when it has one, else the built-in table's.
 * A plan that needs a verifier falls back to majority vote when there is none.
 */
export function lookupPlan(
  bucket: DifficultyBucket,
  policyClass: PolicyClass,
  verifierClass: VerifierClass,
  table?: CalibratedTable | null,
): PlanChoice {
  const calibrated = table?.plans[bucket];
  let choice: PlanChoice = calibrated
    ? { plan: pick(calibrated), source: "calibrated", policyClass, verifierClass }
    : {
        plan: builtInPlan(policyClass, verifierClass, bucket),
        source: "built-in",
        policyClass,
        verifierClass,
      };
  const needsVerifier = REGISTRY.find((m) => m.id === choice.plan.method)?.needsVerifier ?? true;
  if (verifierClass === "none" && needsVerifier)
    choice = { ...choice, plan: plan("majority"), source: "built-in" };
  return choice;
}

function pick(p: StrategyPlan): StrategyPlan {
  return { method: p.method, beamWidth: p.beamWidth, aggregation: p.aggregation, selection: p.selection };
}
