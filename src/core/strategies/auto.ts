import { chooseByCompute, measuredOptions, pooledOptions, probeWorthIt } from "../auto/compute.js";
import { estimateDifficulty, probeSize } from "../auto/difficulty.js";
import { leadIsUnassailable, voteIsSettled } from "../auto/early-stop.js";
import type { MeasuredOption, StrategyPlan } from "../auto/plan.js";
import { lookupPlan, policyClassOf, verifierClassOf, type PlanChoice } from "../auto/table.js";
import { tallyAnswers } from "../select.js";
import type { AnswerSelection, Candidate } from "../types.js";
import { beam, beamStrategy } from "./beam.js";
import type { AutoContext, StrategyDescriptor } from "./context.js";
import { dvts, dvtsStrategy } from "./dvts.js";
import { greedy } from "./greedy.js";
import { METHODS } from "./registry.js";
import { requireCapabilities } from "./require.js";

/**
 * Compute-optimal Auto (Liu et al. 2025; Snell et al. 2024): a few whole solutions probe the
 * problem's difficulty. With a table `calibrate` measured for this pair, the bucket's options
 * (method × budget, with accuracy and FLOPs) give the most accurate one that fits the budget,
 * the cheapest of equals; without one, the built-in table gives a method for the whole budget.
 * Probe samples count against the budget and stay in the vote. Every method stops early once the
 * vote is settled: before it starts (on the probe), and between batches (sampling), rounds (beam
 * search) or waves of subtrees (DVTS); for the tree searches only where what is left could not
 * change the answer (`settled`).
 */
export async function auto(ctx: AutoContext): Promise<void> {
  const { n } = ctx.config;
  const k = Math.min(n, probeSize(n));
  const pooled = pooledOptions(ctx.strategyTable, n);
  const usable = pooled?.filter((o) => ctx.hasVerifier || !needsVerifier(o.method));
  const blind = usable && !probeWorthIt(ctx.strategyTable, n, k) ? chooseByCompute(usable, n) : null;
  if (blind)
    return withoutProbe(
      ctx,
      blind,
      k * 8 > n ? `it would take ${k} of the ${n} samples` : "every bucket picks the same option",
    );
  const probe = await sampleSolutions(ctx, k);
  const estimate = estimateDifficulty(probe, ctx.hasVerifier);
  const policyClass = policyClassOf(ctx.policyParams);
  const verifierClass = verifierClassOf(ctx.verifierKind);
  const measured = measuredOptions(ctx.strategyTable, estimate.bucket, n);
  const option = measured ? chooseByCompute(measured, n) : null;
  const choice: PlanChoice =
    option && (ctx.hasVerifier || !needsVerifier(option.method))
      ? {
          plan: {
            method: option.method,
            beamWidth: ctx.strategyTable?.plans[estimate.bucket]?.beamWidth ?? ctx.config.beamWidth,
            aggregation: ctx.strategyTable?.plans[estimate.bucket]?.aggregation ?? ctx.config.aggregation,
            selection: option.method === "majority" ? "majority" : ctx.config.selection,
          },
          source: "calibrated",
          policyClass,
          verifierClass,
        }
      : lookupPlan(estimate.bucket, policyClass, verifierClass, ctx.strategyTable);
  const { plan } = choice;
  // The budget the plan spends, the probe included: a cheaper option may need less than n.
  const target = option && choice.source === "calibrated" ? Math.max(k, Math.min(n, option.n)) : n;
  ctx.choose({
    ...plan,
    bucket: estimate.bucket,
    probe: {
      samples: estimate.samples,
      agreement: estimate.agreement,
      meanScore: estimate.meanScore,
      passAt1: estimate.passAt1,
    },
    source: choice.source,
    policyClass,
    verifierClass,
    budget: target,
    ...(option ? { expected: { accuracy: option.accuracy, flops: option.flops } } : {}),
    reason: reason(estimate, choice, option, n),
  });

  const unspent = n - target;
  const rest = target - k;
  if (rest <= 0 || settled(ctx, plan, probe, rest)) {
    const saved = unspent + Math.max(0, rest);
    if (saved > 0)
      ctx.stopEarly(
        rest > 0
          ? `the probe's vote is settled (${Math.max(...votes(probe))} of ${probe.length} agree)`
          : `the cheapest of the most accurate options needs only the probe's ${k} samples`,
        saved,
      );
    return;
  }
  return spend(ctx, plan, probe, rest, k, unspent);
}

/**
 * A calibrated choice without a probe, from the options of all buckets pooled: when the probe
 * would cost more than knowing the bucket is worth (auto/compute.ts `probeWorthIt`).
 */
