import type { Aggregation, AnswerSelection, StrategyId } from "../types.js";
import type { DifficultyBucket } from "./difficulty.js";

/** Policy size classes of Liu et al. 2025: ≤ 3B small, 7B–32B medium, ≥ 72B large. */
export type PolicyClass = "small" | "medium" | "large";
/** `strong`: classifier PRMs (Qwen2.5-Math-PRM, Skywork); `weak`: Math-Shepherd / RLHFlow style. */
export type VerifierClass = "strong" | "weak" | "judge" | "none";

/** A method Auto may choose: a strategy of strategies/registry.ts (Auto itself is not one). */
export type FixedStrategyId = Exclude<StrategyId, "auto">;

export interface StrategyPlan {
  method: FixedStrategyId;
  beamWidth: number;
  aggregation: Aggregation;
  selection: AnswerSelection;
}

/** A table written by `calibrate` for one policy/verifier pair: a plan per difficulty bucket. */
export interface CalibratedTable {
  version: 1;
  policy: string;
  verifier: string;
  createdAt?: string;
  plans: Partial<Record<DifficultyBucket, StrategyPlan & { accuracy?: number; budgets?: number[] }>>;
  /**
   * Per calibrated budget (Auto's budget, as a string key) and bucket (from Auto's probe at that
   * budget): every method at every budget up to it, with its accuracy and mean FLOPs, so Auto
   * can pick the cheapest of the most accurate (auto/compute.ts).
   */
  byBudget?: Record<string, Partial<Record<DifficultyBucket, MeasuredOption[]>>>;
}

/** What `calibrate` measured for one method at one budget on the problems of one bucket. */
export interface MeasuredOption {
  method: FixedStrategyId;
  /** The budget (samples) the method ran with. */
  n: number;
  accuracy: number;
  /** Mean FLOPs per problem (policy + verifier); tokens × 2 where parameter counts are unknown. */
  flops: number;
  runs: number;
  /**
   * Paired with the bucket's reference option (the most accurate; of equals, the most FLOPs) on
   * the same development items: where only this option was right (`better`) and where only the
   * reference was (`worse`). What lets a cheaper option prove it is as accurate (auto/compute.ts).
   */
  paired?: { against: string; better: number; worse: number };
}
