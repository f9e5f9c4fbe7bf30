// One sandboxed process: a fresh temporary directory as cwd, HOME and TMPDIR, a minimal
// environment, no network namespace where the machine allows it, a wall-time limit, capped
// output; on timeout, cancel or too much output the whole process group is killed.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { networkIsolation } from "./isolation.js";

export interface SandboxRequest {
  command: string;
  /** Arguments; `{dir}` is replaced by the temporary directory. */
  args: string[];
  files: Record<string, string>;
  wallMs: number;
  maxOutputBytes: number;
  env?: Record<string, string>;
  signal?: AbortSignal;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outputCapped: boolean;
  aborted: boolean;
}

export async function runSandboxed(req: SandboxRequest): Promise<SandboxResult> {
  const dir = await mkdtemp(join(tmpdir(), "tts-exec-"));
  try {
    for (const [name, text] of Object.entries(req.files)) await writeFile(join(dir, name), text);
    return await spawnIn(dir, req);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

function spawnIn(dir: string, req: SandboxRequest): Promise<SandboxResult> {
  const { prefix } = networkIsolation();
  const args = req.args.map((a) => a.replaceAll("{dir}", dir));
  const [command, ...rest] = [...prefix, req.command, ...args];
  return new Promise((resolve) => {
    const child = spawn(command!, rest, {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        TMPDIR: dir,
        LANG: "C.UTF-8",
        PYTHONIOENCODING: "utf-8",
        ...req.env,
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let outputCapped = false;
    let aborted = false;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      if (outputCapped) return;
      size += chunk.length;
      if (size > req.maxOutputBytes) {
        outputCapped = true;
        killGroup();
        return;
      }
      into.push(chunk);
    };
    child.stdout.on("data", take(out));
    child.stderr.on("data", take(err));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, req.wallMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.signal?.aborted) onAbort();
    const done = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
      // A grandchild left behind (a daemon the candidate started) goes with the group.
      killGroup();
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        outputCapped,
        aborted,
      });
    };
    child.on("error", (e) => {
      err.push(Buffer.from(String(e.message)));
      done(null, null);
    });
    child.on("close", done);
  });
}
