// The CLI's configuration: the extension's settings (src/app/settings/), by the same names, read
// from flags, environment variables and a JSON/YAML config file, in that order of precedence.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { runPlan, type RunPlan } from "../app/run.js";
import {
  keyOrigin,
  readSettings,
  SETTING_SPECS,
  SETTINGS_SECTION,
  SettingsError,
  type Settings,
  type SettingSpec,
} from "../app/settings/index.js";

const ENV_PREFIX = "TTS_REASONER_";

/**
 * The flag of each setting. The common ones are short (`--n`, `--policy-url`, `--verifier`);
 * a setting missing here fails the CLI's tests, so every setting stays reachable from the CLI.
 */
export const SETTING_FLAGS: Readonly<Record<string, string>> = {
  "policy.baseUrls": "policy-url",
  "policy.model": "policy-model",
  "policy.apiStyle": "policy-api-style",
  "policy.chatTemplate": "policy-chat-template",
  "policy.systemPrompt": "policy-system-prompt",
  "policy.parametersBillions": "policy-params",
  "policy.note": "policy-note",
  "policy.concurrency": "policy-concurrency",
  "verifier.kind": "verifier",
  "verifier.baseUrls": "verifier-url",
  "verifier.model": "verifier-model",
  "verifier.parametersBillions": "verifier-params",
  "verifier.concurrency": "verifier-concurrency",
  "search.strategy": "strategy",
  "search.n": "n",
  "search.beamWidth": "beam-width",
  "search.maxSteps": "max-steps",
  "search.temperature": "temperature",
  "search.maxTokens": "max-tokens",
  "search.stepDelimiter": "delimiter",
  "search.aggregation": "aggregation",
  "search.answerSelection": "selection",
  "search.seed": "seed",
  "search.finishedBeamsShrink": "finished-beams-shrink",
  "search.dedupe": "dedupe",
  "search.earlyStop": "early-stop",
  "search.strategyTable": "strategy-table",
  "timeouts.connectMs": "connect-timeout-ms",
  "timeouts.firstTokenMs": "first-token-timeout-ms",
  "timeouts.idleMs": "idle-timeout-ms",
  "requests.maxRetries": "max-retries",
  "code.execution": "code-execution",
  "code.testSamples": "test-samples",
  "code.testFile": "tests",
  "code.testTimeoutMs": "test-timeout-ms",
  "code.memoryMb": "memory-mb",
};

/** API keys come from the environment only: never a flag (flags show in `ps`) nor a shared file. */
export const API_KEY_ENV = {
  policy: `${ENV_PREFIX}POLICY_API_KEY`,
  verifier: `${ENV_PREFIX}VERIFIER_API_KEY`,
};
export const CONFIG_ENV = `${ENV_PREFIX}CONFIG`;

const VERIFIER_KEYS = ["verifier.kind", "verifier.baseUrls", "verifier.model"];

export type SettingSource = "flag" | "env" | "file" | "default";

export interface ResolvedSettings {
  settings: Settings;
  /** Where each setting's value came from. */
  sources: Record<string, SettingSource>;
}

/** `policy.baseUrls` → `TTS_REASONER_POLICY_BASE_URLS`. */
export function envName(key: string): string {
  return (
    ENV_PREFIX +
    key
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/\./g, "_")
      .toUpperCase()
  );
}

/** commander's option key for a flag: `policy-url` → `policyUrl`. */
export function optionKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `\n`, `\t` and `\\` typed in a shell become the characters, so a blank-line delimiter can be given. */
function unescapeDelimiter(s: string): string {
  return s.replace(/\\([nt\\])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));
}

/**
 * Reads a JSON or YAML config file into flat setting keys. Keys may be flat (`policy.model`) or
 * nested (`policy: {model: …}`) and may carry the `ttsReasoner.` prefix, so a block of VS Code
 * settings.json can be pasted in. An unknown key is an error: a typo must not pass silently.
 */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the config file ${path}: ${(e as Error).message}`);
  }
  const json = extname(path).toLowerCase() === ".json";
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(
      `The config file ${path} is not valid ${json ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new Error(`The config file ${path} must hold an object of settings.`);
  const known = new Set(SETTING_SPECS.map((s) => s.key));
  const flat: Record<string, unknown> = {};
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      let key = prefix + k;
      if (key.startsWith(`${SETTINGS_SECTION}.`)) key = key.slice(SETTINGS_SECTION.length + 1);
      if (known.has(key)) flat[key] = v;
      else if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, `${key}.`);
      else if (/apiKey$/i.test(key))
        throw new Error(
          `The config file ${path} holds an API key ("${key}"). Keys are read only from ${API_KEY_ENV.policy} and ${API_KEY_ENV.verifier}.`,
        );
      else
        throw new Error(
          `The config file ${path} has an unknown setting "${key}". Known settings: ${[...known].join(", ")}.`,
        );
    }
  };
  walk(data as Record<string, unknown>, "");
  return flat;
}

export interface SettingInputs {
  /** commander's parsed options (camelCased flag keys); undefined = not given. */
  flags?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Flat settings from a config file. */
  file?: Record<string, unknown>;
}

