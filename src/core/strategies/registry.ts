import { beamStrategy } from "./beam.js";
import { bestOfNStrategy } from "./best-of-n.js";
import type { StrategyDescriptor } from "./context.js";
import { dvtsStrategy } from "./dvts.js";
import { greedyStrategy } from "./greedy.js";
import { majorityStrategy } from "./majority.js";

/**
 * The methods, in the order the picker and the settings list them: add a strategy by its file
 * and one line here. Auto (./index.ts) chooses among these; everything else derives from them.
 */
export const METHODS: StrategyDescriptor[] = [
  greedyStrategy,
  majorityStrategy,
  bestOfNStrategy,
  beamStrategy,
  dvtsStrategy,
];
