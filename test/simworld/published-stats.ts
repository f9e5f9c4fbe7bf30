// The published world's headline statistics computed in-process from the models themselves
// (no HTTP: 500 problems × 64 samples would take minutes through the server, milliseconds here).
// The calibration test and scripts/fit-published.ts read them.
import { modelTable, type Level, type PolicyModel } from "./models.js";
import { writeContinuation } from "./policy.js";
import { findWorldProblem, generateProblems, type Chain, type WorldProblem } from "./world.js";

export interface PolicyStats {
  policy: string;
  /** Greedy decoding, one solution per problem. */
  cot: number;
  /** Majority vote over `samples` solutions at `temperature`. */
  majority: number;
  /** Some sample of the `samples` is right. */
  passAtN: number;
  /** CoT accuracy per level 1..5. */
  cotByLevel: number[];
  problems: number;
}

/** The boxed answer of one whole solution written from scratch, or null. */
export function sampleAnswer(
  model: PolicyModel,
  chain: Chain,
  problem: string,
  temperature: number,
  sampleKey: readonly (string | number)[],
): number | null {
  const written = writeContinuation({ model, chain, problem, partial: "", temperature, sampleKey });
  const last = written.steps[written.steps.length - 1];
  return last && last.kind !== "op" ? last.value : null;
}

function chainOf(p: WorldProblem): Chain {
  const found = findWorldProblem(p.problem);
  if (!found) throw new Error(`not a world problem: ${p.id}`);
  return found.chain;
}

/** CoT, majority@samples and pass@samples of each policy on `count` problems of the published world. */
export function publishedStats(opts: {
  policies: readonly string[];
  count: number;
  problemSeed: number;
  samples: number;
  temperature: number;
  sampleSeed: number;
}): PolicyStats[] {
  const table = modelTable({}, "published");
  const problems = generateProblems({ count: opts.count, seed: opts.problemSeed }).map((p) => ({
    p,
    chain: chainOf(p),
  }));
  return opts.policies.map((id) => {
    const model = table.get(id);
    if (!model || model.role !== "policy") throw new Error(`not a policy: ${id}`);
    let cot = 0;
    let majority = 0;
    let pass = 0;
    const byLevel = [0, 0, 0, 0, 0];
    const perLevel = [0, 0, 0, 0, 0];
    for (const { p, chain } of problems) {
      const truth = Number(p.answer);
      const level = p.level as Level;
      perLevel[level - 1]!++;
      if (sampleAnswer(model, chain, p.problem, 0, []) === truth) {
        cot++;
        byLevel[level - 1]!++;
      }
      const votes = new Map<number, number>();
      let anyRight = false;
      for (let i = 0; i < opts.samples; i++) {
        const a = sampleAnswer(model, chain, p.problem, opts.temperature, [opts.sampleSeed, i]);
        if (a === null) continue;
        votes.set(a, (votes.get(a) ?? 0) + 1);
        anyRight ||= a === truth;
      }
      // Ties go to the answer seen first, as majority vote breaks them.
      let top: number | null = null;
      for (const [a, v] of votes) if (top === null || v > (votes.get(top) ?? 0)) top = a;
      if (top === truth) majority++;
      if (anyRight) pass++;
    }
    const n = problems.length;
    return {
      policy: id,
      cot: cot / n,
      majority: majority / n,
      passAtN: pass / n,
      cotByLevel: byLevel.map((c, i) => c / Math.max(1, perLevel[i]!)),
      problems: n,
    };
  });
}
