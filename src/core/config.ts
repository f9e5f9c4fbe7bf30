import { DEFAULT_DELIMITER } from "./steps.js";
import {
  AGGREGATIONS,
  ANSWER_SELECTIONS,
  STRATEGY_IDS,
  type Aggregation,
  type AnswerSelection,
  type Budget,
  type StrategyId,
} from "./types.js";

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

/** Fills defaults and rejects settings the strategies cannot run with, saying which and why. */
export function resolveSearchConfig(partial: Partial<SearchConfig>): SearchConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: SearchConfig = { ...DEFAULT_SEARCH_CONFIG, ...defined };
  const problems: string[] = [];
  if (!STRATEGY_IDS.includes(c.strategy))
    problems.push(`strategy "${c.strategy}" is not one of ${STRATEGY_IDS.join(", ")}`);
  if (!AGGREGATIONS.includes(c.aggregation))
    problems.push(`aggregation "${c.aggregation}" is not one of ${AGGREGATIONS.join(", ")}`);
  if (!ANSWER_SELECTIONS.includes(c.selection))
    problems.push(`answer selection "${c.selection}" is not one of ${ANSWER_SELECTIONS.join(", ")}`);
  if (!Number.isInteger(c.n) || c.n < 1) problems.push(`n must be a whole number ≥ 1 (got ${c.n})`);
  if (!Number.isInteger(c.beamWidth) || c.beamWidth < 1)
    problems.push(`beamWidth must be a whole number ≥ 1 (got ${c.beamWidth})`);
  if ((c.strategy === "beam" || c.strategy === "dvts") && c.n % c.beamWidth !== 0)
    problems.push(`n (${c.n}) must be a multiple of beamWidth (${c.beamWidth}) for ${c.strategy}`);
  if (!Number.isInteger(c.maxSteps) || c.maxSteps < 1)
    problems.push(`maxSteps must be a whole number ≥ 1 (got ${c.maxSteps})`);
  if (!(c.temperature >= 0 && c.temperature <= 2))
    problems.push(`temperature must be between 0 and 2 (got ${c.temperature})`);
  if (!Number.isInteger(c.maxTokens) || c.maxTokens < 1)
    problems.push(`maxTokens must be a whole number ≥ 1 (got ${c.maxTokens})`);
  if (problems.length) throw new Error(`Invalid search settings: ${problems.join("; ")}.`);
  return c;
}
