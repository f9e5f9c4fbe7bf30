import { aggregateScores } from "./aggregate.js";
import type { AnswerKey } from "./answer-key.js";
import { mathAnswerKey } from "./answers/index.js";
import { DEFAULT_CONCURRENCY, DEFAULT_POLICY_SEQUENCES, type SearchConfig } from "./config.js";
import { resolveSearchConfig } from "./resolve-config.js";
import { paramsFromModelName } from "./cost.js";
import type { SearchEvent } from "./events.js";
import type { Policy } from "./policy.js";
import { AbortedError, errorCodeOf, errorRoleOf, isAbort, type ErrorCode, type ErrorRole } from "./errors.js";
import { Scheduler } from "./scheduler.js";
import { RunningTally, selectAnswer } from "./select.js";
import { joinSteps, splitSteps } from "./steps.js";
import type { AutoHooks, SearchContext } from "./strategies/context.js";
import { strategyOf } from "./strategies/index.js";
import { requireCapabilities } from "./strategies/require.js";
import type { CalibratedTable } from "./auto/plan.js";
import { tableFits } from "./auto/table.js";
import type { AutoDecision, Candidate, FailureCause, PathNode, Problem, SearchResult } from "./types.js";
import { verifierName, type Verifier } from "./verifier.js";

export interface RunOptions {
  problem: Problem;
  policy: Policy;
  /** Null or absent: no verifier; only strategies that need none can run. */
  verifier?: Verifier | null;
  config: Partial<SearchConfig>;
  answerKey?: AnswerKey;
  signal?: AbortSignal;
  onEvent?: (event: SearchEvent) => void;
  /** Clock for event times and wall time; the caller owns it. */
  now?: () => number;
  /** Policy sequences in flight; absent: the server's slots where it says, else DEFAULT_POLICY_SEQUENCES. */
  policyConcurrency?: number;
  /** Verifier requests in flight; absent: DEFAULT_CONCURRENCY. */
  verifierConcurrency?: number;
  /** Parameter counts for FLOPs; read from the model names when not given. */
  policyParams?: number | null;
  verifierParams?: number | null;
  /** Auto: a table written by `calibrate` for this policy/verifier pair. */
  strategyTable?: CalibratedTable | null;
}

