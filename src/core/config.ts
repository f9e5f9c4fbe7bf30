import { DEFAULT_DELIMITER } from "./steps.js";
import type { Aggregation, AnswerSelection, Budget, StrategyId } from "./types.js";

/** The knobs of one search. Names match the settings, CLI flags and traces. */
export interface SearchConfig extends Budget {
  strategy: StrategyId;
  temperature: number;
  delimiter: string;
  aggregation: Aggregation;
  selection: AnswerSelection;
  seed?: number;
  /**
   * Beam search: finished paths take up beam slots, so the live beam set shrinks and the search
   * ends once n/M paths have finished (OpenR / compute-optimal-tts). Default false: the live
   * set is refilled to n every round and finished paths accumulate (search-and-learn).
   */
  finishedBeamsShrink: boolean;
  /** Beam search: drop live paths whose full text duplicates another's before keeping the top. */
  dedupe: boolean;
  /** Auto: stop sampling once the vote is settled (adaptive consistency). */
  earlyStop: boolean;
}

export const DEFAULT_SEARCH_CONFIG: SearchConfig = {
  strategy: "beam",
  n: 8,
  beamWidth: 4,
  maxSteps: 40,
  temperature: 0.8,
  maxTokens: 2048,
  delimiter: DEFAULT_DELIMITER,
  aggregation: "last",
  selection: "prm-vote",
  finishedBeamsShrink: false,
  dedupe: true,
  earlyStop: true,
};

/**
 * The range of each per-run knob the settings, the panel's form and its message check accept
 * (the search itself needs only the lower bounds, and temperature's both).
 */
export const SEARCH_LIMITS = {
  n: { min: 1, max: 1024 },
  beamWidth: { min: 1, max: 1024 },
  maxSteps: { min: 1, max: 1000 },
  temperature: { min: 0, max: 2 },
  maxTokens: { min: 1, max: 32768 },
} as const;

/** Verifier requests in flight unless the settings say otherwise. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Policy sequences (samples) in flight when neither the settings nor the server say how many
 * it decodes at once. Asking for more than an engine's slots only queues there, so this errs
 * high: one beam round of the largest common budget (N = 256) goes out at once.
 */
export const DEFAULT_POLICY_SEQUENCES = 256;
