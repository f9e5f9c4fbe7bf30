// The user-facing settings, by their flat names, and how they become a search configuration and
// endpoint configurations. Pure (no vscode): the extension reads them from the workspace
// configuration, the CLI from flags, environment and files; both go through `readSettings`.
import {
  AGGREGATIONS,
  ANSWER_SELECTIONS,
  DEFAULT_SEARCH_CONFIG,
  SearchError,
  strategies,
  VERIFIER_KINDS,
  type SearchConfig,
  type VerifierKind,
} from "./core/index.js";
import type { PolicyApiStyle, PolicyEndpointConfig, VerifierEndpointConfig } from "./endpoints/index.js";

export const SETTINGS_SECTION = "ttsReasoner";

const VERIFIER_DESCRIPTIONS: Record<VerifierKind, string> = {
  "vllm-pooling": "A Qwen2.5-Math-PRM style model behind vLLM `/pooling` (step reward per `<extra_0>` tag).",
  "token-logprob": "A Math-Shepherd or RLHFlow style PRM: the probability of the '+' token after each step.",
  "llm-judge": "Any chat model asked whether each step is correct: P(yes).",
  http: "A custom HTTP scorer: problem and steps in, one score per step out.",
  none: "No verifier: greedy and majority vote only.",
};

export const API_STYLES = [
  "auto",
  "chat-continue",
  "completions-template",
  "whole-solution",
] as const satisfies readonly PolicyApiStyle[];
export type ApiStyle = PolicyApiStyle;

type SpecType = "string" | "string[]" | "number" | "integer" | "boolean" | "integer?";

/** One setting: its flat name (without the `ttsReasoner.` prefix), type, default and meaning. */
export interface SettingSpec {
  key: string;
  group: SettingGroup;
  type: SpecType;
  default: string | string[] | number | boolean | null;
  description: string;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  /**
   * `machine`: user settings only, so a workspace cannot redirect requests (and keys) elsewhere,
   * switch the model, enlarge what a run spends or run its own chat template.
   */
  scope: "machine" | "window";
  /** Listed in `restrictedConfigurations`: ignored from workspace settings in untrusted folders. */
  restricted?: boolean;
}

export type SettingGroup = "policy" | "verifier" | "search" | "requests";

export const SETTING_GROUP_TITLES: Record<SettingGroup, string> = {
  policy: "Policy model",
  verifier: "Verifier (process reward model)",
  search: "Search",
  requests: "Requests",
};

const URLS_NOTE =
  "Several URLs are replicas of one model: requests go to the least loaded. A trailing slash, a missing `/v1` or a pasted `/chat/completions` path is corrected. User settings only; API keys are set with the command **TTS Reasoner: Set API Key…** and sent only to the origin they were set for.";

