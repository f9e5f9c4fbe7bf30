// Messages between the extension host and the panel's webview: one map per direction from
// message name to payload (as Continue does), typed constructors and `is()` guards (as GitLens
// does), and a runtime check of everything the webview sends, because the webview renders model
// text and is the least trusted side. Imported by both ends; core types only.
import { SEARCH_LIMITS } from "./core/config.js";
import { DEFAULT_DELIMITER, splitSteps } from "./core/steps.js";
import { findStrategy, strategyIds, type RunView, type SearchEvent, type StrategyId } from "./core/index.js";

export const PANEL_VIEW_TYPE = "ttsReasoner.panel";
export const PANEL_TITLE = "TTS Reasoner";

/** The per-run knobs the panel's form sets; everything else comes from the settings. */
export interface PanelOptions {
  strategy: StrategyId;
  n: number;
  beamWidth: number;
  temperature: number;
  maxSteps: number;
  /** What the problem is: guessed from the text and the editor's language (auto), or chosen. */
  kind?: ProblemKindChoice;
}

export const PROBLEM_KIND_CHOICES = ["auto", "math", "code"] as const;
export type ProblemKindChoice = (typeof PROBLEM_KIND_CHOICES)[number];

export const OPTION_LIMITS = {
  n: SEARCH_LIMITS.n,
  beamWidth: SEARCH_LIMITS.beamWidth,
  temperature: SEARCH_LIMITS.temperature,
  maxSteps: SEARCH_LIMITS.maxSteps,
} as const;

/** Longest problem the panel may submit (characters). */
export const MAX_PROBLEM_CHARS = 100_000;

/** An error as the panel shows it: what failed, where, and what to do. */
export interface PanelError {
  message: string;
  endpoint?: string;
  url?: string;
  /** A command the panel may offer as a button, from the allowlist below. */
  action?: PanelCommand;
}

/** Commands the webview may ask the host to run; nothing outside this list. */
export const PANEL_COMMANDS = ["testConnection", "openSettings", "setApiKey"] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

/** What the settings say about the form and the endpoints, apart from any run. */
export interface PanelSetup {
  options: PanelOptions;
  hasVerifier: boolean;
  /** The user's note about the endpoints (`policy.note`), shown as text; "" for none. */
  note: string;
}

/** Everything the panel needs to draw itself from nothing. */
export interface PanelSnapshot extends PanelSetup {
  /** 0 before the first run. Event batches of other runs are ignored. */
  runId: number;
  /** The number of events folded into `view`; the next batch starts there. */
  seq: number;
  view: RunView | null;
  running: boolean;
  /** The run is a saved trace being replayed. */
  replay: boolean;
  problem: string;
  error: PanelError | null;
}

/** Host → webview. */
export interface ToWebview {
  snapshot: PanelSnapshot;
  /** Events of run `runId`, coalesced; `seq` is the index of the first one in the run. */
  events: { runId: number; seq: number; events: SearchEvent[] };
  status: { runId: number; running: boolean; error: PanelError | null };
  options: PanelSetup;
}

/** Webview → host. */
export interface ToHost {
  ready: Record<string, never>;
  solve: { problem: string; options: PanelOptions };
  stop: Record<string, never>;
  /** Inserts into the editor the problem came from; null: the chosen candidate. */
  insertAnswer: { nodeId: string | null };
  insertSolution: { nodeId: string | null };
  copy: { what: "answer" | "solution"; nodeId: string | null };
  exportTrace: Record<string, never>;
  command: { command: PanelCommand };
}

export type MessageOf<P> = { [K in keyof P]: { type: K; data: P[K] } }[keyof P];
export type ToWebviewMessage = MessageOf<ToWebview>;
export type ToHostMessage = MessageOf<ToHost>;

export function message<P, K extends keyof P>(type: K, data: P[K]): { type: K; data: P[K] } {
  return { type, data };
}

