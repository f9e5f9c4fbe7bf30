// Running candidate code: the sandbox and the executor over it (no vscode; Node's child processes).
export { createExecutor, EXEC_DEFAULTS, type ExecutorOptions } from "./executor.js";
export { networkIsolation, type NetworkIsolation } from "./isolation.js";
export { runSandboxed, type SandboxRequest, type SandboxResult } from "./sandbox.js";