export const SETTING_SPECS: readonly SettingSpec[] = [
  {
    key: "policy.baseUrls",
    group: "policy",
    type: "string[]",
    default: [],
    scope: "machine",
    restricted: true,
    description: `Base URL(s) of the OpenAI-compatible server that runs the policy model (vLLM, SGLang, llama.cpp, Ollama, LM Studio, OpenAI), e.g. \`http://localhost:8000/v1\`. ${URLS_NOTE}`,
  },
  {
    key: "policy.model",
    group: "policy",
    type: "string",
    default: "",
    scope: "machine",
    restricted: true,
    description:
      "Model name the policy server serves (vLLM `--served-model-name`, Ollama tag). Empty: the first model the server lists. User settings only: a workspace cannot change it.",
  },
  {
    key: "policy.apiStyle",
    group: "policy",
    type: "string",
    default: "auto",
    enum: API_STYLES,
    enumDescriptions: [
      "Detect what the server supports.",
      "Chat with continuation of a partial assistant message (vLLM, SGLang, llama.cpp, Ollama raw): all strategies.",
      "Completions with the chat template rendered here (from `ttsReasoner.policy.chatTemplate` or the server): all strategies.",
      "Whole solutions only (servers that cannot continue a message, such as OpenAI): greedy, majority vote and best-of-N.",
    ],
    scope: "machine",
    restricted: true,
    description: "How the policy is asked for steps. User settings only: a workspace cannot change it.",
  },
  {
    key: "policy.chatTemplate",
    group: "policy",
    type: "string",
    default: "",
    scope: "machine",
    restricted: true,
    description:
      "Jinja chat template (Hugging Face format) for the `completions-template` API style. Empty: ask the server for it where it can render one. User settings only: a workspace cannot change it.",
  },
  {
    key: "policy.systemPrompt",
    group: "policy",
    type: "string",
    default: "",
    scope: "window",
    restricted: true,
    description: "System prompt for the policy. Empty: the built-in step-by-step math prompt.",
  },
  {
    key: "policy.parametersBillions",
    group: "policy",
    type: "number",
    default: 0,
    minimum: 0,
    scope: "window",
    description:
      "Parameter count of the policy model in billions (1.5 for a 1.5B model), for the FLOPs estimate. 0: read it from the model name.",
  },
  {
    key: "policy.note",
    group: "policy",
    type: "string",
    default: "",
    scope: "machine",
    restricted: true,
    description:
      "A note about the models behind these endpoints, shown at the top of the panel (e.g. which cluster serves them, or that they are simulated). User settings only.",
  },
  {
    key: "policy.concurrency",
    group: "policy",
    type: "integer",
    default: 8,
    minimum: 1,
    maximum: 256,
    scope: "machine",
    restricted: true,
    description: "Most policy requests in flight at once. User settings only: a workspace cannot change it.",
  },
  {
    key: "verifier.kind",
    group: "verifier",
    type: "string",
    default: "vllm-pooling",
    enum: VERIFIER_KINDS,
    enumDescriptions: VERIFIER_KINDS.map((k) => VERIFIER_DESCRIPTIONS[k]),
    scope: "window",
    restricted: true,
    description: "How steps are scored.",
  },
  {
    key: "verifier.baseUrls",
    group: "verifier",
    type: "string[]",
    default: [],
    scope: "machine",
    restricted: true,
    description: `Base URL(s) of the verifier server. Empty: the policy's base URLs. ${URLS_NOTE}`,
  },
  {
    key: "verifier.model",
    group: "verifier",
    type: "string",
    default: "",
    scope: "machine",
    restricted: true,
    description:
      "Model name of the verifier (e.g. `Qwen/Qwen2.5-Math-PRM-7B`). Empty: the first model the server lists. User settings only: a workspace cannot change it.",
  },
  {
    key: "verifier.parametersBillions",
    group: "verifier",
    type: "number",
    default: 0,
    minimum: 0,
    scope: "window",
    description:
      "Parameter count of the verifier in billions, for the FLOPs estimate. 0: read it from the model name.",
  },
  {
    key: "verifier.concurrency",
    group: "verifier",
    type: "integer",
    default: 8,
    minimum: 1,
    maximum: 256,
    scope: "machine",
    restricted: true,
    description:
      "Most verifier requests in flight at once. User settings only: a workspace cannot change it.",
  },
  {
    key: "search.strategy",
    group: "search",
    type: "string",
    default: DEFAULT_SEARCH_CONFIG.strategy,
    enum: strategies().map((s) => s.id),
    enumDescriptions: strategies().map((s) => s.description),
    scope: "window",
    description: "Default search strategy (the panel can change it per run).",
  },
  {
    key: "search.n",
    group: "search",
    type: "integer",
    default: DEFAULT_SEARCH_CONFIG.n,
    minimum: 1,
    maximum: 1024,
    scope: "machine",
    restricted: true,
    description:
      "Budget: candidates per round (beam search, DVTS) or total samples (best-of-N, majority vote). User settings only: a workspace cannot change it.",
  },
  {
    key: "search.beamWidth",
    group: "search",
    type: "integer",
    default: DEFAULT_SEARCH_CONFIG.beamWidth,
    minimum: 1,
    maximum: 1024,
    scope: "window",
    description:
      "Children sampled per kept beam (M); n/M beams or DVTS subtrees are kept. n must be a multiple of it.",
  },
  {
    key: "search.maxSteps",
    group: "search",
    type: "integer",
    default: DEFAULT_SEARCH_CONFIG.maxSteps,
    minimum: 1,
    maximum: 1000,
    scope: "machine",
    restricted: true,
    description:
      "Most steps a path may take; the last round writes to the end of the solution. User settings only: a workspace cannot change it.",
  },
  {
    key: "search.temperature",
    group: "search",
    type: "number",
    default: DEFAULT_SEARCH_CONFIG.temperature,
    minimum: 0,
    maximum: 2,
    scope: "window",
    description: "Sampling temperature of the policy (greedy always uses 0).",
  },
  {
    key: "search.maxTokens",
    group: "search",
    type: "integer",
    default: DEFAULT_SEARCH_CONFIG.maxTokens,
    minimum: 1,
    maximum: 32768,
    scope: "machine",
    restricted: true,
    description:
      "Token limit per policy call: per step in step-level search, per solution otherwise. User settings only: a workspace cannot change it.",
  },
  {
    key: "search.stepDelimiter",
    group: "search",
    type: "string",
    default: DEFAULT_SEARCH_CONFIG.delimiter,
    scope: "window",
    description: 'Text between steps. Default: a blank line (`"\\n\\n"`), as the PRMs expect.',
  },
  {
    key: "search.aggregation",
    group: "search",
    type: "string",
    default: DEFAULT_SEARCH_CONFIG.aggregation,
    enum: AGGREGATIONS,
    enumDescriptions: [
      "The last step's score.",
      "The lowest step score.",
      "The mean of the step scores.",
      "The product of the step scores.",
    ],
    scope: "window",
    description: "How a path's step scores fold into one path score.",
  },
  {
    key: "search.answerSelection",
    group: "search",
    type: "string",
    default: DEFAULT_SEARCH_CONFIG.selection,
    enum: ANSWER_SELECTIONS,
    enumDescriptions: [
      "The answer with the most votes.",
      "The answer of the best-scored candidate.",
      "The answer with the highest summed path score (weighted best-of-N).",
    ],
    scope: "window",
    description: "How the final answer is chosen among the candidates.",
  },
  {
    key: "search.seed",
    group: "search",
    type: "integer?",
    default: null,
    scope: "window",
    description:
      "Sampling seed passed to the policy, for reproducible runs where the server honours it. Empty: none.",
  },
  {
    key: "search.finishedBeamsShrink",
    group: "search",
    type: "boolean",
    default: DEFAULT_SEARCH_CONFIG.finishedBeamsShrink,
    scope: "window",
    description:
      "Beam search: finished paths take beam slots and the search stops once n/beamWidth have finished (OpenR variant). Off: the live set is refilled to n each round (search-and-learn).",
  },
  {
    key: "search.dedupe",
    group: "search",
    type: "boolean",
    default: DEFAULT_SEARCH_CONFIG.dedupe,
    scope: "window",
    description: "Beam search: drop live paths whose text duplicates another's before keeping the best.",
  },
  {
    key: "search.earlyStop",
    group: "search",
    type: "boolean",
    default: DEFAULT_SEARCH_CONFIG.earlyStop,
    scope: "window",
    description: "Auto: stop sampling once the vote is settled (adaptive consistency).",
  },
  {
    key: "search.strategyTable",
    group: "search",
    type: "string",
    default: "",
    scope: "window",
    restricted: true,
    description:
      "Auto: a strategy table file written by `tts-reasoner calibrate` for this policy and verifier. Empty: the built-in table from the published findings.",
  },
  {
    key: "timeouts.connectMs",
    group: "requests",
    type: "integer",
    default: 10000,
    minimum: 1,
    scope: "window",
    description: "Milliseconds to wait for a server to accept a connection.",
  },
  {
    key: "timeouts.firstTokenMs",
    group: "requests",
    type: "integer",
    default: 120000,
    minimum: 1,
    scope: "window",
    description:
      "Milliseconds to wait for the first token of a response (long prompts take a while to prefill).",
  },
  {
    key: "timeouts.idleMs",
    group: "requests",
    type: "integer",
    default: 60000,
    minimum: 1,
    scope: "window",
    description: "Milliseconds a streaming response may stay silent before it is abandoned.",
  },
  {
    key: "requests.maxRetries",
    group: "requests",
    type: "integer",
    default: 4,
    minimum: 0,
    maximum: 20,
    scope: "window",
    restricted: true,
    description:
      "Retries of a request that failed with 429, 5xx or a reset connection (honouring `Retry-After`).",
  },
];