export const toWebview = <K extends keyof ToWebview>(type: K, data: ToWebview[K]) =>
  message<ToWebview, K>(type, data);
export const toHost = <K extends keyof ToHost>(type: K, data: ToHost[K]) => message<ToHost, K>(type, data);

/** Narrows a message of a known direction to one type. */
export function is<M extends { type: string }, K extends M["type"]>(
  msg: M,
  type: K,
): msg is Extract<M, { type: K }> {
  return msg.type === type;
}

// ---- runtime validation of what the webview sends -------------------------------------------

type Check = (data: Record<string, unknown>) => string | null;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isNodeId = (v: unknown): boolean =>
  v === null || (typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v));

export function checkOptions(v: unknown): string | null {
  if (!isRecord(v)) return "options must be an object";
  if (typeof v.strategy !== "string" || !findStrategy(v.strategy))
    return `strategy must be one of ${strategyIds().join(", ")}`;
  for (const key of ["n", "beamWidth", "maxSteps"] as const) {
    const x = v[key];
    const { min, max } = OPTION_LIMITS[key];
    if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max)
      return `${key} must be a whole number from ${min} to ${max}`;
  }
  const temp = v.temperature;
  if (
    typeof temp !== "number" ||
    !(temp >= OPTION_LIMITS.temperature.min && temp <= OPTION_LIMITS.temperature.max)
  )
    return `temperature must be from ${OPTION_LIMITS.temperature.min} to ${OPTION_LIMITS.temperature.max}`;
  if (v.kind !== undefined && !(PROBLEM_KIND_CHOICES as readonly unknown[]).includes(v.kind))
    return `kind must be one of ${PROBLEM_KIND_CHOICES.join(", ")}`;
  return null;
}

const empty: Check = () => null;
const nodeOnly: Check = (d) => (isNodeId(d.nodeId) ? null : "nodeId must be a node id or null");

const CHECKS: { [K in keyof ToHost]: Check } = {
  ready: empty,
  stop: empty,
  exportTrace: empty,
  solve: (d) => {
    if (typeof d.problem !== "string") return "problem must be text";
    if (!d.problem.trim()) return "problem is empty";
    if (d.problem.length > MAX_PROBLEM_CHARS) return `problem is longer than ${MAX_PROBLEM_CHARS} characters`;
    return checkOptions(d.options);
  },
  insertAnswer: nodeOnly,
  insertSolution: nodeOnly,
  copy: (d) =>
    d.what === "answer" || d.what === "solution" ? nodeOnly(d) : "what must be answer or solution",
  command: (d) =>
    (PANEL_COMMANDS as readonly unknown[]).includes(d.command)
      ? null
      : `command must be one of ${PANEL_COMMANDS.join(", ")}`,
};

/**
 * Checks a message from the webview. Returns it typed, or the reason it was refused. Payload
 * fields the protocol does not know are dropped, so nothing unchecked reaches the host.
 */
export function parseToHost(
  raw: unknown,
): { ok: true; message: ToHostMessage } | { ok: false; reason: string } {
  if (!isRecord(raw)) return { ok: false, reason: "message is not an object" };
  const type = raw.type;
  if (typeof type !== "string" || !Object.hasOwn(CHECKS, type))
    return { ok: false, reason: `unknown message type ${JSON.stringify(type)?.slice(0, 40)}` };
  const data = raw.data ?? {};
  if (!isRecord(data)) return { ok: false, reason: `${type}: data must be an object` };
  const problem = CHECKS[type as keyof ToHost](data);
  if (problem) return { ok: false, reason: `${type}: ${problem}` };
  return { ok: true, message: { type, data: pick(type as keyof ToHost, data) } as ToHostMessage };
}