async function withoutProbe(ctx: AutoContext, option: MeasuredOption, why: string): Promise<void> {
  const { n } = ctx.config;
  const plan: StrategyPlan = {
    method: option.method,
    beamWidth: ctx.config.beamWidth,
    aggregation: ctx.config.aggregation,
    selection: option.method === "majority" ? "majority" : ctx.config.selection,
  };
  const target = Math.min(n, option.n);
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const width = usesBeamWidth(plan.method) ? ` (beam width ${plan.beamWidth})` : "";
  ctx.choose({
    ...plan,
    bucket: null,
    probe: { samples: 0, agreement: 0, meanScore: null, passAt1: 0 },
    source: "calibrated",
    policyClass: policyClassOf(ctx.policyParams),
    verifierClass: verifierClassOf(ctx.verifierKind),
    budget: target,
    expected: { accuracy: option.accuracy, flops: option.flops },
    reason:
      `no probe (${why}); calibrated for this pair over all buckets: ${plan.method}${width} at n = ${target} of ${n} ` +
      `is the cheapest of the most accurate (${pct(option.accuracy)}, ${option.flops.toExponential(2)} FLOPs)`,
  });
  return spend(ctx, plan, [], target, probeSize(target), n - target);
}

/** Spends `rest` samples on the plan's method, the probe's candidates in the vote. */
async function spend(
  ctx: AutoContext,
  plan: StrategyPlan,
  probe: Candidate[],
  rest: number,
  batch: number,
  unspent: number,
): Promise<void> {
  const isSettled = (all: readonly Candidate[], left: number): boolean => settled(ctx, plan, all, left);
  switch (plan.method) {
    case "majority":
    case "best-of-n":
      return sampleUntilSettled(ctx, probe, rest, batch, unspent, isSettled);
    case "greedy":
      return greedy(ctx);
    case "beam":
    case "dvts": {
      // The tree search needs a multiple of its beam width; what is left over (fewer than the
      // width) is spent on more whole solutions, which join the vote like the probe's.
      const m = Math.min(plan.beamWidth, rest);
      const searched = Math.floor(rest / m) * m;
      const extra = rest > searched ? sampleSolutions(ctx, rest - searched) : undefined;
      if (plan.method === "beam") {
        // Beam search stops once the paths finished so far, with the probe's, settle the vote.
        await Promise.all([
          beam(withBudget(ctx, "beam", searched, m), (done, open) => {
            if (!isSettled([...probe, ...done], open)) return false;
            ctx.stopEarly(
              `the vote is settled with ${searched - open} of ${searched} beam paths finished (the rest could not overturn it)`,
              open,
            );
            return true;
          }),
          extra,
        ]);
        if (unspent > 0)
          ctx.stopEarly(
            `the cheapest of the most accurate options needs ${rest + probe.length} samples`,
            unspent,
          );
        return;
      }
      await Promise.all([dvtsInWaves(ctx, probe, searched, m, unspent, isSettled), extra]);
      return;
    }
  }
}

/**
 * Whether the plan may stop with `left` samples unspent. Sampling methods draw exchangeable
 * samples, so a vote settled with high probability is enough (adaptive consistency); a tree
 * search's later paths are chosen by score and can differ from its first finishers, so it stops
 * only where the rest could not change the answer (early-stop.ts `leadIsUnassailable`).
 */
function settled(ctx: AutoContext, plan: StrategyPlan, all: readonly Candidate[], left: number): boolean {
  if (!ctx.config.earlyStop || !all.length) return false;
  if (plan.method === "beam" || plan.method === "dvts")
    return leadIsUnassailable(tallyAnswers(all, plan.selection), left, plan.selection);
  return voteSettled(all, left, plan.selection, ctx.hasVerifier);
}

function reason(
  estimate: ReturnType<typeof estimateDifficulty>,
  choice: PlanChoice,
  option: MeasuredOption | null,
  n: number,
): string {
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const { plan } = choice;
  const probe =
    `${estimate.bucket} problem (estimated pass@1 ${pct(estimate.passAt1)}: ` +
    `${pct(estimate.agreement)} of ${estimate.samples} probe samples agree` +
    (estimate.meanScore === null ? "" : `, mean verifier score ${estimate.meanScore.toFixed(2)}`) +
    ")";
  const width = usesBeamWidth(plan.method) ? ` (beam width ${plan.beamWidth})` : "";
  if (choice.source === "calibrated" && option)
    return (
      `${probe}; calibrated for this pair: ${plan.method}${width} at n = ${Math.min(n, option.n)} of ${n} is the cheapest ` +
      `of the most accurate (${pct(option.accuracy)}, ${option.flops.toExponential(2)} FLOPs)`
    );
  return (
    `${probe}; ${choice.source} table for a ${choice.policyClass} policy with ` +
    `${choice.verifierClass === "none" ? "no" : `a ${choice.verifierClass}`} verifier → ${plan.method}${width}`
  );
}

