// code-server (VS Code in the browser) from npm, installed with Node 24's npm.
//
// Its own postinstall (`postinstall.sh`) runs `npm install` in lib/vscode and lib/vscode/extensions,
// which compiles every native module VS Code has: kerberos (needs libkrb5-dev), node-pty, sqlite3,
// argon2, ... several minutes on two cores, and it fails outright without the kerberos headers.
// Loading an extension, editors, webviews and commands need none of them, so we do what the
// postinstall does with `--ignore-scripts`, and compile only @vscode/spdlog, without which the
// server writes no log files (and a failed e2e test must leave its logs).
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, runCommand } from "./command.js";
import { installInto, isInstalled } from "./install-dir.js";
import type { Node24 } from "./node24.js";
import { CODE_SERVER_VERSION } from "./pins.js";

export interface CodeServerInstall {
  /** code-server's entry script, to run with Node 24: `node entry.js --auth none ...`. */
  entry: string;
  version: string;
  /** The VS Code version it bundles (lib/vscode/product.json). */
  vscodeVersion: string;
}

function paths(dir: string): { root: string; entry: string; vscode: string } {
  const root = join(dir, "node_modules", "code-server");
  return { root, entry: join(root, "out", "node", "entry.js"), vscode: join(root, "lib", "vscode") };
}

function describe(dir: string): CodeServerInstall {
  const p = paths(dir);
  const product = JSON.parse(readFileSync(join(p.vscode, "product.json"), "utf8")) as { version: string };
  return { entry: p.entry, version: CODE_SERVER_VERSION, vscodeVersion: product.version };
}

/** Node 24 first on PATH, and node-gyp building against Node 24's headers (not the user npmrc's nodedir). */
export function node24Env(node24: Node24, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({
    PATH: `${node24.binDir}:${process.env.PATH ?? ""}`,
    npm_config_nodedir: node24.nodeDir,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    ...extra,
  });
}

export async function ensureCodeServer(
  cacheDir: string,
  node24: Node24,
  log: (line: string) => void,
): Promise<{ codeServer: CodeServerInstall; seconds: number }> {
  const dir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  if (isInstalled(dir)) return { codeServer: describe(dir), seconds: 0 };
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${node24.version} into ${dir}`);
  const seconds = await installInto(dir, `code-server ${CODE_SERVER_VERSION}`, async (tmp) => {
    const env = node24Env(node24);
    const npm = (args: string[], cwd: string, what: string, timeoutMs = 10 * 60_000): Promise<unknown> =>
      runCommand(node24.node, [node24.npmCli, ...args], { cwd, env, timeoutMs, what });
    writeFileSync(
      join(tmp, "package.json"),
      JSON.stringify({ name: "e2e-code-server", private: true }, null, 2),
    );
    await npm(
      ["install", "--save-exact", "--ignore-scripts", `code-server@${CODE_SERVER_VERSION}`],
      tmp,
      "installing code-server",
    );
    const p = paths(tmp);

    // postinstall.sh, step by step: VS Code's own dependencies (pinned by its npm-shrinkwrap.json)...
    await npm(
      ["install", "--omit=dev", "--ignore-scripts"],
      p.vscode,
      "installing VS Code's dependencies for code-server",
    );
    // ...the CLI helper links it makes for Linux/macOS...
    const os = process.platform === "darwin" ? "darwin" : "linux";
    for (const [folder, source, dest] of [
      ["remote-cli", `code-${os}.sh`, "code-server"],
      ["helpers", `browser-${os}.sh`, "browser.sh"],
    ] as const) {
      const link = join(p.vscode, "bin", folder, dest);
      rmSync(link, { force: true });
      symlinkSync(source, link);
    }
    // ...and the built-in extensions' shared dependency (TypeScript), trimmed by its own script.
    const extensions = join(p.vscode, "extensions");
    await npm(
      ["install", "--omit=dev", "--ignore-scripts"],
      extensions,
      "installing the built-in extensions' dependencies",
    );
    await runCommand(node24.node, ["postinstall.mjs"], {
      cwd: extensions,
      env,
      timeoutMs: 60_000,
      what: "trimming the built-in extensions' TypeScript",
    });

    // The one native module we need: the file logger.
    await runCommand(node24.node, [node24.nodeGyp, "rebuild", `--nodedir=${node24.nodeDir}`], {
      cwd: join(p.vscode, "node_modules", "@vscode", "spdlog"),
      env,
      timeoutMs: 10 * 60_000,
      what: "compiling @vscode/spdlog for Node 24 (needs make, g++, python3)",
    });

    // It must start: `--version` with a throwaway HOME (it writes config files there).
    const home = join(tmp, ".version-home");
    mkdirSync(home, { recursive: true });
    const { output } = await runCommand(node24.node, [p.entry, "--version"], {
      cwd: tmp,
      env: node24Env(node24, {
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        XDG_DATA_HOME: join(home, ".local/share"),
      }),
      timeoutMs: 60_000,
      what: "checking that code-server starts",
    });
    rmSync(home, { recursive: true, force: true });
    if (!output.includes(CODE_SERVER_VERSION))
      throw new Error(
        `code-server --version printed ${JSON.stringify(output.trim())}, expected ${CODE_SERVER_VERSION}.`,
      );
  });
  return { codeServer: describe(dir), seconds };
}
