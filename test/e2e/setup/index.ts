// The e2e setup step: the first thing every e2e session does, also runnable alone
// (`node --import tsx test/e2e/setup/index.ts`). Installs what is missing into `.cache/e2e/`
// (Node 24, code-server) and finds or installs Chromium. Idempotent: a second run only checks.
// It never skips: anything it cannot provide is an error that names the fix.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuildTools } from "./build-tools.js";
import { ensureChromium } from "./chromium.js";
import { ensureCodeServer, type CodeServerInstall } from "./code-server.js";
import { withLock } from "./lock.js";
import { ensureNode24, type Node24 } from "./node24.js";
import { isInstalled } from "./install-dir.js";
import { CACHE_DIR_NAME, CODE_SERVER_VERSION } from "./pins.js";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface E2eTools {
  node24: Node24;
  codeServer: CodeServerInstall;
  chromium: string;
  cacheDir: string;
  /** Seconds each part took to install in this call; 0 where it was cached. */
  installSeconds: { node: number; codeServer: number; chromium: number };
}

export interface SetupOptions {
  /** Progress lines (installs only; a cached run prints nothing). Default: stderr with a prefix. */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[e2e setup] ${line}\n`);
};

export async function ensureE2eTools(opts: SetupOptions = {}): Promise<E2eTools> {
  const log = opts.log ?? defaultLog;
  const cacheDir = join(REPO_ROOT, CACHE_DIR_NAME);
  mkdirSync(cacheDir, { recursive: true });
  // One install at a time, Chromium included (apt-get holds dpkg's lock).
  return withLock(join(cacheDir, "install.lock"), 20 * 60_000, log, async () => {
    const chromium = await ensureChromium(log);
    const { node24, seconds: nodeSeconds } = await ensureNode24(cacheDir, log);
    if (!isInstalled(join(cacheDir, `code-server-${CODE_SERVER_VERSION}`))) await ensureBuildTools(log);
    const { codeServer, seconds: csSeconds } = await ensureCodeServer(cacheDir, node24, log);
    return {
      node24,
      codeServer,
      chromium: chromium.path,
      cacheDir,
      installSeconds: { node: nodeSeconds, codeServer: csSeconds, chromium: chromium.seconds },
    };
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const tools = await ensureE2eTools();
  const summary = {
    node: tools.node24.node,
    codeServer: `${tools.codeServer.version} (VS Code ${tools.codeServer.vscodeVersion}) ${tools.codeServer.entry}`,
    chromium: tools.chromium,
    installSeconds: tools.installSeconds,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  console.log(JSON.stringify(summary, null, 2));
}

// Run alone: installs (or checks) everything and prints where it is and how long it took.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
