// Runs the install commands of the setup step: output captured (shown only when a step fails),
// and an environment without the `npm_*` variables of the `npm test` that started us, so the
// inner npm runs under Node 24 with its own configuration.
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  output: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** npm settings a person or CI sets on purpose (mirror, proxy, cache, CA): passed on. */
const KEPT_NPM_CONFIG =
  /^npm_config_(registry|.*:registry|cache|proxy|https_proxy|noproxy|cafile|ca|strict_ssl|userconfig|globalconfig|fetch_.*)$/i;

/**
 * The process environment without npm's per-run variables (user agent, lifecycle, package paths)
 * and NODE_OPTIONS (which would leak tsx), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^npm_/i.test(k) && !KEPT_NPM_CONFIG.test(k)) continue;
    if (k === "NODE_OPTIONS" || k === "INIT_CWD") continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Runs `cmd args` in `cwd`; rejects with a CommandError carrying the last of its output when it
 * exits non-zero or runs past `timeoutMs`.
 */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs: number; what: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new CommandError(
          `${opts.what}: timed out after ${opts.timeoutMs / 1000} s (${cmd} ${args.join(" ")})`,
          output,
        ),
      );
    }, opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new CommandError(`${opts.what}: could not run ${cmd}: ${err.message}`, output));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ code, output });
      else
        reject(
          new CommandError(
            `${opts.what} failed (exit ${code}): ${cmd} ${args.join(" ")}\n--- last output ---\n${output.slice(-4000)}`,
            output,
          ),
        );
    });
  });
}

/** Whether `name` is an executable on PATH. */
export async function onPath(name: string): Promise<boolean> {
  try {
    await runCommand("sh", ["-c", `command -v ${name}`], {
      cwd: process.cwd(),
      timeoutMs: 10_000,
      what: `looking for ${name}`,
    });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
