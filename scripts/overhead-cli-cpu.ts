// The CLI's own CPU per search, for bench:overhead: `tts-reasoner solve --json` (no live view,
// so whole responses, not token streams) run as a child process against a simworld server in
// this process with no latency, so the run is all CPU. The child reports its CPU as it exits
// (scripts/cpu-at-exit.cjs); this process's CPU over the same span is simworld's own, for a
// ratio that does not need a second build. With a baseline (a checkout of an earlier commit,
// built), both CLIs run alternately on the same problems and seeds, under the same load.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startSimworld } from "../test/simworld/index.js";

export interface CliCpu {
  /** The CLI process's CPU (user + system), module loading included. */
  cliMs: number;
  /** simworld's CPU over the same run (this process). */
  serverMs: number;
  answer: string | null;
}

const PRELOAD = resolve("scripts/cpu-at-exit.cjs");

/** One `solve --json` by the CLI at `cli` (a dist/cli.js), beam N=64 M=4. */
export async function cliRun(cli: string, problem: string, seed: number): Promise<CliCpu> {
  const sim = await startSimworld({ flavour: "vllm", port: 0, latency: "none", seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), "tts-cpu-"));
  const out = join(dir, "cpu.json");
  try {
    const before = process.cpuUsage();
    const stdout = await new Promise<string>((done, fail) =>
      execFile(
        process.execPath,
        [
          "--require",
          PRELOAD,
          cli,
          "solve",
          problem,
          "--json",
          "--policy-url",
          `${sim.url}/v1`,
          "--policy-model",
          "sim-policy-0.5b",
          "--verifier",
          "vllm-pooling",
          "--verifier-url",
          `${sim.url}/v1`,
          "--verifier-model",
          "sim-prm-qwen",
          "--strategy",
          "beam",
          "--n",
          "64",
          "--beam-width",
          "4",
          "--seed",
          String(seed),
        ],
        { env: { ...process.env, TTS_REASONER_CPU_OUT: out }, maxBuffer: 64 << 20 },
        (e, so, se) => (e ? fail(new Error(`${cli}: ${e.message}\n${se}`)) : done(so)),
      ),
    );
    const server = process.cpuUsage(before);
    const { cpuMs } = JSON.parse(readFileSync(out, "utf8")) as { cpuMs: number };
    const { answer } = JSON.parse(stdout) as { answer: string | null };
    return { cliMs: cpuMs, serverMs: (server.user + server.system) / 1000, answer };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}
