// Which `ttsReasoner.*` values in a workspace's own settings files VS Code leaves unused:
// machine-scoped ones always (user settings only), restricted ones in an untrusted window. VS
// Code drops them without a word (its API does not even show them), so the extension reads
// the files itself and tells the user once. Pure: the extension passes the files' text.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { SETTING_SPECS, SETTINGS_SECTION } from "./app/settings/index.js";

export interface IgnoredSetting {
  /** Full name, e.g. `ttsReasoner.search.n`. */
  key: string;
  /** `user-only`: machine-scoped; `untrusted`: restricted, and the window is in Restricted Mode. */
  why: "user-only" | "untrusted";
}

/**
 * The settings of `values` (a settings file's object: flat dotted keys, nested objects, or
 * both) that VS Code ignores in a workspace, in the order of SETTING_SPECS.
 */
export function ignoredWorkspaceSettings(values: unknown, trusted: boolean): IgnoredSetting[] {
  const set = new Set(flatKeys(values));
  const out: IgnoredSetting[] = [];
  for (const spec of SETTING_SPECS) {
    const key = `${SETTINGS_SECTION}.${spec.key}`;
    if (!set.has(key)) continue;
    if (spec.scope === "machine") out.push({ key, why: "user-only" });
    else if (spec.restricted && !trusted) out.push({ key, why: "untrusted" });
  }
  return out;
}

function flatKeys(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    // A setting's own value may be an object; its key counts whatever it holds.
    return [key, ...(v && typeof v === "object" && !Array.isArray(v) ? flatKeys(v, key) : [])];
  });
}

/** The one message that reports them, naming each setting and what to do. */
export function ignoredSettingsMessage(ignored: readonly IgnoredSetting[]): string {
  const keys = (why: IgnoredSetting["why"]): string[] =>
    ignored.filter((i) => i.why === why).map((i) => i.key);
  const userOnly = keys("user-only");
  const untrusted = keys("untrusted");
  const parts: string[] = [];
  if (userOnly.length)
    parts.push(
      `This workspace's settings set ${userOnly.join(", ")}, which TTS Reasoner reads from your user settings ` +
        "only (they choose where requests go, which model runs, what a run spends or what template code runs): " +
        "they are ignored; set them in your user settings to use them.",
    );
  if (untrusted.length)
    parts.push(
      `In Restricted Mode, this workspace's ${untrusted.join(", ")} ${untrusted.length === 1 ? "is" : "are"} ` +
        `ignored; trust the folder to use ${untrusted.length === 1 ? "it" : "them"}.`,
    );
  return parts.join(" ");
}

/**
 * Reads a settings file as VS Code does (with VS Code's own parser): JSON with `//` and `/* *\/`
 * comments and trailing commas. Throws on anything else.
 */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  const first = errors[0];
  if (first) throw new SyntaxError(`${printParseErrorCode(first.error)} at offset ${first.offset}`);
  return value;
}
