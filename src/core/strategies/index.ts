import { autoStrategy } from "./auto.js";
import type { StrategyDescriptor } from "./context.js";
import { METHODS } from "./registry.js";

export type {
  AutoContext,
  AutoHooks,
  SearchContext,
  SearchLayout,
  Strategy,
  StrategyDescriptor,
} from "./context.js";
export { METHODS } from "./registry.js";

/** Every strategy: Auto, then the methods it chooses among. Read on each call, so tests may add. */
export function strategies(): readonly StrategyDescriptor[] {
  return [autoStrategy, ...METHODS];
}

export function strategyIds(): string[] {
  return strategies().map((s) => s.id);
}

export function findStrategy(id: string): StrategyDescriptor | undefined {
  return strategies().find((s) => s.id === id);
}

/** The descriptor of a known id; resolveSearchConfig has refused unknown ones. */
export function strategyOf(id: string): StrategyDescriptor {
  const s = findStrategy(id);
  if (!s) throw new Error(`Unknown strategy "${id}": use ${strategyIds().join(", ")}.`);
  return s;
}

/** Fixed methods only (what Auto and strategy tables may name). */
export function methodIds(): string[] {
  return METHODS.map((s) => s.id);
}
