import type { CalibratedTable } from "../auto/plan.js";
import type { SearchConfig } from "../config.js";
import type { GenerationMode } from "../policy.js";
import type { AutoDecision, Candidate, PathNode, Problem } from "../types.js";
import type { VerifierKind } from "../verifier.js";

/** What a strategy sees: the tree, and the calls it may make through the scheduler. */
export interface SearchContext {
  readonly problem: Problem;
  readonly config: SearchConfig;
  readonly root: PathNode;
  readonly hasVerifier: boolean;
  /** The policy can continue a partial solution, so step-level search can run. */
  readonly policyCanContinue: boolean;
  /**
   * Samples k children of `node` and adds them to the tree. Each child is scored (when a
   * verifier is configured and `score` is not false) as soon as its call returns, without
   * waiting for the other calls. Failed calls become warnings. Returns the children that came
   * back, failed ones (status `failed`) included.
   */
  expand(
    node: PathNode,
    k: number,
    mode: GenerationMode,
    options?: { score?: boolean; subtree?: number; temperature?: number },
  ): Promise<PathNode[]>;
  prune(node: PathNode): void;
  /** Marks a path finished and makes it a candidate answer. */
  finish(node: PathNode): Candidate;
  /** The steps of the path from the root to `node`. */
  stepsOf(node: PathNode): string[];
  warn(message: string): void;
}

/** What only Auto sees: the facts it chooses by, and the hooks that record its choice. */
export interface AutoHooks {
  readonly verifierKind: VerifierKind | null;
  /** The policy's parameter count, when known. */
  readonly policyParams: number | null;
  readonly strategyTable: CalibratedTable | null;
  /** Adopts a plan's aggregation and selection (re-aggregating scored paths) and says why. */
  choose(decision: AutoDecision): void;
  /** Records that part of the budget was not spent (the parts add up). */
  stopEarly(reason: string, budgetSaved: number): void;
}

export type AutoContext = SearchContext & AutoHooks;

/** A strategy spends the budget over the context; only Auto reads the second argument. */
export type Strategy = (ctx: SearchContext, auto: AutoHooks) => Promise<void>;

/**
 * `tree`: n/beamWidth beams or subtrees grow step by step (so n must be a multiple of the width),
 * drawn as a tree; `list`: whole solutions side by side.
 */
export type SearchLayout = "tree" | "list";

/** Everything the products know about a strategy; the settings, picker and checks derive from it. */
export interface StrategyDescriptor {
  /** The id of the settings, CLI flags, traces and strategy tables. */
  readonly id: string;
  readonly run: Strategy;
  /** The name the picker and status lines show. */
  readonly label: string;
  /** What it does, in the words of the settings UI and the picker. */
  readonly description: string;
  /** It scores steps or solutions and cannot run without a verifier. */
  readonly needsVerifier: boolean;
  /** It writes solutions step by step, so the policy must continue partial solutions. */
  readonly needsContinuation: boolean;
  /** It spends n as n/beamWidth beams (or subtrees), so n must be a multiple of the width. */
  readonly usesBeamWidth: boolean;
  /** It takes a budget n (greedy writes one solution whatever n says). */
  readonly usesBudget: boolean;
  readonly layout: SearchLayout;
}
