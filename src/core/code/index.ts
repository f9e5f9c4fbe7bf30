// Code problems: detection, prompts, extraction, tests, execution-based selection.
export * from "./types.js";
export * from "./detect.js";
export * from "./extract.js";
export * from "./prompt.js";
export * from "./tests.js";
export * from "./select.js";
export * from "./solve.js";
