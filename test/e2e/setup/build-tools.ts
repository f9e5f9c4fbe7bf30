// The compiler toolchain node-gyp needs to build code-server's logger (@vscode/spdlog) for
// Node 24. Installed from Debian when we are root; otherwise the error says what to install.
import { isRoot, onPath } from "./command.js";
import { aptInstall } from "./apt.js";

const TOOLS = ["make", "g++", "python3"] as const;

export async function ensureBuildTools(log: (line: string) => void): Promise<void> {
  const missing: string[] = [];
  for (const tool of TOOLS) if (!(await onPath(tool))) missing.push(tool);
  if (!missing.length) return;
  const fix = "apt-get install -y make g++ python3 (or your system's build tools)";
  if (!isRoot() || !(await onPath("apt-get")))
    throw new Error(
      `The e2e setup must compile a native module for code-server, and ${missing.join(", ")} is missing. Install it: ${fix}.`,
    );
  log(`installing build tools (${missing.join(", ")}) with apt-get`);
  await aptInstall(["make", "g++", "python3"], log);
  for (const tool of missing)
    if (!(await onPath(tool)))
      throw new Error(
        `apt-get installed the build tools but ${tool} is still not on PATH. Install it: ${fix}.`,
      );
}