/** Every setting, typed. The field names follow the flat keys. */
export interface Settings {
  policy: {
    baseUrls: string[];
    model: string;
    apiStyle: ApiStyle;
    chatTemplate: string;
    systemPrompt: string;
    parametersBillions: number;
    note: string;
    concurrency: number;
  };
  verifier: {
    kind: VerifierKind;
    baseUrls: string[];
    model: string;
    parametersBillions: number;
    concurrency: number;
  };
  search: {
    strategy: SearchConfig["strategy"];
    n: number;
    beamWidth: number;
    maxSteps: number;
    temperature: number;
    maxTokens: number;
    stepDelimiter: string;
    aggregation: SearchConfig["aggregation"];
    answerSelection: SearchConfig["selection"];
    seed: number | null;
    finishedBeamsShrink: boolean;
    dedupe: boolean;
    earlyStop: boolean;
    strategyTable: string;
  };
  timeouts: { connectMs: number; firstTokenMs: number; idleMs: number };
  requests: { maxRetries: number };
}

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

/** What each role's endpoint needs, as src/endpoints takes it. */
export type PolicyEndpointSettings = PolicyEndpointConfig;
export type VerifierEndpointSettings = VerifierEndpointConfig;

/** Looks up the API key for an origin (`https://host:port`); undefined when none is set. */
export type ApiKeyLookup = (origin: string) => string | undefined;

