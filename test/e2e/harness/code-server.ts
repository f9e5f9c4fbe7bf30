// One isolated code-server: its own HOME, XDG folders, user-data and extensions folders, seeded
// user settings, our VSIX installed, a free port. Stopping it kills its whole process group
// (server, extension host, file watcher), also when the test process exits abruptly.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../setup/command.js";
import { node24Env } from "../setup/code-server.js";
import type { E2eTools } from "../setup/index.js";
import { machineScopedSettings, type Settings } from "./settings.js";
import { waitUntil } from "./wait.js";

export interface CodeServerDirs {
  home: string;
  userData: string;
  extensions: string;
  /** Where code-server's own stdout/stderr goes. */
  serverLog: string;
}

export interface CodeServer {
  /** `http://localhost:<port>/`: localhost, not 127.0.0.1, so webviews get a secure context. */
  url: string;
  /** The URL that opens `workspace` in the workbench. */
  workspaceUrl: string;
  port: number;
  dirs: CodeServerDirs;
  /** VS Code's log folder for this server (per-start subfolders: server, exthost, ...). */
  logsDir: string;
  stop(): Promise<void>;
  exited(): boolean;
}

/**
 * Lays out the folders of an instance under `root` and writes its settings. code-server is a
 * remote VS Code: a fresh instance's extension host does not see `machine`-scoped settings
 * (our endpoint URLs) from User/settings.json, only from the remote's Machine/settings.json; so
 * those go to both files (Machine wins, as remote settings do), everything else to User.
 */
export function prepareDirs(root: string, settings: Settings): CodeServerDirs {
  const dirs: CodeServerDirs = {
    home: join(root, "home"),
    userData: join(root, "user-data"),
    extensions: join(root, "extensions"),
    serverLog: join(root, "code-server.log"),
  };
  for (const d of [dirs.home, dirs.extensions]) mkdirSync(d, { recursive: true });
  const machineKeys = machineScopedSettings();
  const machine = Object.fromEntries(Object.entries(settings).filter(([k]) => machineKeys.has(k)));
  for (const [scope, values] of [
    ["User", settings],
    ["Machine", machine],
  ] as const) {
    mkdirSync(join(dirs.userData, scope), { recursive: true });
    writeFileSync(join(dirs.userData, scope, "settings.json"), JSON.stringify(values, null, 2) + "\n");
  }
  return dirs;
}

/** The environment of every code-server command: Node 24, and HOME/XDG inside the instance. */
function serverEnv(tools: E2eTools, dirs: CodeServerDirs): Record<string, string> {
  const env = node24Env(tools.node24, {
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, ".config"),
    XDG_DATA_HOME: join(dirs.home, ".local", "share"),
    XDG_CACHE_HOME: join(dirs.home, ".cache"),
    XDG_STATE_HOME: join(dirs.home, ".local", "state"),
  });
  // Inside a VS Code terminal these make code-server act as a client of that VS Code instead.
  for (const k of Object.keys(env))
    if (k.startsWith("VSCODE_") || k.startsWith("CODE_SERVER_")) delete env[k];
  return env;
}

function commonArgs(dirs: CodeServerDirs): string[] {
  return [
    "--user-data-dir",
    dirs.userData,
    "--extensions-dir",
    dirs.extensions,
    "--config",
    join(dirs.home, "config.yaml"),
  ];
}

/** `code-server --install-extension <vsix>`, then checks `--list-extensions` shows `id@version`. */
export async function installExtension(
  tools: E2eTools,
  dirs: CodeServerDirs,
  vsix: { path: string; id: string; version: string },
): Promise<string[]> {
  const env = serverEnv(tools, dirs);
  const run = (args: string[], what: string): Promise<{ output: string }> =>
    runCommand(tools.node24.node, [tools.codeServer.entry, ...commonArgs(dirs), ...args], {
      cwd: dirs.home,
      env,
      timeoutMs: 120_000,
      what,
    });
  const install = await run(
    ["--install-extension", vsix.path, "--force"],
    `installing ${vsix.path} into code-server`,
  );
  const listed = (
    await run(["--list-extensions", "--show-versions"], "listing code-server's extensions")
  ).output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[\w.-]+@[\w.+-]+$/.test(l));
  if (!listed.includes(`${vsix.id}@${vsix.version}`))
    throw new Error(
      `code-server does not list ${vsix.id}@${vsix.version} after installing ${vsix.path}; it lists ` +
        `[${listed.join(", ")}]. Install output:\n${install.output.slice(-2000)}`,
    );
  return listed;
}

export interface StartOptions {
  tools: E2eTools;
  dirs: CodeServerDirs;
  workspace: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 60 s. */
  startTimeoutMs?: number;
  /** Keep VS Code's workspace trust on (a Restricted Mode window); default off: trusted. */
  workspaceTrust?: boolean;
}

const LISTENING = /HTTP server listening on (http:\/\/[^\s/]+:(\d+))\//;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** On any exit of the test process, kill what it started (a crash must not leave servers behind). */
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const { tools, dirs } = opts;
  writeFileSync(join(dirs.home, "config.yaml"), "auth: none\ncert: false\n");
  const args = [
    tools.codeServer.entry,
    ...commonArgs(dirs),
    "--auth",
    "none",
    "--bind-addr",
    `127.0.0.1:${opts.port ?? 0}`,
    "--disable-telemetry",
    "--disable-update-check",
    ...(opts.workspaceTrust ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    opts.workspace,
  ];
  const log = createWriteStream(dirs.serverLog, { flags: "a" });
  // Own process group (detached), so stop() reaches the extension host and other children too.
  const child = spawn(tools.node24.node, args, {
    cwd: dirs.home,
    env: serverEnv(tools, dirs),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  killAllOnExit();
  let output = "";
  const collect = (chunk: Buffer): void => {
    log.write(chunk);
    if (output.length < 100_000) output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exitedPromise = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  child.on("exit", () => running.delete(child));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const stop = async (): Promise<void> => {
    if (!exited()) {
      killGroup(child, "SIGTERM");
      const gone = await Promise.race([
        exitedPromise.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
      ]);
      if (!gone) killGroup(child, "SIGKILL");
      await exitedPromise;
    }
    // Its children (extension host) may outlive it briefly; the group kill reaches them too.
    killGroup(child, "SIGKILL");
    await new Promise<void>((r) => log.end(() => r()));
  };

  try {
    const match = await waitUntil(
      `code-server to print "HTTP server listening on" (log: ${dirs.serverLog})`,
      { timeoutMs: opts.startTimeoutMs ?? 60_000 },
      () => {
        if (exited())
          throw new Error(
            `code-server exited (${child.exitCode ?? child.signalCode}) before listening:\n${output.slice(-3000)}`,
          );
        return LISTENING.exec(output);
      },
    ).catch((err: Error) => {
      // An exit is final: say so rather than "timed out".
      if (exited())
        throw new Error(
          `code-server exited (${child.exitCode ?? child.signalCode}) before listening:\n${output.slice(-3000)}`,
        );
      throw err;
    });
    const port = Number(match[2]);
    const url = `http://localhost:${port}/`;
    await waitUntil(`code-server's /healthz at ${url}`, { timeoutMs: 30_000, intervalMs: 200 }, async () => {
      const res = await fetch(`${url}healthz`);
      return res.ok;
    });
    return {
      url,
      workspaceUrl: `${url}?folder=${encodeURIComponent(opts.workspace)}`,
      port,
      dirs,
      logsDir: join(dirs.userData, "logs"),
      stop,
      exited,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
