import { estimateDifficulty, probeSize } from "../auto/difficulty.js";
import { voteIsSettled } from "../auto/early-stop.js";
import { lookupPlan, policyClassOf, verifierClassOf } from "../auto/table.js";
import { tallyAnswers } from "../select.js";
import type { AnswerSelection, Candidate } from "../types.js";
import { beam, beamStrategy } from "./beam.js";
import { dvts, dvtsStrategy } from "./dvts.js";
import type { AutoContext, SearchContext, StrategyDescriptor } from "./context.js";
import { greedy } from "./greedy.js";
import { requireCapabilities } from "./require.js";

/**
 * Compute-optimal Auto (Liu et al. 2025; Snell et al. 2024): a few whole solutions probe the
 * problem's difficulty; a table maps (policy size, verifier, difficulty) to a method; the rest
 * of the budget goes to that method. Probe samples count against the budget and stay in the
 * vote. Sampling methods stop early once the vote is settled.
 */
export async function auto(ctx: AutoContext): Promise<void> {
  const { n } = ctx.config;
  const k = Math.min(n, probeSize(n));
  const probe = await sampleSolutions(ctx, k);
  const estimate = estimateDifficulty(probe, ctx.hasVerifier);
  const choice = lookupPlan(
    estimate.bucket,
    policyClassOf(ctx.policyParams),
    verifierClassOf(ctx.verifierKind),
    ctx.strategyTable,
  );
  const { plan } = choice;
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
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
    policyClass: choice.policyClass,
    verifierClass: choice.verifierClass,
    reason:
      `${estimate.bucket} problem (estimated pass@1 ${pct(estimate.passAt1)}: ` +
      `${pct(estimate.agreement)} of ${estimate.samples} probe samples agree` +
      (estimate.meanScore === null ? "" : `, mean verifier score ${estimate.meanScore.toFixed(2)}`) +
      `); ${choice.source} table for a ${choice.policyClass} policy with ${choice.verifierClass === "none" ? "no" : `a ${choice.verifierClass}`} verifier → ${plan.method}` +
      (plan.method === "beam" || plan.method === "dvts" ? ` (beam width ${plan.beamWidth})` : ""),
  });

  const rest = n - k;
  if (rest <= 0) return;
  switch (plan.method) {
    case "majority":
    case "best-of-n":
      return sampleUntilSettled(ctx, probe, rest, k, plan.selection);
    case "greedy":
      return greedy(ctx);
    case "beam":
    case "dvts": {
      // The tree search needs a multiple of its beam width; what is left over (fewer than the
      // width) is spent on more whole solutions, which join the vote like the probe's.
      const m = Math.min(plan.beamWidth, rest);
      const searched = Math.floor(rest / m) * m;
      const sub: SearchContext = {
        ...ctx,
        config: { ...ctx.config, strategy: plan.method, n: searched, beamWidth: m },
      };
      requireCapabilities(sub, plan.method === "beam" ? beamStrategy : dvtsStrategy);
      await Promise.all([
        plan.method === "beam" ? beam(sub) : dvts(sub),
        rest > searched ? sampleSolutions(ctx, rest - searched) : undefined,
      ]);
      return;
    }
  }
}

async function sampleSolutions(ctx: SearchContext, k: number): Promise<Candidate[]> {
  const paths = await ctx.expand(ctx.root, k, "solution");
  return paths.filter((p) => p.status !== "failed").map((p) => ctx.finish(p));
}

/**
 * Samples the rest in small batches, stopping as soon as the vote cannot reasonably change:
 * settled by votes, and led by the same answer under the selection rule that picks the answer
 * (a weighted vote can follow a different leader than the raw count).
 */
async function sampleUntilSettled(
  ctx: AutoContext,
  probe: Candidate[],
  rest: number,
  batch: number,
  selection: AnswerSelection,
): Promise<void> {
  const all = [...probe];
  for (let left = rest; left > 0;) {
    if (ctx.config.earlyStop && voteIsSettled(votes(all), left) && sameLeader(all, selection)) {
      const top = Math.max(...votes(all));
      ctx.stopEarly(`the leading answer has ${top} of ${all.length} votes`, left);
      return;
    }
    const k = Math.min(batch, left);
    all.push(...(await sampleSolutions(ctx, k)));
    left -= k;
  }
}

function sameLeader(candidates: readonly Candidate[], selection: AnswerSelection): boolean {
  return tallyAnswers(candidates, selection)[0]?.group === tallyAnswers(candidates, "majority")[0]?.group;
}

function votes(candidates: readonly Candidate[]): number[] {
  const byGroup = new Map<string, number>();
  for (const c of candidates) if (c.group !== null) byGroup.set(c.group, (byGroup.get(c.group) ?? 0) + 1);
  return [...byGroup.values()];
}

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