function pick(type: keyof ToHost, d: Record<string, unknown>): unknown {
  switch (type) {
    case "solve": {
      const o = d.options as Record<string, unknown>;
      return {
        problem: d.problem,
        options: {
          strategy: o.strategy,
          n: o.n,
          beamWidth: o.beamWidth,
          temperature: o.temperature,
          maxSteps: o.maxSteps,
          ...(o.kind !== undefined ? { kind: o.kind } : {}),
        },
      };
    }
    case "insertAnswer":
    case "insertSolution":
      return { nodeId: d.nodeId ?? null };
    case "copy":
      return { what: d.what, nodeId: d.nodeId ?? null };
    case "command":
      return { command: d.command };
    default:
      return {};
  }
}

/** A cheap shape check of host messages in the webview (the host is trusted, but not its bugs). */
export function isToWebviewMessage(raw: unknown): raw is ToWebviewMessage {
  return (
    isRecord(raw) &&
    typeof raw.type === "string" &&
    ["snapshot", "events", "status", "options"].includes(raw.type) &&
    isRecord(raw.data)
  );
}

/** The name the picker and status lines show for a strategy id (the id itself when unknown). */
export const strategyName = (id: StrategyId): string => findStrategy(id)?.label ?? id;

/** "Beam search, n=8, width 4": what a run with these options is, in a few words. */
export function strategyLabel(o: Pick<PanelOptions, "strategy" | "n" | "beamWidth">): string {
  const s = findStrategy(o.strategy);
  const name = s?.label ?? o.strategy;
  if (s && !s.usesBudget) return name;
  if (s?.layout === "tree") return `${name}, n=${o.n}, width ${o.beamWidth}`;
  return `${name}, n=${o.n}`;
}

// ---- score bands, shared by the panel's badges and the editor's inline scores ------------------

export type ScoreBand = "high" | "medium" | "low";
export const SCORE_BAND_THRESHOLDS = { high: 0.7, medium: 0.4 } as const;

export function scoreBand(score: number): ScoreBand {
  if (score >= SCORE_BAND_THRESHOLDS.high) return "high";
  if (score >= SCORE_BAND_THRESHOLDS.medium) return "medium";
  return "low";
}

/** The contributed theme colour of each band (package.json `contributes.colors`). */
export const SCORE_BAND_COLORS: Record<ScoreBand, string> = {
  high: "ttsReasoner.scoreHigh",
  medium: "ttsReasoner.scoreMedium",
  low: "ttsReasoner.scoreLow",
};

/** A score as shown everywhere: two decimals. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}

// ---- paths of a run, as both ends show and insert them ----------------------------------------

/** One path of a run: its steps with their scores, and its answer once finished. */
export interface PathInfo {
  nodeId: string;
  steps: string[];
  stepScores?: number[];
  score?: number;
  answer: string | null;
  finished: boolean;
}

/** The path ending at `nodeId`; null picks the chosen candidate of a finished run. */
export function pathOf(view: RunView, nodeId: string | null): PathInfo | null {
  const id = nodeId ?? view.result?.chosen?.nodeId ?? null;
  if (!id) return null;
  const candidate = view.result?.candidates.find((c) => c.nodeId === id);
  if (candidate)
    return {
      nodeId: id,
      steps: candidate.steps,
      stepScores: candidate.stepScores,
      score: candidate.score,
      answer: candidate.answer,
      finished: true,
    };
  const node = view.nodes[id];
  if (!node) return null;
  const chain = [];
  for (let n: typeof node | undefined = node; n && n.parentId !== null; n = view.nodes[n.parentId])
    chain.push(n);
  const delimiter = view.config?.delimiter ?? DEFAULT_DELIMITER;
  return {
    nodeId: id,
    steps: chain.reverse().flatMap((n) => splitSteps(n.text, delimiter)),
    stepScores: node.stepScores,
    score: node.score,
    answer: view.answers[id] ?? null,
    finished: node.status === "finished",
  };
}

/** The run's answer: the final one, or while running the current leader of the tally. */
export function currentAnswer(view: RunView): string | null {
  if (view.result) return view.result.answer;
  return view.tally[0]?.answer ?? null;
}
