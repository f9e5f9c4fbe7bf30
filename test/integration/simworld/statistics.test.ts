// Statistics, with fixed seeds: each simulated policy's per-step error rate is within a stated
// tolerance of its setting, and each verifier separates right from wrong steps (AUROC) as its
// settings say. Labels are computed here from the problems' ground truth, independently of the
// server's own labelling code.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { expectedAuroc, JUDGE, POLICIES, PRMS, type PrmModel } from "../../simworld/models.js";
import { countTokens } from "../../simworld/tokens.js";
import { findWorldProblem, generateProblems, type Chain } from "../../simworld/world.js";
import { post } from "./helpers.js";
import { auroc, onTrack, stepCorrectness } from "./measure.js";

type Json = Record<string, unknown>;

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
const chatml = (problem: string) =>
  `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${problem}<|im_end|>\n<|im_start|>assistant\n`;

describe("simworld statistics", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "vllm", seed: 1 });
  });
  after(() => sw.close());

  // Tolerance: 4 standard errors of a binomial proportion, plus 0.005 for rounding.
  const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n) + 0.005;

  it("policies make step errors at their set rates (levels 1 and 5)", async (t) => {
    const observed = new Map<string, number>();
    for (const policy of POLICIES) {
      for (const level of [1, 5] as const) {
        const problems = generateProblems({ count: 10, seed: 100 + level, levels: [level] });
        const n = level === 1 ? 20 : 8;
        let steps = 0;
        let wrong = 0;
        await Promise.all(
          problems.map(async (p, i) => {
            const r = await post(`${sw.url}/v1/completions`, {
              model: policy.id,
              prompt: chatml(p.problem),
              n,
              temperature: 1,
              seed: 1000 + i,
              max_tokens: 400,
            });
            assert.equal(r.status, 200, r.text);
            const chain = findWorldProblem(p.problem)!.chain;
            for (const c of (r.json() as { choices: { text: string }[] }).choices) {
              const marks = stepCorrectness(chain, c.text.split("\n\n"));
              steps += marks.length;
              wrong += marks.filter((m) => !m).length;
            }
          }),
        );
        const rate = wrong / steps;
        const setting = policy.stepError[level - 1]!;
        observed.set(`${policy.id}@${level}`, rate);
        t.diagnostic(
          `${policy.id} level ${level}: step error ${rate.toFixed(3)} over ${steps} steps (setting ${setting})`,
        );
        assert.ok(steps >= 350, `${policy.id} level ${level}: only ${steps} steps`);
        assert.ok(
          Math.abs(rate - setting) <= tolerance(setting, steps),
          `${policy.id} level ${level}: error rate ${rate.toFixed(3)} over ${steps} steps, setting ${setting}`,
        );
      }
    }
    // Search has room to help: small models err far more on hard problems than large ones.
    assert.ok(observed.get("sim-policy-0.5b@5")! > observed.get("sim-policy-72b@5")! + 0.15);
    assert.ok(observed.get("sim-policy-0.5b@5")! > observed.get("sim-policy-0.5b@1")! + 0.1);
  });

  it("verifiers separate right from wrong steps as their settings say", async (t) => {
    // Solutions from the smallest policy on hard problems: plenty of wrong steps.
    const problems = generateProblems({ count: 14, seed: 300, levels: [4, 5] });
    const samples: { problem: string; chain: Chain; steps: string[] }[] = [];
    for (const [i, p] of problems.entries()) {
      const r = await post(`${sw.url}/v1/completions`, {
        model: "sim-policy-0.5b",
        prompt: chatml(p.problem),
        n: 5,
        temperature: 1,
        seed: 7 + i,
        max_tokens: 400,
      });
      const chain = findWorldProblem(p.problem)!.chain;
      for (const c of (r.json() as { choices: { text: string }[] }).choices)
        samples.push({ problem: p.problem, chain, steps: c.text.split("\n\n") });
    }
    const labels = samples.flatMap((s) => onTrack(s.chain, s.steps));
    const wrong = labels.filter((l) => !l).length;
    assert.ok(
      wrong >= 80 && labels.length - wrong >= 80,
      `both classes present: ${wrong} wrong of ${labels.length}`,
    );

    const pooled = async (model: PrmModel) =>
      (
        await Promise.all(
          samples.map(async (s) => {
            const r = await post(`${sw.url}/pooling`, {
              model: model.id,
              messages: [
                { role: "system", content: SYSTEM },
                { role: "user", content: s.problem },
                { role: "assistant", content: s.steps.join("<extra_0>") + "<extra_0>" },
              ],
            });
            const pairs = (r.json() as { data: { data: number[][] }[] }).data[0]!.data;
            assert.equal(pairs.length, s.steps.length);
            return pairs.map((pair) => pair[1]!);
          }),
        )
      ).flat();

    const shepherd = async () =>
      (
        await Promise.all(
          samples.map(async (s) => {
            const r = await post(`${sw.url}/v1/completions`, {
              model: "sim-prm-shepherd",
              prompt: `${s.problem} ${s.steps.map((x) => `${x} ки`).join("\n")}`,
              max_tokens: 1,
              temperature: 0,
              logprobs: 5,
              prompt_logprobs: 5,
              return_token_ids: true,
            });
            const c = (r.json() as { choices: Json[] }).choices[0]!;
            const ids = c.prompt_token_ids as number[];
            const pl = c.prompt_logprobs as (Record<string, { logprob: number }> | null)[];
            const final = ((c.logprobs as Json).top_logprobs as Record<string, number>[])[0]!;
            return ids.flatMap((id, at) => {
              if (id !== 12902) return [];
              const entry = pl[at + 1];
              const [good, bad] = entry
                ? [entry["648"]!.logprob, entry["387"]!.logprob]
                : [final["+"]!, final["-"]!];
              return [Math.exp(good) / (Math.exp(good) + Math.exp(bad))];
            });
          }),
        )
      ).flat();

    const judge = async () =>
      (
        await Promise.all(
          samples.map(async (s) => {
            const scores: number[] = [];
            for (let i = 0; i < s.steps.length; i++) {
              const shown = s.steps
                .slice(0, i + 1)
                .map((x, k) => `Step ${k + 1}: ${x}`)
                .join("\n\n");
              const r = await post(`${sw.url}/v1/chat/completions`, {
                model: JUDGE.id,
                messages: [
                  { role: "system", content: "Decide whether the last step is correct. Answer Yes or No." },
                  {
                    role: "user",
                    content: `Problem:\n${s.problem}\n\nSolution so far:\n\n${shown}\n\nIs step ${i + 1} correct? Answer Yes or No.`,
                  },
                ],
                max_tokens: 1,
                temperature: 0,
                logprobs: true,
                top_logprobs: 5,
              });
              const top = (
                (r.json() as { choices: Json[] }).choices[0]!.logprobs as {
                  content: { top_logprobs: { token: string; logprob: number }[] }[];
                }
              ).content[0]!.top_logprobs;
              const p = (t: string) => Math.exp(top.find((x) => x.token === t)?.logprob ?? -30);
              scores.push(p("Yes") / (p("Yes") + p("No")));
            }
            return scores;
          }),
        )
      ).flat();

    const [qwen, biased] = [
      PRMS.find((m) => m.id === "sim-prm-qwen")!,
      PRMS.find((m) => m.id === "sim-prm-biased")!,
    ];
    const shepherdModel = PRMS.find((m) => m.id === "sim-prm-shepherd")!;
    const results: [string, number[], number][] = [
      [qwen.id, await pooled(qwen), expectedAuroc(qwen.quality)],
      [shepherdModel.id, await shepherd(), expectedAuroc(shepherdModel.quality)],
      [JUDGE.id, await judge(), expectedAuroc(JUDGE.quality)],
    ];
    // The biased PRM, with its known length bonus taken out of the logit, has its set quality.
    const biasedScores = await pooled(biased);
    const tokensSoFar = samples.flatMap((s) =>
      s.steps.map((_, i) => countTokens(s.steps.slice(0, i + 1).join("\n\n"))),
    );
    const q = biased.quality;
    const unbiased = biasedScores.map((p, i) => {
      const logit = Math.log(p / (1 - p));
      return logit - (q.lengthBias ?? 0) * Math.max(0, 1 - tokensSoFar[i]! / (q.lengthScale ?? 160));
    });
    results.push([`${biased.id} (length bonus removed)`, unbiased, expectedAuroc(q)]);
    // AUROC tolerance: 0.06, about 3 standard errors at this sample size.
    for (const [name, scores, want] of results) {
      assert.equal(scores.length, labels.length, name);
      const got = auroc(scores, labels);
      t.diagnostic(
        `${name}: AUROC ${got.toFixed(3)} (setting ${want.toFixed(3)}) over ${labels.length} steps, ${wrong} wrong`,
      );
      assert.ok(Math.abs(got - want) <= 0.06, `${name}: AUROC ${got.toFixed(3)}, setting ${want.toFixed(3)}`);
    }

    // The biased PRM's failure mode: a short wrong solution (an answer jumped to early) ends
    // with a higher score than a full right one; the strong PRM ranks them the other way.
    const finals = (scores: number[]) => {
      let at = 0;
      const short: number[] = [];
      const full: number[] = [];
      for (const s of samples) {
        const last = scores[at + s.steps.length - 1]!;
        const ops = s.steps.filter((x) => !/\\boxed/.test(x)).length;
        const right = onTrack(s.chain, s.steps).every(Boolean);
        if (ops < s.chain.ops.length) short.push(last);
        else if (right) full.push(last);
        at += s.steps.length;
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      assert.ok(short.length >= 5 && full.length >= 5, `${short.length} short, ${full.length} full right`);
      return { short: mean(short), full: mean(full) };
    };
    const b = finals(biasedScores);
    const s = finals(results[0]![1]);
    t.diagnostic(
      `final-step score, short wrong vs full right: biased ${b.short.toFixed(3)} vs ${b.full.toFixed(3)}, strong ${s.short.toFixed(3)} vs ${s.full.toFixed(3)}`,
    );
    assert.ok(b.short > b.full, `biased: short ${b.short.toFixed(3)} vs full ${b.full.toFixed(3)}`);
    assert.ok(s.short < s.full, `strong: short ${s.short.toFixed(3)} vs full ${s.full.toFixed(3)}`);
  });
});
