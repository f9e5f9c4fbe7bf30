// Builds the extension package the way a release does (`npm run package`: the bundles, then
// `vsce package --no-dependencies`) and copies it out, so a session installs exactly what ships.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, runCommand } from "../setup/command.js";
import { withLock } from "../setup/lock.js";
import { REPO_ROOT } from "../setup/index.js";

export interface Vsix {
  path: string;
  /** `publisher.name`, as `--list-extensions` prints it. */
  id: string;
  version: string;
}

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  scripts?: Record<string, string>;
  files?: string[];
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
}

/** The palette titles ("Category: Title") of the commands package.json contributes and does not hide. */
export function paletteCommandTitles(): string[] {
  const c = manifest().contributes;
  const hidden = new Set((c?.menus?.commandPalette ?? []).filter((e) => e.when).map((e) => e.command));
  return (c?.commands ?? [])
    .filter((cmd) => !hidden.has(cmd.command))
    .map((cmd) => (cmd.category ? `${cmd.category}: ${cmd.title}` : cmd.title));
}

export function extensionId(): string {
  const m = manifest();
  return `${m.publisher}.${m.name}`;
}

/** Runs `npm run package` and copies its `.vsix` to `dest`. */
export async function buildVsix(dest: string, log: (line: string) => void): Promise<Vsix> {
  const m = manifest();
  // Without either, vsce packs the whole checkout, .cache/ (code-server: 14,000 files) included,
  // and fails with an obscure error.
  if (!existsSync(join(REPO_ROOT, ".vscodeignore")) && !m.files)
    throw new Error(
      "Cannot build the VSIX for the e2e tests: the repository has no .vscodeignore (and package.json no " +
        '"files"), so vsce would pack the whole checkout including .cache/. Add an allowlist .vscodeignore ' +
        "(`**`, then `!dist/extension.js`, `!dist/webview.js`, `!media/**`, ...).",
    );
  const out = /--out\s+(\S+)/.exec(m.scripts?.package ?? "")?.[1] ?? `${m.name}-${m.version}.vsix`;
  // Two sessions packaging at once would write the same file; take turns.
  await withLock(join(REPO_ROOT, ".cache", "e2e", "package.lock"), 5 * 60_000, log, async () => {
    await runCommand("npm", ["run", "package"], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      timeoutMs: 5 * 60_000,
      what: "building the VSIX (npm run package)",
    });
    copyFileSync(join(REPO_ROOT, out), dest);
  });
  return { path: dest, id: `${m.publisher}.${m.name}`, version: m.version };
}
