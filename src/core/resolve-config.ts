import { DEFAULT_SEARCH_CONFIG, SEARCH_LIMITS as L, type SearchConfig } from "./config.js";
import { SearchError } from "./errors.js";
import { findStrategy, strategyIds } from "./strategies/index.js";
import { AGGREGATIONS, ANSWER_SELECTIONS } from "./types.js";

/** Fills defaults and rejects settings the strategies cannot run with, saying which and why. */
export function resolveSearchConfig(partial: Partial<SearchConfig>): SearchConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: SearchConfig = { ...DEFAULT_SEARCH_CONFIG, ...defined };
  const problems: string[] = [];
  const strategy = findStrategy(c.strategy);
  if (!strategy) problems.push(`strategy "${c.strategy}" is not one of ${strategyIds().join(", ")}`);
  if (!AGGREGATIONS.includes(c.aggregation))
    problems.push(`aggregation "${c.aggregation}" is not one of ${AGGREGATIONS.join(", ")}`);
  if (!ANSWER_SELECTIONS.includes(c.selection))
    problems.push(`answer selection "${c.selection}" is not one of ${ANSWER_SELECTIONS.join(", ")}`);
  if (!Number.isInteger(c.n) || c.n < L.n.min)
    problems.push(`n must be a whole number ≥ ${L.n.min} (got ${c.n})`);
  if (!Number.isInteger(c.beamWidth) || c.beamWidth < L.beamWidth.min)
    problems.push(`beamWidth must be a whole number ≥ ${L.beamWidth.min} (got ${c.beamWidth})`);
  if (strategy?.layout === "tree" && c.n % c.beamWidth !== 0)
    problems.push(`n (${c.n}) must be a multiple of beamWidth (${c.beamWidth}) for ${c.strategy}`);
  if (!Number.isInteger(c.maxSteps) || c.maxSteps < L.maxSteps.min)
    problems.push(`maxSteps must be a whole number ≥ ${L.maxSteps.min} (got ${c.maxSteps})`);
  if (!(c.temperature >= L.temperature.min && c.temperature <= L.temperature.max))
    problems.push(
      `temperature must be between ${L.temperature.min} and ${L.temperature.max} (got ${c.temperature})`,
    );
  if (!Number.isInteger(c.maxTokens) || c.maxTokens < L.maxTokens.min)
    problems.push(`maxTokens must be a whole number ≥ ${L.maxTokens.min} (got ${c.maxTokens})`);
  if (problems.length)
    throw new SearchError("invalid-config", `Invalid search settings: ${problems.join("; ")}.`);
  return c;
}