/**
 * The one origin a role's key may be sent to. A key is attached only when every base URL of the
 * role shares that origin, so a replica on another host never receives it.
 */
export function keyOrigin(baseUrls: readonly string[]): string | null {
  const origins = new Set(baseUrls.map(originOf));
  if (origins.size !== 1 || origins.has(null)) return null;
  return [...origins][0]!;
}

/** `scheme://host[:port]` of a URL as written by a user (scheme defaults to http), or null. */
export function originOf(url: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `http://${url.trim()}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return u.origin;
  } catch {
    return null;
  }
}

function endpointBase(
  role: "policy" | "verifier",
  s: Settings,
  baseUrls: string[],
  apiKeyFor?: ApiKeyLookup,
): Omit<VerifierEndpointConfig, "kind"> {
  if (!baseUrls.length)
    throw new SettingsError([
      {
        key: `${role}.baseUrls`,
        message: `is empty: set the ${role} server's base URL (e.g. http://localhost:8000/v1) in the settings`,
      },
    ]);
  const origin = keyOrigin(baseUrls);
  const apiKey = origin && apiKeyFor ? apiKeyFor(origin) : undefined;
  return {
    baseUrls,
    model: s[role].model,
    ...(apiKey ? { apiKey } : {}),
    timeouts: { ...s.timeouts },
    maxRetries: s.requests.maxRetries,
    concurrency: s[role].concurrency,
  };
}

export function policyEndpointFrom(s: Settings, apiKeyFor?: ApiKeyLookup): PolicyEndpointConfig {
  return {
    ...endpointBase("policy", s, s.policy.baseUrls, apiKeyFor),
    apiStyle: s.policy.apiStyle,
    ...(s.policy.chatTemplate ? { chatTemplate: s.policy.chatTemplate } : {}),
    ...(s.policy.systemPrompt ? { systemPrompt: s.policy.systemPrompt } : {}),
  };
}

/** Null when the verifier kind is `none`. Empty verifier URLs fall back to the policy's. */
export function verifierEndpointFrom(s: Settings, apiKeyFor?: ApiKeyLookup): VerifierEndpointConfig | null {
  if (s.verifier.kind === "none") return null;
  const urls = s.verifier.baseUrls.length ? s.verifier.baseUrls : s.policy.baseUrls;
  return { ...endpointBase("verifier", s, urls, apiKeyFor), kind: s.verifier.kind };
}

/** Every origin a request may go to, for the API key picker. */
export function endpointOrigins(s: Settings): string[] {
  const urls = [...s.policy.baseUrls, ...(s.verifier.kind === "none" ? [] : s.verifier.baseUrls)];
  return [...new Set(urls.map(originOf).filter((o): o is string => o !== null))];
}

/** Parameter counts for the FLOPs estimate; null lets the core read them from model names. */
export function parameterCounts(s: Settings): { policyParams: number | null; verifierParams: number | null } {
  const count = (b: number): number | null => (b > 0 ? b * 1e9 : null);
  return {
    policyParams: count(s.policy.parametersBillions),
    verifierParams: count(s.verifier.parametersBillions),
  };
}

/**
 * The `contributes.configuration` section of package.json for SETTING_SPECS. A unit test checks
 * the manifest against it; after changing a setting, write it with
 * `node --import tsx test/unit/extension/write-manifest-settings.ts`.
 */
export function configurationContribution(): object[] {
  return Object.entries(SETTING_GROUP_TITLES).map(([group, title], i) => ({
    id: `${SETTINGS_SECTION}.${group}`,
    title,
    order: i + 1,
    properties: Object.fromEntries(
      SETTING_SPECS.filter((s) => s.group === group).map((s, j) => [
        `${SETTINGS_SECTION}.${s.key}`,
        {
          type: s.type === "string[]" ? "array" : s.type === "integer?" ? ["integer", "null"] : s.type,
          ...(s.type === "string[]" ? { items: { type: "string" } } : {}),
          default: s.default,
          ...(s.enum ? { enum: [...s.enum] } : {}),
          ...(s.enumDescriptions ? { enumDescriptions: [...s.enumDescriptions] } : {}),
          ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
          ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
          scope: s.scope,
          markdownDescription: s.description,
          order: j + 1,
        },
      ]),
    ),
  }));
}
