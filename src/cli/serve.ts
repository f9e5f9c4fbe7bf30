// `tts-reasoner serve`: the search behind an OpenAI-compatible endpoint (src/serve/), with the
// same settings as `solve`. Prints the base URL on stdout and one JSON line per request on stderr.
import type { Command } from "commander";
import { connect } from "../app/connect.js";
import type { RequestLogLine } from "../endpoints/index.js";
import {
  DEFAULT_HOST,
  DEFAULT_MAX_ACTIVE,
  DEFAULT_MAX_BUDGET,
  DEFAULT_MAX_QUEUED,
  DEFAULT_PORT,
  isLoopback,
  startServe,
} from "../serve/server.js";
import { modelIds } from "../serve/models.js";
import { DEFAULT_SEARCH_CONFIG } from "../core/index.js";
import { addSettingOptions, runSettings, settingsFromOptions } from "./config.js";

/** The key clients must send, from the environment (a flag shows in `ps`). */
export const SERVE_API_KEY_ENV = "TTS_REASONER_SERVE_API_KEY";

interface ServeFlags extends Record<string, unknown> {
  port?: string;
  host?: string;
  apiKey?: string;
  maxBudget?: string;
  maxConcurrent?: string;
  maxQueue?: string;
  logPrompts?: boolean;
  logRequests?: boolean;
  quiet?: boolean;
}

function whole(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${flag} must be a whole number ≥ ${min} (got ${value}).`);
  return n;
}

export function registerServe(program: Command): void {
  const cmd = program
    .command("serve")
    .description(
      "Serve the search as an OpenAI-compatible API: ask the model tts/<strategy>-<n> (e.g. tts/beam-16) at /v1/chat/completions.",
    )
    .option("--port <port>", `port to listen on (0: any free one)`, String(DEFAULT_PORT))
    .option(
      "--host <address>",
      "address to listen on; anything but loopback should have an API key",
      DEFAULT_HOST,
    )
    .option("--api-key <key>", `key clients must send as Bearer token [${SERVE_API_KEY_ENV}]`)
    .option("--max-budget <n>", "largest budget (n) a request may ask for", String(DEFAULT_MAX_BUDGET))
    .option("--max-concurrent <k>", "searches at once", String(DEFAULT_MAX_ACTIVE))
    .option("--max-queue <k>", "requests waiting for a search; beyond, 429", String(DEFAULT_MAX_QUEUED))
    .option("--log-prompts", "put each request's problem in its log line")
    .option(
      "--log-requests",
      "also one line per upstream HTTP request (never keys) [TTS_REASONER_LOG_REQUESTS]",
    )
    .option("--quiet", "no request log");
  addSettingOptions(cmd);
  cmd.action(async (flags: ServeFlags) => {
    await serve(flags);
  });
}

async function serve(flags: ServeFlags): Promise<void> {
  const plan = runSettings(settingsFromOptions(flags));
  const host = flags.host ?? DEFAULT_HOST;
  const apiKey = flags.apiKey ?? (process.env[SERVE_API_KEY_ENV] || undefined);
  const logRequests = flags.logRequests || !!process.env.TTS_REASONER_LOG_REQUESTS;
  const upstreamLog = logRequests
    ? (line: RequestLogLine) => process.stderr.write(`${JSON.stringify({ upstream: line })}\n`)
    : undefined;
  const handle = await startServe({
    plan,
    connect: (p) => connect(p, { log: upstreamLog }),
    host,
    port: whole(flags.port, "port", DEFAULT_PORT, 0),
    apiKey,
    maxBudget: whole(flags.maxBudget, "max-budget", DEFAULT_MAX_BUDGET, 1),
    maxActive: whole(flags.maxConcurrent, "max-concurrent", DEFAULT_MAX_ACTIVE, 1),
    maxQueued: whole(flags.maxQueue, "max-queue", DEFAULT_MAX_QUEUED, 0),
    logPrompts: flags.logPrompts === true,
    log: flags.quiet ? undefined : (line) => process.stderr.write(`${JSON.stringify(line)}\n`),
  });
  if (!isLoopback(host) && !apiKey)
    process.stderr.write(
      `Warning: serving on ${host} without an API key: anyone who can reach this address can spend your compute. Set ${SERVE_API_KEY_ENV} (or --api-key).\n`,
    );
  const models = modelIds({
    search: { ...DEFAULT_SEARCH_CONFIG, ...plan.search },
    hasVerifier: plan.verifier !== null,
    maxBudget: whole(flags.maxBudget, "max-budget", DEFAULT_MAX_BUDGET, 1),
  });
  process.stderr.write(
    `Serving ${models.length} models (${models.slice(0, 4).join(", ")}, …) at ${handle.url}\n`,
  );
  process.stdout.write(`${handle.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void handle.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
