// Where nobody watches tokens the policy asks for whole responses (stream off): the same
// answers, candidates and token counts as streamed, on a fixed seed, route by route. llama.cpp
// keeps streaming: its unstreamed body counts the first sample's tokens only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSearch, type SearchResult } from "../../../src/core/index.js";
import { createPolicy, createVerifier, type PolicyApiStyle } from "../../../src/endpoints/index.js";
import { CHATML_TEMPLATE } from "../../../src/endpoints/chat-template.js";
import { posts, problems, withSim, type Flavour } from "./sim.js";

const CASES: { flavour: Flavour; apiStyle: PolicyApiStyle; chatTemplate?: string }[] = [
  { flavour: "vllm", apiStyle: "chat-continue" },
  { flavour: "vllm", apiStyle: "completions-template", chatTemplate: CHATML_TEMPLATE },
  { flavour: "llamacpp", apiStyle: "chat-continue" },
  { flavour: "openai", apiStyle: "whole-solution" },
];

const summary = (r: SearchResult) => ({
  answer: r.answer,
  candidates: r.candidates.map((c) => ({ steps: c.steps, answer: c.answer, score: c.score })),
  tally: r.tally,
  tokens: r.cost.policy.completionTokens,
  requests: r.cost.policy.requests,
});

describe("unstreamed policy requests", () => {
  for (const { flavour, apiStyle, chatTemplate } of CASES)
    it(`${flavour}, ${apiStyle}: the same search as streamed, in whole JSON bodies`, async () => {
      const step = apiStyle !== "whole-solution";
      const runs = [];
      for (const stream of [true, false])
        runs.push(
          await withSim({ flavour, seed: 3 }, async (sim) => {
            const policy = await createPolicy({
              baseUrls: [sim.url],
              model: "sim-policy-1.5b",
              apiStyle,
              stream,
              ...(chatTemplate ? { chatTemplate } : {}),
            });
            const verifier =
              flavour === "vllm"
                ? await createVerifier({ baseUrls: [sim.url], model: "sim-prm-qwen", kind: "vllm-pooling" })
                : null;
            const from = sim.requests.length;
            const r = await runSearch({
              problem: { text: problems(1, 3, 81)[0]!.text },
              policy,
              verifier,
              config:
                step && verifier
                  ? { strategy: "beam", n: 8, beamWidth: 2, seed: 7 }
                  : { strategy: "majority", n: 6, seed: 7 },
            });
            assert.equal(r.error, undefined);
            const generating = posts(sim, from).filter((q) => q.path !== "/pooling");
            assert.ok(generating.length > 0);
            for (const q of generating)
              assert.equal(
                (q.body as { stream?: boolean }).stream === true,
                stream || flavour === "llamacpp",
                `${q.path} stream`,
              );
            return summary(r);
          }),
        );
      assert.ok(runs[0]!.candidates.length >= 2);
      assert.deepEqual(runs[1], runs[0]);
    });
});
