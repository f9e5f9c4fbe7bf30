// The settings both products share: the spec table, reading, the endpoints they map to, and the
// manifest section written from them.
export * from "./specs.js";
export * from "./read.js";
export * from "./endpoints.js";
export * from "./manifest.js";
export * from "./specs-code.js";
