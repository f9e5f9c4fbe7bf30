// Reads the settings (from VS Code or the CLI's flags, environment and file) into one typed
// object, naming every bad one, and maps them to the search's knobs.
import { SearchError, type SearchConfig } from "../../core/index.js";
import { SETTING_SPECS, SETTINGS_SECTION, type SettingSpec, type SpecTable } from "./specs.js";

type Spec = SpecTable[number];
type ValueOf<S extends SettingSpec> = S["type"] extends "string[]"
  ? string[]
  : S["type"] extends "number" | "integer"
    ? number
    : S["type"] extends "integer?"
      ? number | null
      : S["type"] extends "boolean"
        ? boolean
        : S extends { enum: readonly (infer E)[] }
          ? E
          : string;
type GroupOf<K extends string> = K extends `${infer G}.${string}` ? G : never;
type NameOf<K extends string> = K extends `${string}.${infer N}` ? N : never;

/** Every setting, typed, by group and name: derived from the spec table (specs.ts), so they cannot differ. */
export type Settings = {
  [G in GroupOf<Spec["key"]>]: {
    -readonly [S in Spec as GroupOf<S["key"]> extends G ? NameOf<S["key"]> : never]: ValueOf<S>;
  };
};

/** A setting that could not be used, by its full name, and why. */
export class SettingsError extends SearchError {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(
      "invalid-config",
      `Invalid settings: ${problems.map((p) => `${SETTINGS_SECTION}.${p.key} ${p.message}`).join("; ")}.`,
    );
    this.name = "SettingsError";
  }
}

/**
 * Reads every setting through `get` (flat key without the section prefix; undefined = default).
 * Strings are accepted for numbers, booleans and lists (comma-separated), so flags and
 * environment variables can feed it. Throws a SettingsError naming each bad setting.
 */
export function readSettings(get: (key: string) => unknown): Settings {
  const problems: { key: string; message: string }[] = [];
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of SETTING_SPECS) {
    const raw = get(spec.key);
    const value = raw === undefined ? spec.default : coerce(spec, raw);
    if (value instanceof Error) problems.push({ key: spec.key, message: value.message });
    const [group, name] = spec.key.split(".") as [string, string];
    (out[group] ??= {})[name] = value instanceof Error ? spec.default : value;
  }
  if (problems.length) throw new SettingsError(problems);
  return out as unknown as Settings;
}

function coerce(spec: SettingSpec, raw: unknown): unknown {
  const got = (): string => JSON.stringify(raw);
  switch (spec.type) {
    case "string": {
      if (typeof raw !== "string") return new Error(`must be text (got ${got()})`);
      if (spec.enum && !spec.enum.includes(raw))
        return new Error(`must be one of ${spec.enum.join(", ")} (got ${got()})`);
      return raw;
    }
    case "string[]": {
      const list =
        typeof raw === "string"
          ? raw.split(",")
          : Array.isArray(raw) && raw.every((x) => typeof x === "string")
            ? raw
            : null;
      if (!list) return new Error(`must be a list of URLs (got ${got()})`);
      return list.map((s: string) => s.trim()).filter((s: string) => s.length > 0);
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      return new Error(`must be true or false (got ${got()})`);
    }
    case "number":
    case "integer":
    case "integer?": {
      if (spec.type === "integer?" && (raw === null || raw === "")) return null;
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() ? Number(raw) : NaN;
      const whole = spec.type !== "number";
      if (!Number.isFinite(n) || (whole && !Number.isInteger(n)))
        return new Error(`must be a ${whole ? "whole " : ""}number (got ${got()})`);
      if (spec.minimum !== undefined && n < spec.minimum)
        return new Error(`must be at least ${spec.minimum} (got ${n})`);
      if (spec.maximum !== undefined && n > spec.maximum)
        return new Error(`must be at most ${spec.maximum} (got ${n})`);
      return n;
    }
  }
}

/** The search knobs the settings set (the panel may override some per run). */
export function searchConfigFrom(s: Settings): Partial<SearchConfig> {
  return {
    strategy: s.search.strategy,
    n: s.search.n,
    beamWidth: s.search.beamWidth,
    maxSteps: s.search.maxSteps,
    temperature: s.search.temperature,
    maxTokens: s.search.maxTokens,
    delimiter: s.search.stepDelimiter,
    aggregation: s.search.aggregation,
    selection: s.search.answerSelection,
    ...(s.search.seed !== null ? { seed: s.search.seed } : {}),
    finishedBeamsShrink: s.search.finishedBeamsShrink,
    dedupe: s.search.dedupe,
    earlyStop: s.search.earlyStop,
  };
}
