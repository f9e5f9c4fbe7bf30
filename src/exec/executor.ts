// The code executor the core's code runs use: each candidate with all its tests in one
// sandboxed child process (sandbox.ts), Python through python3 -I with the audit-hook harness,
// JavaScript through node with its permission model (TypeScript too, its types stripped first);
// the harness's lines become test results.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import type { CandidateRun, CodeExecutor, CodeLanguage, CodeTest, TestResult } from "../core/code/types.js";
import { JS_HARNESS } from "./harness-js.js";
import { PYTHON_HARNESS } from "./harness-python.js";
import { networkIsolation } from "./isolation.js";
import { runSandboxed, type SandboxResult } from "./sandbox.js";
import { typescriptTestToJs, typescriptToJs } from "./typescript.js";

export interface ExecutorOptions {
  /** Wall time per test (and for loading the code), in milliseconds. */
  testMs?: number;
  /** Memory limit: the address space for Python, the V8 heap for JavaScript, in MiB. */
  memoryMb?: number;
  maxOutputBytes?: number;
  python?: string;
  /** A Node.js binary (not Electron's): `node` on the PATH by default. */
  node?: string;
}

export const EXEC_DEFAULTS = { testMs: 2000, memoryMb: 512, maxOutputBytes: 1 << 20 } as const;

const permissionFlags = new Map<string, string | null>();

/** `--permission` (Node 22+) or `--experimental-permission` (Node 20), whichever this node knows. */
function permissionFlag(node: string): string | null {
  if (!permissionFlags.has(node)) {
    let flag: string | null = null;
    for (const f of ["--permission", "--experimental-permission"]) {
      const r = spawnSync(node, [f, "--allow-fs-read=*", "-e", "0"], { stdio: "ignore", timeout: 10000 });
      if (r.status === 0) {
        flag = f;
        break;
      }
    }
    permissionFlags.set(node, flag);
  }
  return permissionFlags.get(node)!;
}

interface HarnessLine {
  test?: string;
  passed?: boolean;
  message?: string;
  value?: string;
  parseError?: string;
  refused?: string;
  done?: boolean;
}

function readLines(stdout: string, mark: string): HarnessLine[] {
  const lines: HarnessLine[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(mark)) continue;
    try {
      lines.push(JSON.parse(line.slice(mark.length)) as HarnessLine);
    } catch {
      // A line cut by a kill.
    }
  }
  return lines;
}

/** Why a process did not finish its tests, in a phrase; null when it did. */
function stopReason(
  r: SandboxResult,
  lines: HarnessLine[],
  o: Required<Omit<ExecutorOptions, "python" | "node">>,
  wallMs: number,
): string | null {
  const refused = [...new Set(lines.filter((l) => l.refused).map((l) => `refused: ${l.refused}`))];
  const done = lines.some((l) => l.done);
  let stop: string | null = null;
  if (r.aborted) stop = "cancelled";
  else if (r.timedOut) stop = `stopped at the wall-time limit (${(wallMs / 1000).toFixed(1)} s)`;
  else if (r.outputCapped) stop = `stopped: output over ${Math.round(o.maxOutputBytes / 1024)} KiB`;
  else if (
    /heap out of memory|Reached heap limit/.test(r.stderr) ||
    lines.some((l) => l.message?.startsWith("MemoryError"))
  )
    stop = `stopped at the memory limit (${o.memoryMb} MiB)`;
  else if (!done)
    stop = r.signal
      ? `the process was killed (${r.signal})`
      : `the process exited early (status ${r.exitCode ?? "?"}${r.stderr.trim() ? `: ${r.stderr.trim().split("\n").pop()!.slice(0, 200)}` : ""})`;
  const slow = lines.some((l) => l.message && /timed out after/.test(l.message));
  if (!stop && slow) stop = `stopped at the time limit per test (${o.testMs / 1000} s)`;
  const all = [...refused, ...(stop ? [stop] : [])];
  return all.length ? all.join("; ") : null;
}

export function createExecutor(options: ExecutorOptions = {}): CodeExecutor {
  const o = { ...EXEC_DEFAULTS, ...options };
  const python = options.python ?? "python3";
  const node = options.node ?? "node";
  return {
    get isolationNote() {
      return networkIsolation().note;
    },
    async run(
      language: CodeLanguage,
      code: string,
      tests: readonly CodeTest[],
      signal?: AbortSignal,
    ): Promise<CandidateRun> {
      if (language === "typescript") {
        // Types stripped here, then the same JavaScript sandbox runs it.
        const js = await typescriptToJs(code);
        if ("error" in js) return { parseError: js.error, results: [] };
        code = js.code;
        tests = await Promise.all(
          tests.map(async (t) => ({ ...t, source: await typescriptTestToJs(t.source) })),
        );
      }
      const mark = `@@tts-${randomBytes(12).toString("hex")}@@`;
      const wallMs = o.testMs * (tests.length + 1) + 3000;
      const testsJson = JSON.stringify(tests.map((t) => ({ id: t.id, source: t.source })));
      const common = { wallMs, maxOutputBytes: o.maxOutputBytes, signal };
      let r: SandboxResult;
      if (language === "python") {
        r = await runSandboxed({
          ...common,
          command: python,
          args: ["-I", "-B", "harness.py"],
          files: { "harness.py": PYTHON_HARNESS, "candidate.py": code, "tests.json": testsJson },
          env: { TTS_MARK: mark, TTS_MEM: String(o.memoryMb * 2 ** 20), TTS_TEST_S: String(o.testMs / 1000) },
        });
      } else {
        const flag = permissionFlag(node);
        r = await runSandboxed({
          ...common,
          command: node,
          args: [
            ...(flag ? [flag, "--allow-fs-read={dir}", "--allow-fs-write={dir}"] : []),
            `--max-old-space-size=${o.memoryMb}`,
            "harness.js",
          ],
          files: { "harness.js": JS_HARNESS, "candidate.js": code, "tests.json": testsJson },
          env: { TTS_MARK: mark, TTS_TEST_MS: String(o.testMs), ELECTRON_RUN_AS_NODE: "1" },
        });
      }
      const lines = readLines(r.stdout, mark);
      const parse = lines.find((l) => l.parseError !== undefined);
      if (parse) return { parseError: parse.parseError!, results: [] };
      const stopped = stopReason(r, lines, o, wallMs);
      const byId = new Map(lines.filter((l) => l.test).map((l) => [l.test!, l]));
      const results: TestResult[] = tests.map((t) => {
        const l = byId.get(t.id);
        if (!l) return { testId: t.id, passed: false, message: stopped ?? "not run" };
        return {
          testId: t.id,
          passed: l.passed === true,
          ...(l.message !== undefined ? { message: l.message } : {}),
          ...(l.value !== undefined ? { value: l.value } : {}),
        };
      });
      return { results, ...(stopped ? { stopped } : {}) };
    },
  };
}
