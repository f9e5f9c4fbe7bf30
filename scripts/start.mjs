// `npm start`: TTS Reasoner in a real VS Code (code-server) on localhost, for a person.
// Plain JavaScript so it runs on a fresh clone: it installs the npm dependencies when they are
// missing, then hands over to the TypeScript part of the e2e harness
// (test/e2e/harness/npm-start.ts, run with tsx), which installs Node 24, code-server and
// Chromium as the tests do, builds the VSIX and prints the URL to open.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const needed = ["tsx", "playwright-core", "@vscode/vsce", "esbuild"];

if (needed.some((dep) => !existsSync(join(root, "node_modules", dep, "package.json")))) {
  console.log("Installing the npm dependencies (npm ci)...");
  const r = spawnSync("npm", ["ci"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`npm ci failed (exit ${r.status ?? r.signal}); fix that, then run npm start again.`);
    process.exit(1);
  }
}

const child = spawn(
  process.execPath,
  ["--import", "tsx", join(root, "test", "e2e", "harness", "npm-start.ts"), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
  },
);
// Ctrl+C in a terminal reaches the child directly (same process group); a signal sent to us
// alone (e.g. by npm) is passed on. The child stops code-server and simworld, then exits, and so do we.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
