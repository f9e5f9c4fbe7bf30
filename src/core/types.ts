import type { CodeOutcome } from "./code/types.js";
import type { ErrorCode, ErrorRole } from "./errors.js";

/** A problem to solve: the text the user selected or typed. */
export interface Problem {
  id?: string;
  text: string;
  /**
   * Earlier turns of a conversation the problem came from (`serve`): sent to a chat policy
   * before the problem's own user turn. Verifiers score the problem and steps alone.
   */
  context?: readonly ConversationTurn[];
}

/** One earlier turn of a conversation, as a chat policy is sent it. */
export interface ConversationTurn {
  role: "user" | "assistant";
  content: string;
}

/** One step of a solution: its text, without the step delimiter (default: a blank line). */
export type Step = string;

/** What a search may spend: the budget names of the settings, CLI flags and traces. */
export interface Budget {
  /** Total budget: candidates per round (beam, DVTS) or total samples (best-of-N, majority). */
  n: number;
  /** M: children sampled per kept beam; n/M beams (or DVTS subtrees) are kept. */
  beamWidth: number;
  /** Most steps a path may take; the last round generates to the end of the solution. */
  maxSteps: number;
  /** Token limit per policy call: per step in step-level search, per solution otherwise. */
  maxTokens: number;
}

/** Where a path stands in the search. */
export type PathStatus = "active" | "pruned" | "finished" | "failed";

/**
 * One node of the search tree: a step appended to its parent's path. The path is the chain of
 * steps from the root; the root itself (depth 0, empty step) stands for the bare problem.
 */
export interface PathNode {
  id: string;
  parentId: string | null;
  depth: number;
  /** The step this node adds (without the step delimiter). A whole solution in solution mode. */
  text: string;
  status: PathStatus;
  /** One verifier score per step of the full path, when scored. */
  stepScores?: number[];
  /** The step scores aggregated into one path score. */
  score?: number;
  /** The DVTS subtree this node belongs to. */
  subtree?: number;
  /** The policy ended the solution here (end of text), as opposed to ending a step. */
  ended?: boolean;
  /** Why it failed, when status is failed. */
  error?: string;
}

/** A finished solution and its grade. */
export interface Candidate {
  nodeId: string;
  steps: Step[];
  stepScores?: number[];
  score?: number;
  /** The answer extracted from the solution, or null when it states none. */
  answer: string | null;
  /** The vote group of the answer: equivalent answers share a group. */
  group: string | null;
  subtree?: number;
}

/** Token counts reported by a server for one call. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Cost of one role (policy or verifier) over a run. */
export interface RoleCost {
  requests: number;
  /** Failed calls, after the endpoint's own retries. */
  failures: number;
  /** Retries the endpoint made (429, 5xx, resets) that the caller never saw. */
  retries: number;
  promptTokens: number;
  completionTokens: number;
  /** Estimated as 2 × parameters × tokens; 0 when the parameter count is unknown. */
  flops: number;
}

export interface Cost {
  policy: RoleCost;
  verifier: RoleCost;
  wallMs: number;
  flops: number;
}

/** The id of a registered strategy (strategies/index.ts: Auto and strategies/registry.ts). */
export type StrategyId = string;

export type Aggregation = "last" | "min" | "mean" | "prod";
export const AGGREGATIONS: readonly Aggregation[] = ["last", "min", "mean", "prod"];

export type AnswerSelection = "majority" | "prm-max" | "prm-vote";
export const ANSWER_SELECTIONS: readonly AnswerSelection[] = ["majority", "prm-max", "prm-vote"];

/** One distinct answer and the support it gathered. */
export interface TallyEntry {
  group: string;
  /** The answer as first written by a candidate of the group. */
  answer: string;
  votes: number;
  /** Sum of the aggregated path scores of its candidates (0 without a verifier). */
  scoreSum: number;
  /** Best aggregated path score among its candidates. */
  bestScore: number;
}

export interface SearchResult {
  strategy: StrategyId;
  /** The chosen answer, or null when no candidate stated one. */
  answer: string | null;
  /** The candidate whose solution is offered with the answer. */
  chosen: Candidate | null;
  candidates: Candidate[];
  tally: TallyEntry[];
  cost: Cost;
  /** The run was cancelled; the result holds what was finished before. */
  aborted: boolean;
  /** Set when the run could not produce any candidate, with the reason. */
  error?: string;
  /** What kind of failure `error` is, for the front ends' words and actions (core/errors.ts). */
  errorCode?: ErrorCode;
  /** The endpoint the error is about, when one is. */
  errorRole?: ErrorRole;
  /** Calls that failed after their retries, by role and cause, and the paths each cost. */
  failures?: FailureCause[];
  /** What Auto chose and why. */
  decision?: AutoDecision;
  /** Policy samples of the budget left unspent because the vote was settled. */
  budgetSaved?: number;
  /** A code run: the tests, each candidate's results and the code chosen by execution. */
  code?: CodeOutcome;
}

/** One cause of failed calls in a run: which role, the error, and how many paths it cost. */
export interface FailureCause {
  role: ErrorRole;
  message: string;
  /** Paths lost: samples a failed policy call was asked for, paths whose scoring failed. */
  paths: number;
  /** `endpoint` when a server failed (core/errors.ts). */
  code?: ErrorCode;
}

/** Auto's choice for one problem: the plan, and the probe and table entry it came from. */
export interface AutoDecision {
  method: Exclude<StrategyId, "auto">;
  beamWidth: number;
  aggregation: Aggregation;
  selection: AnswerSelection;
  /** The probe's bucket; null when Auto chose without a probe (see strategies/auto.ts). */
  bucket: "easy" | "medium" | "hard" | null;
  probe: { samples: number; agreement: number; meanScore: number | null; passAt1: number };
  source: "calibrated" | "built-in";
  policyClass: "small" | "medium" | "large";
  verifierClass: "strong" | "weak" | "judge" | "none";
  /** Samples the plan may spend, the probe included: less than n when a cheaper option is as accurate. */
  budget?: number;
  /** A calibrated option's measured accuracy and mean FLOPs on its bucket. */
  expected?: { accuracy: number; flops: number };
  /** One sentence a user can read: the bucket, the probe agreement, the table entry. */
  reason: string;
}