function withBudget(ctx: AutoContext, strategy: "beam" | "dvts", n: number, beamWidth: number): AutoContext {
  const sub = { ...ctx, config: { ...ctx.config, strategy, n, beamWidth } };
  requireCapabilities(sub, strategy === "beam" ? beamStrategy : dvtsStrategy);
  return sub;
}

/**
 * DVTS's subtrees are independent, so they can run in waves with a look at the vote between
 * them: half the subtrees, then (unless the vote with the probe's samples is settled) the rest.
 */
async function dvtsInWaves(
  ctx: AutoContext,
  probe: readonly Candidate[],
  searched: number,
  m: number,
  unspent: number,
  settled: (all: readonly Candidate[], left: number) => boolean,
): Promise<void> {
  const subtrees = searched / m;
  const first = Math.ceil(subtrees / 2) * m;
  const finished: Candidate[] = [];
  await dvts(withBudget(ctx, "dvts", first, m), (c) => finished.push(c));
  const left = searched - first;
  if (left > 0 && settled([...probe, ...finished], left)) {
    ctx.stopEarly(`the vote is settled after ${first / m} of ${subtrees} DVTS subtrees`, left + unspent);
    return;
  }
  if (left > 0) await dvts(withBudget(ctx, "dvts", left, m), undefined, first / m);
  if (unspent > 0)
    ctx.stopEarly(`the cheapest of the most accurate options needs ${searched} samples`, unspent);
}

async function sampleSolutions(ctx: AutoContext, k: number): Promise<Candidate[]> {
  const paths = await ctx.expand(ctx.root, k, "solution");
  return paths.filter((p) => p.status !== "failed").map((p) => ctx.finish(p));
}

/** Samples the rest in small batches, stopping as soon as the vote cannot reasonably change. */
async function sampleUntilSettled(
  ctx: AutoContext,
  probe: Candidate[],
  rest: number,
  batch: number,
  unspent: number,
  settled: (all: readonly Candidate[], left: number) => boolean,
): Promise<void> {
  const all = [...probe];
  for (let left = rest; left > 0;) {
    if (settled(all, left)) {
      const top = Math.max(...votes(all));
      ctx.stopEarly(`the leading answer has ${top} of ${all.length} votes`, left + unspent);
      return;
    }
    const k = Math.min(batch, left);
    all.push(...(await sampleSolutions(ctx, k)));
    left -= k;
  }
  if (unspent > 0)
    ctx.stopEarly(`the cheapest of the most accurate options needs ${all.length} samples`, unspent);
}

/**
 * The vote cannot reasonably change: settled by votes (adaptive consistency), led by the same
 * answer under the selection rule that picks it (a weighted vote can follow another leader), and,
 * with a verifier, the leader's solutions are not ones it doubts (a problem's systematic mistake
 * gathers votes too, and a good PRM scores it low).
 */
function voteSettled(
  candidates: readonly Candidate[],
  left: number,
  selection: AnswerSelection,
  scored: boolean,
): boolean {
  if (!voteIsSettled(votes(candidates), left)) return false;
  const leader = tallyAnswers(candidates, "majority")[0]?.group;
  if (tallyAnswers(candidates, selection)[0]?.group !== leader) return false;
  if (!scored) return true;
  const leading = candidates.filter((c) => c.group === leader);
  return leading.reduce((a, c) => a + (c.score ?? 0), 0) / Math.max(1, leading.length) >= CONFIDENT;
}

/** The leader's mean verifier score above which the vote may settle: the PRM is fairly sure. */
const CONFIDENT = 0.7;

function votes(candidates: readonly Candidate[]): number[] {
  const byGroup = new Map<string, number>();
  for (const c of candidates) if (c.group !== null) byGroup.set(c.group, (byGroup.get(c.group) ?? 0) + 1);
  return [...byGroup.values()];
}

const needsVerifier = (method: string): boolean =>
  METHODS.find((m) => m.id === method)?.needsVerifier ?? true;
const usesBeamWidth = (method: string): boolean =>
  METHODS.find((m) => m.id === method)?.usesBeamWidth ?? false;

export const autoStrategy: StrategyDescriptor = {
  id: "auto",
  run: (ctx, hooks) => auto({ ...ctx, ...hooks }),
  label: "Auto",
  description:
    "Choose per problem from the policy's size, the verifier and a quick difficulty probe (compute-optimal).",
  needsVerifier: false,
  needsContinuation: false,
  usesBeamWidth: true,
  usesBudget: true,
  layout: "list",
};
