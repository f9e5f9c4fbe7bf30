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
}
