// Every setting by its flat name (without the `ttsReasoner.` prefix): type, default, scope and
// meaning. The extension's manifest, the CLI's flags and the Settings type all derive from it.
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_POLICY_SEQUENCES,
  VERIFIER_KINDS,
  type VerifierKind,
} from "../../core/index.js";
import { CODE_SPECS } from "./specs-code.js";
import { SEARCH_SPECS } from "./specs-search.js";
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUTS,
  FLAVOUR_NAMES,
  POLICY_API_STYLES,
  UNREPORTED_SEQUENCES,
} from "../../endpoints/index.js";

/** "4 for Ollama, 64 for OpenAI, …": the per-kind defaults, said once where they are set. */
const unreportedSequences = (): string =>
  Object.entries(UNREPORTED_SEQUENCES)
    .map(([flavour, n]) => `${n} for ${FLAVOUR_NAMES[flavour as keyof typeof FLAVOUR_NAMES]}`)
    .join(", ");

export const SETTINGS_SECTION = "ttsReasoner";

const VERIFIER_DESCRIPTIONS: Record<VerifierKind, string> = {
  "vllm-pooling": "A Qwen2.5-Math-PRM style model behind vLLM `/pooling` (step reward per `<extra_0>` tag).",
  "token-logprob": "A Math-Shepherd or RLHFlow style PRM: the probability of the '+' token after each step.",
  "llm-judge": "Any chat model asked whether each step is correct: P(yes).",
  http: "A custom HTTP scorer: problem and steps in, one score per step out.",
  none: "No verifier: greedy and majority vote only.",
};

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

export type SettingGroup = "policy" | "verifier" | "search" | "requests" | "code";

export const SETTING_GROUP_TITLES: Record<SettingGroup, string> = {
  policy: "Policy model",
  verifier: "Verifier (process reward model)",
  search: "Search",
  requests: "Requests",
  code: "Code problems",
};

const URLS_NOTE =
  "Several URLs are replicas of one model: requests go to the least loaded. A trailing slash, a missing `/v1` or a pasted `/chat/completions` path is corrected. User settings only; API keys are set with the command **TTS Reasoner: Set API Key…** and sent only to the origin they were set for.";

const SPECS = [
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
    enum: POLICY_API_STYLES,
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
    default: 0,
    minimum: 0,
    maximum: 1024,
    scope: "machine",
    restricted: true,
    description: `Most policy sequences (samples) in flight at once, all replicas together: a request for \`n\` samples counts n. 0: the server's slots where it reports them (llama.cpp \`total_slots\`, times the replicas); else ${unreportedSequences()}, ${DEFAULT_POLICY_SEQUENCES} for vLLM and SGLang. User settings only: a workspace cannot change it.`,
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
    default: DEFAULT_CONCURRENCY,
    minimum: 1,
    maximum: 256,
    scope: "machine",
    restricted: true,
    description:
      "Most verifier requests in flight at once. User settings only: a workspace cannot change it.",
  },
  ...SEARCH_SPECS,
  {
    key: "timeouts.connectMs",
    group: "requests",
    type: "integer",
    default: DEFAULT_TIMEOUTS.connectMs,
    minimum: 1,
    scope: "window",
    description: "Milliseconds to wait for a server to accept a connection.",
  },
  {
    key: "timeouts.firstTokenMs",
    group: "requests",
    type: "integer",
    default: DEFAULT_TIMEOUTS.firstTokenMs,
    minimum: 1,
    scope: "window",
    description:
      "Milliseconds to wait for the first token of a response (long prompts take a while to prefill).",
  },
  {
    key: "timeouts.idleMs",
    group: "requests",
    type: "integer",
    default: DEFAULT_TIMEOUTS.idleMs,
    minimum: 1,
    scope: "window",
    description: "Milliseconds a streaming response may stay silent before it is abandoned.",
  },
  {
    key: "requests.maxRetries",
    group: "requests",
    type: "integer",
    default: DEFAULT_MAX_RETRIES,
    minimum: 0,
    maximum: 20,
    scope: "window",
    restricted: true,
    description:
      "Retries of a request that failed with 429, 5xx or a reset connection (honouring `Retry-After`).",
  },
  ...CODE_SPECS,
] as const satisfies readonly SettingSpec[];

export const SETTING_SPECS: readonly SettingSpec[] = SPECS;

/** The table's literal type, from which read.ts derives `Settings`. */
export type SpecTable = typeof SPECS;
