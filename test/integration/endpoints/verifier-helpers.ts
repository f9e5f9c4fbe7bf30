import assert from "node:assert/strict";
import { runSearch } from "../../../src/core/index.js";
import { createPolicy } from "../../../src/endpoints/index.js";
import { problems } from "./sim.js";

export { createVerifier, EndpointError } from "../../../src/endpoints/index.js";

/** With no verifier, beam search refuses with a message that names the way out; majority runs. */
export async function runSearchGuard(url: string): Promise<void> {
  const policy = await createPolicy({ baseUrls: [url], model: "sim-policy-72b", apiStyle: "auto" });
  const p = problems(1, 1)[0]!;
  const beam = await runSearch({
    problem: { text: p.text },
    policy,
    verifier: null,
    config: { strategy: "beam", n: 4, beamWidth: 2 },
  });
  assert.match(beam.error ?? "", /needs a verifier/);
  assert.match(beam.error ?? "", /majority vote/);
  const vote = await runSearch({
    problem: { text: p.text },
    policy,
    verifier: null,
    config: { strategy: "majority", n: 4, seed: 1 },
  });
  assert.equal(vote.answer, p.answer);
}
