// `finish` keeps the tally as paths finish (regrouping only for a new answer string); every
// answer-tally event must equal the tally of all candidates counted afresh, and every path's
// steps (cached per node) must equal its ancestors' texts split again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  mathAnswerKey,
  runSearch,
  splitSteps,
  tallyAnswers,
  type Candidate,
  type PathNode,
  type SearchEvent,
} from "../../../src/core/index.js";
import { rng, toyProblem, ToyPolicy, ToyVerifier } from "./toy-world.js";

describe("the running tally and the cached steps", () => {
  for (const strategy of ["best-of-n", "beam", "majority"] as const)
    it(`${strategy}: each answer-tally equals a fresh count over the candidates so far`, async () => {
      const random = rng(11);
      const problem = toyProblem({
        start: 3,
        ops: Array.from({ length: 4 }, () => Math.floor(random() * 9) - 4),
      });
      const events: SearchEvent[] = [];
      const result = await runSearch({
        problem,
        policy: new ToyPolicy({ errorRate: 0.5 }),
        verifier: strategy === "majority" ? null : new ToyVerifier(),
        config: { strategy, n: 32, beamWidth: 4, seed: 5 },
        onEvent: (e) => events.push(e),
      });
      assert.equal(result.error, undefined);
      const nodes = new Map<string, PathNode>();
      const finished: string[] = [];
      let tallies = 0;
      for (const e of events) {
        if (e.type === "node-added") nodes.set(e.node.id, e.node);
        if (e.type === "path-finished") finished.push(e.id);
        if (e.type !== "answer-tally") continue;
        tallies++;
        // The candidates so far, grouped afresh over all their answers.
        const so: Candidate[] = finished.map((id) => result.candidates.find((c) => c.nodeId === id)!);
        const fresh = so.map((c) => ({ ...c, group: null as string | null }));
        const withAnswer = fresh.filter((c) => c.answer !== null);
        const groups = mathAnswerKey.group(withAnswer.map((c) => c.answer!));
        withAnswer.forEach((c, i) => (c.group = groups[i]!));
        const selection = strategy === "majority" ? "majority" : "prm-vote";
        assert.deepEqual(e.tally, tallyAnswers(fresh, selection));
      }
      assert.ok(tallies >= 8, `${tallies} tallies`);
      const answers = new Set(result.candidates.map((c) => c.answer));
      assert.ok(answers.size >= 2, "several answers, so groups form and repeat");
      for (const c of result.candidates) {
        const chain: PathNode[] = [];
        for (let n = nodes.get(c.nodeId); n && n.parentId !== null; n = nodes.get(n.parentId))
          chain.unshift(n);
        assert.deepEqual(
          c.steps,
          chain.flatMap((n) => splitSteps(n.text, "\n\n")),
        );
      }
    });
});
