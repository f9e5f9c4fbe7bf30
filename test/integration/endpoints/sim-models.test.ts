// simworld's model overrides (`startSimworld({ models })`, `--model-auroc`, `--model-error-scale`)
// as the endpoints see them: with fixed seeds, a PRM set to another AUROC separates right from
// wrong steps that well, and a policy with scaled error rates errs that often. Labels come from
// the problems' ground truth here, not from the server's own labelling code.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import type { Problem } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { expectedAuroc, POLICIES, PRMS, startSimworld, withOverride } from "../../simworld/index.js";
import { findWorldProblem, generateProblems, type Chain } from "../../simworld/world.js";
import { auroc, onTrack, stepCorrectness } from "../simworld/measure.js";
import { withSim } from "./sim.js";

/** Whole solutions from a simworld policy, through the product's policy endpoint. */
async function solutions(
  url: string,
  model: string,
  problems: { problem: string }[],
  k: number,
): Promise<{ problem: Problem; chain: Chain; steps: string[] }[]> {
  const policy = await createPolicy({ baseUrls: [url], model, apiStyle: "auto" });
  const out = await Promise.all(
    problems.map(async (p, i) => {
      const r = await policy.expand({
        problem: { text: p.problem },
        prefix: [],
        k,
        mode: "solution",
        delimiter: "\n\n",
        temperature: 1,
        seed: 7 + i,
        maxTokens: 400,
      });
      const chain = findWorldProblem(p.problem)!.chain;
      return r.generations.map((g) => ({ problem: { text: p.problem }, chain, steps: g.text.split("\n\n") }));
    }),
  );
  return out.flat();
}

const qwen = PRMS.find((m) => m.id === "sim-prm-qwen")!;

describe("simworld model overrides", () => {
  it("a PRM set to another AUROC separates right from wrong steps that well (±0.06)", (t) =>
    withSim({ flavour: "vllm" }, (base) =>
      withSim({ flavour: "vllm", models: { "sim-prm-qwen": { auroc: 0.7 } } }, async (worse) => {
        const samples = await solutions(
          base.url,
          "sim-policy-0.5b",
          generateProblems({ count: 14, seed: 300, levels: [4, 5] }),
          5,
        );
        const labels = samples.flatMap((s) => onTrack(s.chain, s.steps));
        const wrong = labels.filter((l) => !l).length;
        assert.ok(wrong >= 80 && labels.length - wrong >= 80, `${wrong} wrong of ${labels.length}`);
        const scored = async (url: string) => {
          const verifier = await createVerifier({ baseUrls: [url], model: qwen.id, kind: "vllm-pooling" });
          const all = await Promise.all(samples.map((s) => verifier!.score(s.problem, s.steps)));
          return all.flatMap((r) => r.scores);
        };
        const got = {
          base: auroc(await scored(base.url), labels),
          worse: auroc(await scored(worse.url), labels),
        };
        t.diagnostic(`AUROC as set ${got.base.toFixed(3)}, overridden to 0.7: ${got.worse.toFixed(3)}`);
        assert.ok(Math.abs(got.base - expectedAuroc(qwen.quality)) <= 0.06, `as set: ${got.base.toFixed(3)}`);
        assert.ok(Math.abs(got.worse - 0.7) <= 0.06, `overridden to 0.7: ${got.worse.toFixed(3)}`);
      }),
    ));

  it("a policy with scaled error rates errs that often (4 standard errors)", (t) =>
    withSim({ flavour: "vllm", models: { "sim-policy-7b": { errorScale: 3 } } }, async (sim) => {
      const setting = 3 * POLICIES.find((m) => m.id === "sim-policy-7b")!.stepError[4];
      const samples = await solutions(
        sim.url,
        "sim-policy-7b",
        generateProblems({ count: 20, seed: 105, levels: [5] }),
        8,
      );
      const marks = samples.flatMap((s) => stepCorrectness(s.chain, s.steps));
      const rate = marks.filter((m) => !m).length / marks.length;
      const tolerance = 4 * Math.sqrt((setting * (1 - setting)) / marks.length) + 0.005;
      t.diagnostic(
        `step error ${rate.toFixed(3)} over ${marks.length} steps (setting ${setting.toFixed(3)})`,
      );
      assert.ok(marks.length >= 400, `${marks.length} steps`);
      assert.ok(
        Math.abs(rate - setting) <= tolerance,
        `error rate ${rate.toFixed(3)} over ${marks.length} steps, setting ${setting.toFixed(3)}`,
      );
    }));

  it("refuses overrides that do not fit the model", async () => {
    await assert.rejects(
      startSimworld({ flavour: "vllm", models: { nope: { auroc: 0.8 } } }),
      /no model "nope"/,
    );
    assert.throws(() => withOverride(POLICIES[0]!, { auroc: 0.8 }), /is a policy/);
    assert.throws(() => withOverride(qwen, { errorScale: 2 }), /is a PRM/);
    assert.throws(() => withOverride(qwen, { auroc: 1 }), /must be in \[0\.5, 1\)/);
    const same = withOverride(qwen, { auroc: expectedAuroc(qwen.quality) });
    assert.ok(Math.abs(("quality" in same ? same.quality.good : NaN) - qwen.quality.good) < 1e-6);
  });

  it("the CLI flags set the same overrides", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/simworld/cli.ts",
        "--port",
        "0",
        "--flavour",
        "vllm",
        "--model-auroc",
        "sim-prm-qwen=0.7",
        "--model-error-scale",
        "sim-policy-7b=3",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (/listening on http/.test(out)) resolve(out);
        });
        child.on("close", () => reject(new Error(`exited before listening: ${out}`)));
      });
      assert.match(line, /sim-prm-qwen AUROC 0\.7, sim-policy-7b errors ×3\) listening on/);
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
      // Step scores depend only on the model's settings and the text: the same override gives
      // the same scores in-process, and the default settings others.
      // Right steps: their logits are the ones the AUROC override moves.
      const world = generateProblems({ count: 1, seed: 2, levels: [2] })[0]!;
      const problem = { text: world.problem };
      const steps = world.solution!.split("\n\n");
      const score = async (u: string) =>
        (
          await (await createVerifier({ baseUrls: [u], model: qwen.id, kind: "vllm-pooling" }))!.score(
            problem,
            steps,
          )
        ).scores;
      const fromCli = await score(url);
      await withSim({ flavour: "vllm", models: { "sim-prm-qwen": { auroc: 0.7 } } }, async (sim) =>
        assert.deepEqual(await score(sim.url), fromCli),
      );
      await withSim({ flavour: "vllm" }, async (sim) => assert.notDeepEqual(await score(sim.url), fromCli));
    } finally {
      child.kill("SIGTERM");
    }
  });
});
