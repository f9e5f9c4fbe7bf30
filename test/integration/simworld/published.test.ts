// The published world (`world: "published"`): its policies reproduce the published CoT and
// majority@64 figures on a fixed seed (computed in-process: 500 × 64 samples through HTTP would
// take minutes), the server writes what the in-process models write, and the strong PRM sees the
// problems' systematic mistakes while the weak ones believe them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { modelTable, type PolicyModel, type PrmModel } from "../../simworld/models.js";
import { writeContinuation } from "../../simworld/policy.js";
import { publishedStats, sampleAnswer } from "../../simworld/published-stats.js";
import { trapOf } from "../../simworld/published.js";
import { problemKey } from "../../simworld/policy.js";
import { scoreSteps } from "../../simworld/verify.js";
import { chainAnswer, findWorldProblem, generateProblems } from "../../simworld/world.js";
import { post } from "./helpers.js";

/** Liu et al. 2025, Table 5 (MATH-500): CoT and majority@64, in percent. */
const PUBLISHED: Record<string, { cot: number; majority: number }> = {
  "sim-policy-0.5b": { cot: 31.6, majority: 47.2 },
  "sim-policy-1.5b": { cot: 54.4, majority: 68.4 },
  "sim-policy-7b": { cot: 76.8, majority: 83.6 },
  "sim-policy-72b": { cot: 83.8, majority: 87.2 },
};

describe("simworld's published world", () => {
  it("reproduces the published CoT and majority@64 figures within ±5 points (500 problems, seed 2026)", (t) => {
    const stats = publishedStats({
      policies: Object.keys(PUBLISHED),
      count: 500,
      problemSeed: 2026,
      samples: 64,
      temperature: 0.8,
      sampleSeed: 1,
    });
    for (const s of stats) {
      const want = PUBLISHED[s.policy]!;
      t.diagnostic(
        `${s.policy}: CoT ${(100 * s.cot).toFixed(1)} (${want.cot}), maj@64 ${(100 * s.majority).toFixed(1)} ` +
          `(${want.majority}), pass@64 ${(100 * s.passAtN).toFixed(1)}, by level ${s.cotByLevel.map((x) => (100 * x).toFixed(0)).join("/")}`,
      );
      assert.ok(Math.abs(100 * s.cot - want.cot) <= 5, `${s.policy} CoT ${100 * s.cot} vs ${want.cot}`);
      assert.ok(
        Math.abs(100 * s.majority - want.majority) <= 5,
        `${s.policy} majority ${100 * s.majority} vs ${want.majority}`,
      );
      // Harder levels are harder; the vote plateaus short of what some sample reaches.
      const [l1, , l3, , l5] = s.cotByLevel as [number, number, number, number, number];
      assert.ok(l1 > l3 && l3 > l5, `${s.policy} by level ${s.cotByLevel.join(", ")}`);
      assert.ok(s.passAtN >= s.majority + 0.08, `${s.policy}: pass@64 ${s.passAtN}, majority ${s.majority}`);
    }
    const cot = stats.map((s) => s.cot);
    assert.deepEqual(
      cot,
      [...cot].sort((a, b) => a - b),
      "bigger policies are better",
    );
  });

  describe("over HTTP", () => {
    let sw: Simworld;
    before(async () => {
      sw = await startSimworld({ flavour: "vllm", seed: 1, world: "published" });
    });
    after(() => sw.close());

    it("serves the same greedy solutions as the in-process models, and differs from the classic world", async () => {
      const table = modelTable({}, "published");
      const policy = table.get("sim-policy-0.5b") as PolicyModel;
      const classic = modelTable().get("sim-policy-0.5b") as PolicyModel;
      let differs = 0;
      for (const p of generateProblems({ count: 20, seed: 5 })) {
        const r = await post(`${sw.url}/v1/chat/completions`, {
          model: policy.id,
          messages: [{ role: "user", content: p.problem }],
          temperature: 0,
          max_tokens: 600,
        });
        assert.equal(r.status, 200, r.text);
        const text = (r.json() as { choices: { message: { content: string } }[] }).choices[0]!.message
          .content;
        const boxed = /\\boxed\{(-?\d+)\}/.exec(text)?.[1];
        const chain = findWorldProblem(p.problem)!.chain;
        assert.equal(
          boxed === undefined ? null : Number(boxed),
          sampleAnswer(policy, chain, p.problem, 0, []),
        );
        const old = writeContinuation({
          model: classic,
          chain,
          problem: p.problem,
          partial: "",
          temperature: 0,
          sampleKey: [],
        });
        if (old.text !== text) differs++;
      }
      assert.ok(differs > 0, "the published world writes other solutions than the classic one");
    });
  });

  it("the strong PRM scores a problem's systematic mistake low; the weak and biased PRMs believe it", () => {
    const table = modelTable({}, "published");
    const policy = table.get("sim-policy-0.5b") as PolicyModel;
    const finalScores = new Map<string, number[]>();
    let trapped = 0;
    for (const p of generateProblems({ count: 200, seed: 11 })) {
      const chain = findWorldProblem(p.problem)!.chain;
      const trap = trapOf(chain, problemKey(chain, p.problem));
      if (!trap) continue;
      for (let i = 0; i < 8; i++) {
        const w = writeContinuation({
          model: policy,
          chain,
          problem: p.problem,
          partial: "",
          temperature: 0.8,
          sampleKey: ["s", i],
        });
        const steps = w.steps.map((s) => s.text);
        // Only solutions that made the trap's mistake and nothing else: they end on the trapped answer.
        const ops = chain.ops.map((o, j) => (j === trap.index ? trap.op : o));
        const trappedAnswer = chainAnswer({ ...chain, ops });
        if (w.steps[w.steps.length - 1]?.value !== trappedAnswer || w.steps.length !== chain.ops.length + 1)
          continue;
        trapped++;
        for (const id of ["sim-prm-qwen", "sim-prm-shepherd", "sim-prm-biased"]) {
          const prm = table.get(id) as PrmModel;
          const scores = scoreSteps({ verifier: id, quality: prm.quality, chain, problem: p.problem, steps });
          finalScores.set(id, [...(finalScores.get(id) ?? []), scores[scores.length - 1]!]);
        }
        break;
      }
    }
    assert.ok(trapped >= 30, `only ${trapped} trapped solutions`);
    const mean = (id: string) => {
      const s = finalScores.get(id)!;
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    assert.ok(mean("sim-prm-qwen") < 0.4, `qwen ${mean("sim-prm-qwen")}`);
    assert.ok(mean("sim-prm-shepherd") > 0.6, `shepherd ${mean("sim-prm-shepherd")}`);
    assert.ok(mean("sim-prm-biased") > 0.6, `biased ${mean("sim-prm-biased")}`);
  });
});
