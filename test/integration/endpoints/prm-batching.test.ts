// A round's children are scored in as few /pooling requests as the server takes: the list form
// of vLLM's /pooling, one request per policy call at most (⌈N/M⌉ per beam round), and the
// scores are the ones the chat form gives for the same paths.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSearch, type SearchEvent } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
import { posts, problems, withSim } from "./sim.js";

const PRM = "sim-prm-qwen";

describe("PRM batching on vLLM /pooling", () => {
  for (const { n, m } of [
    { n: 16, m: 4 },
    { n: 16, m: 2 },
  ])
    it(`beam N=${n} M=${m}: at most ⌈N/M⌉ verifier requests per round, each path scored once`, () =>
      withSim({ flavour: "vllm" }, async (sim) => {
        const policy = await createPolicy({
          baseUrls: [sim.url],
          model: "sim-policy-1.5b",
          apiStyle: "auto",
        });
        const verifier = await createVerifier({ baseUrls: [sim.url], model: PRM, kind: "vllm-pooling" });
        const from = sim.requests.length;
        const events: SearchEvent[] = [];
        const r = await runSearch({
          problem: { text: problems(1, 3, 51)[0]!.text },
          policy,
          verifier,
          config: { strategy: "beam", n, beamWidth: m, seed: 5 },
          onEvent: (e) => events.push(e),
        });
        assert.equal(r.error, undefined);
        const pooling = posts(sim, from).filter((q) => q.path === "/pooling");
        // A path of depth d carries d tags; every input of one request is from one round.
        const perRound = new Map<number, number>();
        let inputs = 0;
        for (const q of pooling) {
          const body = q.body as { input: string[]; add_special_tokens: boolean };
          assert.ok(Array.isArray(body.input), "the list form");
          assert.equal(body.add_special_tokens, false);
          const depths = new Set(body.input.map((s) => s.split("<extra_0>").length - 1));
          assert.equal(depths.size, 1, `one round per request (depths ${[...depths].join(", ")})`);
          const depth = [...depths][0]!;
          perRound.set(depth, (perRound.get(depth) ?? 0) + 1);
          inputs += body.input.length;
        }
        assert.ok(perRound.size >= 2, `${perRound.size} rounds`);
        for (const [depth, count] of perRound)
          assert.ok(count <= Math.ceil(n / m), `round ${depth}: ${count} requests for N=${n}, M=${m}`);
        const scored = events.filter((e) => e.type === "node-scored").length;
        assert.equal(inputs, scored, "each path sent once");
        assert.equal(r.cost.verifier.requests, pooling.length);
        assert.ok(r.cost.verifier.promptTokens > 0);
      }));

  it("the list form scores a path as the chat form does, and reports the usage of all its paths", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const verifier = (await createVerifier({ baseUrls: [sim.url], model: PRM, kind: "vllm-pooling" }))!;
      const set = problems(3, 2, 61);
      const p = { text: set[0]!.text };
      const paths = set.map((x) => x.steps).concat([set[0]!.steps.slice(0, 2)]);
      const from = sim.requests.length;
      const batch = await verifier.scoreBatch!(p, paths);
      assert.equal(posts(sim, from).length, 1);
      assert.equal(batch.requests, 1);
      for (const [i, steps] of paths.entries())
        assert.deepEqual(batch.scores[i], (await verifier.score(p, steps)).scores, `path ${i}`);
      const single = await Promise.all(paths.map((steps) => verifier.score(p, steps)));
      const sum = single.reduce((s, x) => s + x.usage.promptTokens, 0);
      assert.equal(batch.usage.promptTokens, sum, "the batch's usage is its paths' usage");
    }));
});
