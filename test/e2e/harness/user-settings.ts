// The endpoint settings a person already has, for `npm start`: environment variables named as
// the CLI names them (`ttsReasoner.policy.baseUrls` → TTS_REASONER_POLICY_BASE_URLS, lists
// comma-separated), then their VS Code and code-server user settings files.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parseJsonc } from "../../../src/ignored-settings.js";
import { contributedSchemas, SETTINGS_PREFIX, type Settings } from "./settings.js";

type PropertySchema = { type?: string | string[] };

/** `ttsReasoner.policy.baseUrls` → `TTS_REASONER_POLICY_BASE_URLS` (the CLI's rule). */
export function envName(key: string): string {
  const name = key.slice(SETTINGS_PREFIX.length);
  return (
    "TTS_REASONER_" +
    name
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/\./g, "_")
      .toUpperCase()
  );
}

function fromEnv(raw: string, schema: PropertySchema, variable: string): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "array":
      return raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    case "number":
    case "integer": {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${variable}=${raw} is not a number.`);
      return n;
    }
    case "boolean":
      if (/^(true|1)$/i.test(raw)) return true;
      if (/^(false|0)$/i.test(raw)) return false;
      throw new Error(`${variable}=${raw} is not true or false.`);
    default:
      return raw;
  }
}

/** The user settings files a person on this machine may have. */
export function userSettingsFiles(home = homedir()): string[] {
  const config = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  const data = process.env.XDG_DATA_HOME ?? join(home, ".local", "share");
  return [join(config, "Code", "User", "settings.json"), join(data, "code-server", "User", "settings.json")];
}

export interface PersonSettings {
  settings: Settings;
  /** Where each setting came from (an env variable or a file), for the terminal. */
  sources: Record<string, string>;
  warnings: string[];
}

/** The person's `ttsReasoner.*` settings: environment first, then settings files. */
export function readPersonSettings(
  env: NodeJS.ProcessEnv = process.env,
  files = userSettingsFiles(),
): PersonSettings {
  const schemas = contributedSchemas();
  const settings: Settings = {};
  const sources: Record<string, string> = {};
  const warnings: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = parseJsonc(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      warnings.push(`could not read ${file}: ${(err as Error).message}`);
      continue;
    }
    for (const [key, value] of Object.entries(parsed))
      if (key.startsWith(SETTINGS_PREFIX) && schemas.has(key) && !(key in settings)) {
        settings[key] = value;
        sources[key] = file;
      }
  }
  for (const [key, schema] of schemas) {
    const variable = envName(key);
    const raw = env[variable];
    if (raw === undefined || raw === "") continue;
    settings[key] = fromEnv(raw, schema, variable);
    sources[key] = `$${variable}`;
  }
  return { settings, sources, warnings };
}

/** Whether the settings name a policy server (the one endpoint a search cannot do without). */
export function hasPolicyEndpoint(settings: Settings): boolean {
  const urls = settings["ttsReasoner.policy.baseUrls"];
  return Array.isArray(urls) ? urls.length > 0 : typeof urls === "string" && urls.trim() !== "";
}
