// `tts-reasoner solve "<problem>"`: one search against the configured servers, answer on stdout.
import { InvalidArgumentError, type Command } from "commander";
import {
  runSearch,
  STRATEGY_IDS,
  VERIFIER_KINDS,
  type StrategyId,
  type VerifierKind,
} from "../core/index.js";
import { createPolicy, createVerifier, POLICY_API_STYLES, type PolicyApiStyle } from "../endpoints/index.js";

interface SolveFlags {
  policyUrl: string[];
  policyModel: string;
  policyApiStyle: PolicyApiStyle;
  verifier: VerifierKind;
  verifierUrl: string[];
  verifierModel: string;
  strategy?: StrategyId;
  n?: number;
  beamWidth?: number;
  maxSteps?: number;
  temperature?: number;
  seed?: number;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const oneOf =
  <T extends string>(allowed: readonly T[], what: string) =>
  (value: string): T => {
    if (!(allowed as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${what} must be one of ${allowed.join(", ")}.`);
    return value as T;
  };
const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("must be a whole number.");
  return n;
};
const number = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("must be a number.");
  return n;
};

export function registerSolve(program: Command): void {
  program
    .command("solve")
    .description("Solve one problem with test-time scaling and print the answer.")
    .argument("<problem...>", "the problem text (quote it, or pass it as several words)")
    .option("--policy-url <url>", "policy server base URL (repeat for replicas)", collect, [])
    .option("--policy-model <name>", "policy model name (default: the first the server lists)", "")
    .option(
      "--policy-api-style <style>",
      POLICY_API_STYLES.join(" | "),
      oneOf(POLICY_API_STYLES, "--policy-api-style"),
      "auto",
    )
    .option("--verifier <kind>", VERIFIER_KINDS.join(" | "), oneOf(VERIFIER_KINDS, "--verifier"), "none")
    .option(
      "--verifier-url <url>",
      "verifier base URL (repeat for replicas; default: the policy's)",
      collect,
      [],
    )
    .option("--verifier-model <name>", "verifier model name (default: the first the server lists)", "")
    .option("--strategy <id>", STRATEGY_IDS.join(" | "), oneOf(STRATEGY_IDS, "--strategy"))
    .option("--n <count>", "total budget: samples, or candidates per beam round", integer)
    .option("--beam-width <m>", "children per kept beam", integer)
    .option("--max-steps <count>", "most steps a path may take", integer)
    .option("--temperature <t>", "sampling temperature", number)
    .option("--seed <seed>", "sampling seed", integer)
    .option("--json", "print {answer, chosen, tally, cost} as JSON")
    .addHelpText(
      "after",
      "\nAPI keys come from TTS_REASONER_POLICY_API_KEY and TTS_REASONER_VERIFIER_API_KEY (sent only to their URLs).",
    )
    .action(async (words: string[], flags: SolveFlags) => {
      process.exitCode = await solve(words.join(" "), flags);
    });
}

async function solve(problem: string, flags: SolveFlags): Promise<number> {
  if (!flags.policyUrl.length)
    throw new Error("Set the policy server with --policy-url (e.g. http://localhost:8000/v1).");
  const log = process.env.TTS_REASONER_LOG_REQUESTS
    ? (line: unknown) => process.stderr.write(`${JSON.stringify(line)}\n`)
    : undefined;
  const policy = await createPolicy(
    {
      baseUrls: flags.policyUrl,
      model: flags.policyModel,
      apiKey: process.env.TTS_REASONER_POLICY_API_KEY,
      apiStyle: flags.policyApiStyle,
    },
    { log },
  );
  const verifier = await createVerifier(
    {
      baseUrls: flags.verifierUrl.length ? flags.verifierUrl : flags.policyUrl,
      model: flags.verifierModel,
      apiKey: process.env.TTS_REASONER_VERIFIER_API_KEY,
      kind: flags.verifier,
    },
    { log },
  );

  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  const result = await runSearch({
    problem: { text: problem },
    policy,
    verifier,
    signal: controller.signal,
    config: {
      strategy: flags.strategy ?? (verifier ? undefined : "majority"),
      n: flags.n,
      beamWidth: flags.beamWidth,
      maxSteps: flags.maxSteps,
      temperature: flags.temperature,
      seed: flags.seed,
    },
    onEvent: (e) => {
      if (e.type === "warning" && !flags.json) process.stderr.write(`warning: ${e.message}\n`);
    },
  }).finally(() => process.off("SIGINT", onSigint));

  if (flags.json) {
    const { answer, chosen, tally, cost, aborted, error } = result;
    process.stdout.write(
      `${JSON.stringify({ answer, chosen, tally, cost, aborted, ...(error ? { error } : {}) }, null, 2)}\n`,
    );
  } else {
    if (result.answer !== null) process.stdout.write(`${result.answer}\n`);
    const c = result.cost;
    process.stderr.write(
      `${result.strategy}: policy ${c.policy.requests} requests (${c.policy.retries} retries, ${c.policy.failures} failed), ` +
        `verifier ${c.verifier.requests} requests (${c.verifier.retries} retries, ${c.verifier.failures} failed), ` +
        `${Math.round(c.wallMs)} ms${result.aborted ? ", cancelled" : ""}\n`,
    );
    if (result.error) process.stderr.write(`${result.error}\n`);
    else if (result.answer === null) process.stderr.write("No candidate stated a final answer.\n");
  }
  return result.error || result.answer === null ? 1 : 0;
}