/** Runs one search and returns its result; every step of it is also an event. */
export async function runSearch(options: RunOptions): Promise<SearchResult> {
  const config = resolveSearchConfig(options.config);
  const now = options.now ?? Date.now;
  const started = now();
  const answerKey = options.answerKey ?? mathAnswerKey;
  const verifier = options.verifier ?? null;
  // Majority vote is its own selection rule; without scores the PRM rules have nothing to rank.
  let selection = config.strategy === "majority" || !verifier ? "majority" : config.selection;
  let closed = false;
  const emit = (e: SearchEvent): void => {
    if (!closed) options.onEvent?.(e);
  };
  const t = (): number => now() - started;

  const policyParams =
    options.policyParams ?? options.policy.parameters ?? paramsFromModelName(options.policy.model);
  let decision: AutoDecision | undefined;
  let budgetSaved: number | undefined;
  const scheduler = new Scheduler(options.policy, verifier, {
    policyConcurrency:
      options.policyConcurrency ?? options.policy.capabilities.slots ?? DEFAULT_POLICY_SEQUENCES,
    verifierConcurrency: options.verifierConcurrency ?? DEFAULT_CONCURRENCY,
    policyParams,
    verifierParams: verifier
      ? (options.verifierParams ?? verifier.parameters ?? paramsFromModelName(verifier.model))
      : null,
    signal: options.signal,
    onCost: (cost) => {
      cost.wallMs = t();
      emit({ type: "cost", t: t(), cost });
    },
  });

  const nodes = new Map<string, PathNode>();
  // How often each (subtree, mode, prefix) was expanded: part of the calls' seeds.
  const expansions = new Map<string, number>();
  const candidates: Candidate[] = [];
  /** The first candidate with each answer string, and the running tally (`finish`). */
  const firstWithAnswer = new Map<string, Candidate>();
  const running = new RunningTally();
  let nextId = 0;
  const addNode = (node: Omit<PathNode, "id">): PathNode => {
    const full: PathNode = { id: `n${nextId++}`, ...node };
    nodes.set(full.id, full);
    emit({ type: "node-added", t: t(), node: { ...full } });
    return full;
  };
  // A node's steps are its parent's plus its own text's: split once per node, not per ancestor
  // on every call (a node's text never changes once added).
  const stepCache = new Map<string, readonly string[]>();
  const cachedSteps = (node: PathNode): readonly string[] => {
    let steps = stepCache.get(node.id);
    if (steps) return steps;
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    steps = parent ? [...cachedSteps(parent), ...splitSteps(node.text, config.delimiter)] : [];
    stepCache.set(node.id, steps);
    return steps;
  };
  const stepsOf = (node: PathNode): string[] => [...cachedSteps(node)];

  const verifierLabel = verifier ? verifierName(verifier) : null;
  emit({
    type: "run-started",
    t: 0,
    problem: options.problem,
    config: { ...config },
    policy: options.policy.model,
    verifier: verifierLabel,
  });
  let strategyTable = options.strategyTable ?? null;
  if (strategyTable && !tableFits(strategyTable, options.policy.model, verifierLabel ?? "none")) {
    if (config.strategy === "auto")
      emit({
        type: "warning",
        t: t(),
        message:
          `The strategy table was calibrated for ${strategyTable.policy} with ${strategyTable.verifier}, ` +
          `not ${options.policy.model} with ${verifierLabel ?? "none"}; Auto uses the built-in table. ` +
          `Run calibrate for this pair, or clear the strategy table setting.`,
      });
    strategyTable = null;
  }
  const root = addNode({ parentId: null, depth: 0, text: "", status: "active" });

  // The first failure of each role, for the error of a run that finished nothing.
  const firstFailure: { policy?: string; verifier?: string } = {};
  // Every failure by role and cause, for the result: paths must not vanish without a word.
  const failures = new Map<string, FailureCause>();
  const fail = (role: FailureCause["role"], e: unknown, paths: number): string => {
    const message = e instanceof Error ? e.message : String(e);
    firstFailure[role] ??= message;
    const key = `${role}\u241e${message}`;
    const known = failures.get(key);
    if (known) known.paths += paths;
    else if (failures.size < MAX_FAILURE_CAUSES) {
      const code = errorCodeOf(e);
      failures.set(key, { role, message, paths, ...(code ? { code } : {}) });
    }
    return message;
  };
  const scoreNode = async (node: PathNode): Promise<void> => {
    const steps = stepsOf(node);
    if (!steps.length) {
      node.stepScores = [];
      node.score = 0;
      return;
    }
    try {
      node.stepScores = await scheduler.score(options.problem, steps);
      node.score = aggregateScores(node.stepScores, config.aggregation);
      emit({ type: "node-scored", t: t(), id: node.id, stepScores: node.stepScores, score: node.score });
    } catch (e) {
      if (isAbort(e, options.signal)) throw new AbortedError();
      node.status = "failed";
      node.error = fail("verifier", e, 1);
      emit({ type: "node-failed", t: t(), id: node.id, error: node.error });
    }
  };

  const ctx: SearchContext = {
    problem: options.problem,
    config,
    root,
    hasVerifier: verifier !== null,
    policyCanContinue: options.policy.capabilities.continuation,
    stepsOf,
    warn: (message) => emit({ type: "warning", t: t(), message }),
    async expand(node, k, mode, opts = {}) {
      // Children in call order, not arrival order, so ties break the same way on every run.
      const byChunk: PathNode[][] = [];
      const prefix = stepsOf(node);
      const key = `${opts.subtree ?? node.subtree ?? ""}|${mode}|${prefix.join("\u241e")}`;
      const occurrence = expansions.get(key) ?? 0;
      expansions.set(key, occurrence + 1);
      await scheduler.expand(
        {
          problem: options.problem,
          prefix,
          k,
          mode,
          delimiter: config.delimiter,
          temperature: opts.temperature ?? config.temperature,
          maxTokens: config.maxTokens,
          seed: config.seed,
          seedKey: `${key}#${occurrence}`,
        },
        async (outcome, chunk, asked) => {
          if (outcome instanceof Error) {
            fail("policy", outcome, asked);
            emit({
              type: "warning",
              t: t(),
              message: `A policy call failed: ${outcome.message}`,
              code: errorCodeOf(outcome),
              role: "policy",
            });
            return;
          }
          const fresh = outcome.map((g) =>
            addNode({
              parentId: node.id,
              depth: node.depth + 1,
              text: g.text.trim(),
              status: "active",
              ended: mode === "solution" || g.ended,
              subtree: opts.subtree ?? node.subtree,
            }),
          );
          byChunk[chunk] = fresh;
          if (verifier && opts.score !== false) await Promise.all(fresh.map(scoreNode));
        },
      );
      return byChunk.flat();
    },
    prune(node) {
      if (node.status !== "active") return;
      node.status = "pruned";
      emit({ type: "node-pruned", t: t(), id: node.id });
    },
    finish(node) {
      node.status = "finished";
      const steps = stepsOf(node);
      const answer = answerKey.extract(joinSteps(steps, config.delimiter));
      const candidate: Candidate = {
        nodeId: node.id,
        steps,
        stepScores: node.stepScores,
        score: node.score,
        answer,
        group: null,
        subtree: node.subtree,
      };
      candidates.push(candidate);
      // An answer already seen joins its group and moves no other: no regrouping, and the
      // tally takes one vote. A new answer may merge groups, so all are grouped again.
      const same = answer === null ? undefined : firstWithAnswer.get(answer);
      if (answer === null || same) {
        candidate.group = same?.group ?? null;
        running.add(candidate);
      } else {
        firstWithAnswer.set(answer, candidate);
        regroup();
        running.rebuild(candidates);
      }
      emit({ type: "path-finished", t: t(), id: node.id, answer });
      emit({ type: "answer-tally", t: t(), tally: running.entries(selection) });
      return candidate;
    },
  };

  const hooks: AutoHooks = {
    verifierKind: verifier?.kind ?? null,
    policyParams,
    strategyTable,
    choose(d) {
      decision = d;
      config.aggregation = d.aggregation;
      selection = verifier && d.method !== "majority" ? d.selection : "majority";
      emit({ type: "strategy-chosen", t: t(), decision: d });
      for (const c of candidates) {
        const node = nodes.get(c.nodeId)!;
        if (!node.stepScores?.length) continue;
        c.score = node.score = aggregateScores(node.stepScores, config.aggregation);
        emit({ type: "node-scored", t: t(), id: node.id, stepScores: node.stepScores, score: node.score });
      }
      running.rebuild(candidates);
      emit({ type: "answer-tally", t: t(), tally: running.entries(selection) });
    },
    stopEarly(reason, saved) {
      // A search may stop early more than once (a settled beam, then a cheaper option's rest).
      budgetSaved = (budgetSaved ?? 0) + saved;
      emit({ type: "early-stopped", t: t(), reason, budgetSaved: saved });
    },
  };

  // Groups are recomputed over all answers so far: a grader may merge groups as answers arrive.
  function regroup(): void {
    const withAnswer = candidates.filter((c) => c.answer !== null);
    const groups = answerKey.group(withAnswer.map((c) => c.answer!));
    withAnswer.forEach((c, i) => (c.group = groups[i] ?? null));
  }

  let aborted = false;
  let error: string | undefined;
  let errorCode: ErrorCode | undefined;
  let errorRole: ErrorRole | undefined;
  try {
    if (options.signal?.aborted) throw new AbortedError();
    const strategy = strategyOf(config.strategy);
    requireCapabilities(ctx, strategy);
    await strategy.run(ctx, hooks);
  } catch (e) {
    if (isAbort(e, options.signal)) aborted = true;
    else {
      error = e instanceof Error ? e.message : String(e);
      errorCode = errorCodeOf(e);
      errorRole = errorRoleOf(e);
    }
  }

  // DVTS subtrees finish in whatever order their calls return; ties must not depend on that.
  candidates.sort((a, b) => (a.subtree ?? -1) - (b.subtree ?? -1));
  const { tally, chosen } = selectAnswer(candidates, selection);
  if (!error && !aborted && candidates.length === 0) {
    error = nothingFinished(firstFailure);
    errorCode = "no-solution";
    // The policy's failure explains an empty run before the verifier's does.
    errorRole = firstFailure.policy ? "policy" : firstFailure.verifier ? "verifier" : undefined;
  }
  scheduler.cost.wallMs = t();
  const result: SearchResult = {
    strategy: config.strategy,
    answer: tally[0]?.answer ?? null,
    chosen,
    candidates,
    tally,
    cost: structuredClone(scheduler.cost),
    aborted,
    ...(error ? { error } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(errorRole ? { errorRole } : {}),
    ...(failures.size ? { failures: [...failures.values()] } : {}),
    ...(decision ? { decision } : {}),
    ...(budgetSaved !== undefined ? { budgetSaved } : {}),
  };
  emit({ type: "run-finished", t: t(), result });
  closed = true;
  return result;
}

/** Distinct causes kept in a result; more are counted in the cost, not listed. */
const MAX_FAILURE_CAUSES = 20;

/** Why a run finished no solution, naming the role whose calls failed and how the first failed. */
function nothingFinished(first: { policy?: string; verifier?: string }): string {
  const trim = (m: string): string => m.replace(/\.$/, "");
  const parts = [
    first.policy && `policy calls failed (first: ${trim(first.policy)})`,
    first.verifier && `verifier calls failed (first: ${trim(first.verifier)})`,
  ].filter(Boolean);
  return parts.length
    ? `The search produced no finished solution: ${parts.join("; ")}.`
    : "The search produced no finished solution.";
}
