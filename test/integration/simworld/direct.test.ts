// The in-process models the benchmarks use (test/simworld/direct.ts) write and score what the
// server does: the same seeded request through our real endpoints over HTTP gets the same
// solutions, steps and PRM scores.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import type { ExpandRequest } from "../../../src/core/index.js";
import { directPolicy, directVerifier } from "../../simworld/direct.js";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { countTokensQuick, tokenize } from "../../simworld/tokens.js";

describe("simworld's in-process models", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "vllm", seed: 1, world: "published" });
  });
  after(() => sw.close());

  it("write the same solutions and steps, and score them the same, as the server", async () => {
    const http = await createPolicy({
      baseUrls: [sw.url],
      model: "sim-policy-0.5b",
      apiStyle: "auto",
      concurrency: 8,
    });
    const local = directPolicy("sim-policy-0.5b", { world: "published" });
    const prmHttp = await createVerifier({
      baseUrls: [sw.url],
      model: "sim-prm-qwen",
      kind: "vllm-pooling",
      concurrency: 8,
    });
    const prmLocal = directVerifier("sim-prm-qwen", { world: "published" });
    for (const [i, p] of generateProblems({ count: 5, seed: 9 }).entries()) {
      const problem = { id: p.id, text: p.problem };
      const base: ExpandRequest = {
        problem,
        prefix: [],
        k: 4,
        mode: "solution",
        delimiter: "\n\n",
        temperature: 0.8,
        seed: 100 + i,
        maxTokens: 1024,
      };
      const a = await http.expand(base);
      const b = await local.expand(base);
      assert.deepEqual(
        b.generations.map((g) => g.text.trim()),
        a.generations.map((g) => g.text.trim()),
      );
      const steps = a.generations[0]!.text.trim().split("\n\n");
      const next: ExpandRequest = { ...base, prefix: steps.slice(0, 1), mode: "step" };
      assert.deepEqual(
        (await local.expand(next)).generations.map((g) => [g.text.trim(), g.ended]),
        (await http.expand(next)).generations.map((g) => [g.text.trim(), g.ended]),
      );
      const sa = await prmHttp!.score(problem, steps);
      const sb = await prmLocal.score(problem, steps);
      assert.equal(sb.scores.length, sa.scores.length);
      sb.scores.forEach((s, j) =>
        assert.ok(Math.abs(s - sa.scores[j]!) < 1e-6, `step ${j}: ${s} vs ${sa.scores[j]}`),
      );
    }
  });
});

describe("simworld's quick token count", () => {
  it("counts what the tokenizer cuts, on problems, solutions and prompts with special tokens", () => {
    const texts = [
      "",
      " ",
      "  a",
      " abcdefghij",
      "ки+-",
      "héllo wörld 12345 ∑",
      "<extra_0>Step 1:<|im_end|>\n\n x",
    ];
    for (const p of generateProblems({ count: 60, seed: 5 })) {
      const solution = p.solution ?? "";
      texts.push(p.problem, solution, `${p.problem}<extra_0>${solution.split("\n\n").join("<extra_0>")}`);
    }
    let compared = 0;
    for (const t of texts)
      for (let i = 0; i <= t.length; i += 5) {
        const s = t.slice(i);
        assert.equal(countTokensQuick(s), tokenize(s).length, JSON.stringify(s));
        compared++;
      }
    assert.ok(compared > 1000);
  });
});