/**
 * Each setting from the first source that has it — flag, environment variable, config file —
 * else its default; then checked and typed by the shared `readSettings`.
 */
export function resolveSettings(inputs: SettingInputs): ResolvedSettings {
  const sources: Record<string, SettingSource> = {};
  const settings = withCliHints(() =>
    readSettings((key) => {
      const flag = SETTING_FLAGS[key];
      const fromFlag = flag ? inputs.flags?.[optionKey(flag)] : undefined;
      const fromEnv = inputs.env?.[envName(key)];
      const fromFile = inputs.file?.[key];
      let value: unknown;
      if (fromFlag !== undefined) [value, sources[key]] = [fromFlag, "flag"];
      else if (fromEnv !== undefined && fromEnv !== "") [value, sources[key]] = [fromEnv, "env"];
      else if (fromFile !== undefined) [value, sources[key]] = [fromFile, "file"];
      else {
        sources[key] = "default";
        return undefined;
      }
      return key === "search.stepDelimiter" && sources[key] !== "file" && typeof value === "string"
        ? unescapeDelimiter(value)
        : value;
    }),
  );
  return { settings, sources };
}

/** Where a setting can be given on the command line, for error messages. */
export function settingHint(key: string): string {
  const flag = SETTING_FLAGS[key];
  return `${flag ? `--${flag}, ` : ""}${envName(key)} or ${key} in --config`;
}

/** The shared settings' errors speak of "the settings"; on the CLI they also say how to set them. */
function withCliHints<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    throw new Error(
      `${e.message.replace(/\.$/, "")}. On the command line: ${e.problems.map((p) => settingHint(p.key)).join("; ")}.`,
    );
  }
}

/** Settings from a command's options, the environment, and `--config` (or TTS_REASONER_CONFIG). */
export function settingsFromOptions(
  opts: Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
): ResolvedSettings {
  const path = typeof opts.config === "string" ? opts.config : env[CONFIG_ENV];
  return resolveSettings({ flags: opts, env, file: path ? readConfigFile(path) : undefined });
}

function describeOption(spec: SettingSpec): string {
  const values = spec.enum ? ` (${spec.enum.join(", ")})` : "";
  const text = spec.description
    .replace(/`/g, "")
    .replace(/\*\*/g, "")
    .split(/(?<=\.)\s/)[0];
  return `${text}${values} [${envName(spec.key)}]`;
}

/** Adds a flag for every setting, and `--config`. No commander defaults: absent means unset. */
export function addSettingOptions(cmd: Command, skip: readonly string[] = []): Command {
  cmd.option(
    "--config <file>",
    `JSON or YAML file of settings; flags and environment variables override it [${CONFIG_ENV}]`,
  );
  for (const spec of SETTING_SPECS) {
    const flag = SETTING_FLAGS[spec.key];
    if (!flag || skip.includes(spec.key)) continue;
    const arg = spec.type === "boolean" ? " [bool]" : spec.type === "string[]" ? " <urls>" : " <value>";
    cmd.option(`--${flag}${arg}`, describeOption(spec));
  }
  return cmd;
}

/** How the CLI says to configure a verifier, in the errors that need one. */
export const SET_VERIFIER_FLAGS =
  "set --verifier (kind), --verifier-model and, if not the policy's server, --verifier-url (or TTS_REASONER_VERIFIER_*)";

/**
 * The run plan (src/app/run.ts), each role's API key from the environment when its origin is
 * single. The CLI uses no verifier unless one is configured (kind, URL or model set anywhere;
 * see PlanInputs.useVerifier), and then defaults the strategy to majority vote, which needs none.
 */
export function runSettings(
  resolved: ResolvedSettings,
  env: Record<string, string | undefined> = process.env,
): RunPlan {
  const s = resolved.settings;
  const policyOrigin = keyOrigin(s.policy.baseUrls);
  const verifierOrigin = keyOrigin(s.verifier.baseUrls.length ? s.verifier.baseUrls : s.policy.baseUrls);
  // The policy's key serves the verifier only on the policy's own origin.
  const verifierKey =
    env[API_KEY_ENV.verifier] ?? (verifierOrigin === policyOrigin ? env[API_KEY_ENV.policy] : undefined);
  const plan = withCliHints(() =>
    runPlan(s, {
      keys: {
        policy: (origin) => (origin === policyOrigin ? env[API_KEY_ENV.policy] : undefined),
        verifier: (origin) => (origin === verifierOrigin ? verifierKey : undefined),
      },
      useVerifier: VERIFIER_KEYS.some((k) => resolved.sources[k] !== "default"),
      tableBase: process.cwd(),
    }),
  );
  if (!plan.verifier && resolved.sources["search.strategy"] === "default") plan.search.strategy = "majority";
  return plan;
}

/** One line per setting with its value and where it came from. API keys never appear. */
export function describeSettings(resolved: ResolvedSettings): string[] {
  return SETTING_SPECS.map((spec) => {
    const [group, name] = spec.key.split(".") as [string, string];
    const value = (resolved.settings as unknown as Record<string, Record<string, unknown>>)[group]?.[name];
    return `${spec.key} = ${JSON.stringify(value)}  (${resolved.sources[spec.key] ?? "default"})`;
  });
}
