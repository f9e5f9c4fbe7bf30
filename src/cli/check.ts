// `tts-reasoner check`: the extension's Test Connection from the terminal, the same report
// (runConnectionTest): server flavour, build, slots, models, API style, continuation, n, and a
// real score from the verifier. Text lines, or the report as JSON with --json.
import type { Command } from "commander";
import { testConnection, type RequestLogLine } from "../endpoints/index.js";
import { addSettingOptions, runSettings, settingsFromOptions } from "./config.js";
import { safeText, terminalJson } from "./view-text.js";

interface CheckFlags extends Record<string, unknown> {
  json?: boolean;
  logRequests?: boolean;
}

export function registerCheck(program: Command): void {
  const cmd = program
    .command("check")
    .description(
      "Test Connection: detect the policy and verifier servers, run a 1-token generation, a continuation and an n = 2 request, and score a 2-step solution. Exit 0 when all passed.",
    )
    .option("--json", "print the report as JSON")
    .option("--log-requests", "one line per HTTP request on stderr (never keys) [TTS_REASONER_LOG_REQUESTS]");
  addSettingOptions(cmd, ["search.strategy", "search.n", "search.seed"]);
  cmd.action(async (flags: CheckFlags) => {
    process.exitCode = await check(flags);
  });
}

async function check(flags: CheckFlags): Promise<number> {
  const run = runSettings(settingsFromOptions(flags));
  const logRequests = flags.logRequests || !!process.env.TTS_REASONER_LOG_REQUESTS;
  const log = logRequests
    ? (line: RequestLogLine) => process.stderr.write(`${JSON.stringify(line)}\n`)
    : undefined;
  const report = await testConnection(run.policy, run.verifier, { log });
  if (flags.json) process.stdout.write(terminalJson(report) + "\n");
  else {
    for (const line of report.lines) process.stdout.write(`${safeText(line)}\n`);
    process.stdout.write(`${report.ok ? "✓" : "✗"} ${safeText(report.summary)}\n`);
  }
  return report.ok ? 0 : 1;
}
