// simworld's `onWork`: what bench:overhead derives the ideal schedule from must be the work the
// latency model charges, sequence by sequence.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EngineWork } from "../../simworld/engine.js";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { generateProblems } from "../../simworld/world.js";
import { post } from "./helpers.js";

type Json = Record<string, unknown>;
const problem = generateProblems({ count: 1, seed: 3 })[0]!.problem;

describe("simworld reports each request's work", () => {
  let sw: Simworld;
  const work: EngineWork[] = [];
  before(async () => {
    sw = await startSimworld({
      flavour: "vllm",
      latency: "realistic",
      latencyScale: 0.05,
      onWork: (w) => work.push(w),
    });
  });
  after(() => sw.close());

  it("a completion with n = 3: three sequences, each decoding its own tokens", async () => {
    work.length = 0;
    const r = await post(`${sw.url}/v1/completions`, {
      model: "sim-policy-0.5b",
      prompt: problem,
      n: 3,
      seed: 5,
      max_tokens: 400,
    });
    assert.equal(r.status, 200, r.text);
    const usage = (r.json() as Json).usage as Json;
    // vLLM V1 fans n out into child requests (v1/engine/parallel_sampling.py): a slot each.
    assert.equal(work.length, 3);
    for (const w of work) {
      assert.equal(w.model, "sim-policy-0.5b");
      assert.equal(w.prefillTokens, usage.prompt_tokens, "a cold cache prefills the whole prompt");
    }
    assert.equal(
      work.reduce((s, w) => s + w.decodeTokens, 0),
      usage.completion_tokens,
    );
  });

  it("a repeated prompt is charged only its uncached tokens", async () => {
    work.length = 0;
    await post(`${sw.url}/v1/completions`, { model: "sim-policy-0.5b", prompt: problem, max_tokens: 5 });
    assert.ok(work[0]!.prefillTokens < 16, `prefilled ${work[0]!.prefillTokens}`);
  });

  it("a /pooling request with two inputs: two engine requests of one sequence, every prompt token", async () => {
    work.length = 0;
    const r = await post(`${sw.url}/pooling`, {
      model: "sim-prm-qwen",
      input: ["1 + 1 = 2<extra_0>", "2 + 2 = 4<extra_0>"],
    });
    assert.equal(r.status, 200, r.text);
    // vLLM runs each input of the list as its own engine request (serving_pooling.py).
    assert.equal(work.length, 2);
    assert.ok(work.every((w) => w.decodeTokens === 0 && w.prefillTokens > 0));
    assert.equal(
      work[0]!.prefillTokens + work[1]!.prefillTokens,
      ((r.json() as Json).usage as Json).prompt_tokens,
    );
  });
});
