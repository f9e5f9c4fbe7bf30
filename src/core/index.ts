// The search core: pure logic, no vscode, no network. Everything else builds on this.
export * from "./types.js";
export * from "./policy.js";
export * from "./verifier.js";
export * from "./config.js";
export * from "./steps.js";
export * from "./aggregate.js";
export * from "./answer-key.js";
export * from "./select.js";
export * from "./cost.js";
export * from "./events.js";
export * from "./trace.js";
export * from "./run-view.js";
export { runSearch, type RunOptions, type SearchContext, type Strategy } from "./run.js";
export { AbortedError, Scheduler } from "./scheduler.js";
export { STRATEGIES } from "./strategies/index.js";
export * from "./auto/difficulty.js";
export * from "./auto/table.js";
export * from "./auto/early-stop.js";
