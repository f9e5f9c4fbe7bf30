// Builds the extension package the way a release does (`npm run package`: the bundles, then
// `vsce package --no-dependencies`) and copies it out, so a session installs exactly what ships.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
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

/** What `npm run package` reads: sources, assets, the manifest and the packaging rules. */
const PACKAGE_INPUTS = [
  "src",
  "webview",
  "media",
  "scripts/build.mjs",
  "package.json",
  "package-lock.json",
  ".vscodeignore",
  "README.md",
  "CHANGELOG.md",
  "LICENSE",
  "tsconfig.json",
];

/** A fingerprint of the package inputs (paths, sizes, modification times). */
function inputsKey(): string {
  const hash = createHash("sha256");
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name));
    else hash.update(`${relative(REPO_ROOT, path)}\0${st.size}\0${st.mtimeMs}\n`);
  };
  for (const p of PACKAGE_INPUTS) visit(join(REPO_ROOT, p));
  return hash.digest("hex").slice(0, 16);
}

/**
 * Runs `npm run package` and copies its `.vsix` to `dest`. The package is kept in
 * `.cache/e2e/vsix/` under a fingerprint of its inputs, so the test files of one `npm test` run
 * package once.
 */
export async function buildVsix(dest: string, log: (line: string) => void): Promise<Vsix> {
  const m = manifest();
  const cacheDir = join(REPO_ROOT, ".cache", "e2e", "vsix");
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
    const cached = join(cacheDir, `${inputsKey()}.vsix`);
    if (!existsSync(cached)) {
      await runCommand("npm", ["run", "package"], {
        cwd: REPO_ROOT,
        env: cleanEnv(),
        timeoutMs: 5 * 60_000,
        what: "building the VSIX (npm run package)",
      });
      rmSync(cacheDir, { recursive: true, force: true });
      mkdirSync(cacheDir, { recursive: true });
      copyFileSync(join(REPO_ROOT, out), cached);
    }
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(cached, dest);
  });
  return { path: dest, id: `${m.publisher}.${m.name}`, version: m.version };
}
