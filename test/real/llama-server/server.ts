// Starts real llama-servers on loopback for the suite, on the tiny model, and stops them by pid.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tinyModel } from "../gguf/tiny-model.js";
import { findLlamaServer, HOW, type Found, type LlamaServerCommand } from "./install.js";

let found: Found | undefined;

/**
 * The llama-server of this test process (found or installed once), or why there is none. With
 * CI=true not getting one throws, so CI cannot pass without the suite.
 */
export function llamaServer(): Found {
  if (found) return found;
  found = findLlamaServer();
  if (found.ok)
    console.log(`# llama-server: ${found.server.origin}, setup ${(found.setupMs / 1000).toFixed(1)} s`);
  else if (process.env.CI === "true") throw new Error(`CI=true and no llama-server: ${found.reason}`);
  return found;
}

/** `describe` options: skipped with one line saying why and how to enable it. */
export function realSuite(): { skip: string | false } {
  const f = llamaServer();
  if (f.ok) return { skip: false };
  return {
    skip: `real llama-server suite skipped: ${f.reason}${f.reason.includes(HOW) ? "" : `; to run it, ${HOW}`}`,
  };
}

let modelPath: string | undefined;

/** The tiny model, written once per test process. */
export function tinyModelPath(): string {
  if (modelPath && existsSync(modelPath)) return modelPath;
  const dir = join(tmpdir(), `tts-reasoner-real-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  modelPath = join(dir, "tiny.gguf");
  writeFileSync(modelPath, tinyModel().bytes);
  return modelPath;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// Servers still running when this process ends (a failed test, Ctrl-C) are killed with it.
const running = new Set<number>();
const killRunning = (): void => {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
};
process.once("exit", killRunning);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    killRunning();
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });

export interface RealServer {
  url: string;
  port: number;
  pid: number;
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  slots?: number;
  /** Total context (`-c`), split over the slots. */
  ctx?: number;
  args?: string[];
}

export async function startServer(options: ServerOptions = {}): Promise<RealServer> {
  const f = llamaServer();
  if (!f.ok) throw new Error(f.reason);
  const cmd: LlamaServerCommand = f.server;
  const port = await freePort();
  const args = [
    ...cmd.prefix,
    ...["-m", tinyModelPath(), "--host", "127.0.0.1", "--port", String(port)],
    ...["-np", String(options.slots ?? 4), "-c", String(options.ctx ?? 8192), "-t", "1"],
    ...(options.args ?? []),
  ];
  // ggml loads its CPU backend from the working directory among others: in the sid tree its
  // compiled-in path (/usr/lib/x86_64-linux-gnu/ggml/backends0) is not the host's.
  const cwd = cmd.root ? join(cmd.root, "usr/lib/x86_64-linux-gnu/ggml/backends0") : undefined;
  const proc = spawn(cmd.command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (d: Buffer): void => {
    log = (log + d.toString()).slice(-20_000);
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  running.add(proc.pid!);
  const exited = new Promise<void>((r) =>
    proc.once("exit", () => {
      running.delete(proc.pid!);
      r();
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${port}`;
  const server: RealServer = {
    url,
    port,
    pid: proc.pid!,
    log: () => log,
    async stop() {
      if (dead) return;
      process.kill(proc.pid!, "SIGTERM");
      const timer = setTimeout(() => !dead && process.kill(proc.pid!, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (dead) throw new Error(`llama-server exited at start:\n${log.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) {
      await server.stop();
      throw new Error(`llama-server not healthy within 60 s:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `body` with servers started for it, stopped afterwards whatever happens. */
export async function withServers<T>(
  options: ServerOptions[],
  body: (servers: RealServer[]) => Promise<T>,
): Promise<T> {
  const servers: RealServer[] = [];
  try {
    for (const o of options) servers.push(await startServer(o));
    return await body(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
