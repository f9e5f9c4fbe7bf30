import type { Strategy } from "../run.js";
import type { StrategyId } from "../types.js";
import { auto } from "./auto.js";
import { beam } from "./beam.js";
import { bestOfN } from "./best-of-n.js";
import { dvts } from "./dvts.js";
import { greedy } from "./greedy.js";
import { majority } from "./majority.js";

/** One entry per strategy id; add a strategy by adding its file and its line here. */
export const STRATEGIES: Record<StrategyId, Strategy> = {
  auto,
  greedy,
  majority,
  "best-of-n": bestOfN,
  beam,
  dvts,
};
