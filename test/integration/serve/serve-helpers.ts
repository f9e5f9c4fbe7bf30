// `serve` started in-process over simworld, with its settings read by the CLI's own code (the
// flags `tts-reasoner serve` takes), and the official `openai` client pointed at it.
import OpenAI from "openai";
import { connect } from "../../../src/app/connect.js";
import { resolveSettings, runSettings } from "../../../src/cli/config.js";
import {
  startServe,
  type ServeHandle,
  type ServeLogLine,
  type ServeOptions,
} from "../../../src/serve/server.js";
import { startSimworld, type Simworld, type SimworldOptions } from "../../simworld/index.js";

/** The settings flags of a beam-capable setup on one simworld: a 1.5b policy and the Qwen PRM. */
export function simFlags(sim: Simworld, extra: Record<string, string> = {}): Record<string, string> {
  return {
    policyUrl: sim.url,
    policyModel: "sim-policy-1.5b",
    verifier: "vllm-pooling",
    verifierModel: "sim-prm-qwen",
    ...extra,
  };
}

/** The same flags as `solve` takes them on the command line. */
export function cliArgs(flags: Record<string, string>): string[] {
  return Object.entries(flags).flatMap(([k, v]) => [
    `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    v,
  ]);
}

export interface Served {
  sim: Simworld;
  serve: ServeHandle;
  log: ServeLogLine[];
  client(options?: { apiKey?: string; maxRetries?: number }): OpenAI;
  close(): Promise<void>;
}

export async function startServed(
  simOptions: Partial<SimworldOptions> = {},
  flags: Record<string, string> = {},
  serveOptions: Partial<ServeOptions> = {},
): Promise<Served> {
  const sim = await startSimworld({ flavour: "vllm", port: 0, seed: 3, ...simOptions });
  const log: ServeLogLine[] = [];
  const plan = runSettings(resolveSettings({ flags: simFlags(sim, flags), env: {} }), {});
  const serve = await startServe({
    plan,
    connect: (p) => connect(p),
    port: 0,
    log: (line) => log.push(line),
    ...serveOptions,
  });
  return {
    sim,
    serve,
    log,
    // No retries by default: a test sees each status the server sends.
    client: ({ apiKey = "unused", maxRetries = 0 } = {}) =>
      new OpenAI({ baseURL: serve.url, apiKey, maxRetries }),
    close: async () => {
      await serve.close();
      await sim.close();
    },
  };
}

/** Polls until `check` holds, or fails naming what it waited for. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
