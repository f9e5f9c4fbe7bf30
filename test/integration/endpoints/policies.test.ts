import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExpandRequest } from "../../../src/core/index.js";
import { CHATML_TEMPLATE } from "../../../src/endpoints/chat-template.js";
import { EndpointClient } from "../../../src/endpoints/client.js";
import { createPolicy, EndpointError, type PolicyApiStyle } from "../../../src/endpoints/index.js";
import { RoutePolicy } from "../../../src/endpoints/policy/base.js";
import { ChatRoute } from "../../../src/endpoints/policy/chat-route.js";
import type { EndpointPolicy } from "../../../src/endpoints/policy/create.js";
import { FLAVOURS, posts, problems, withSim, type Flavour } from "./sim.js";

const AUTO: Record<Flavour, { style: PolicyApiStyle; route: string; batched: boolean }> = {
  vllm: { style: "chat-continue", route: "/v1/chat/completions", batched: true },
  llamacpp: { style: "completions-template", route: "/completion", batched: true },
  ollama: { style: "completions-template", route: "/api/generate", batched: false },
  openai: { style: "whole-solution", route: "/v1/chat/completions", batched: true },
};

const [problem] = problems(1, 2);
const request = (over: Partial<ExpandRequest>): ExpandRequest => ({
  problem: { text: problem!.text },
  prefix: [],
  k: 1,
  mode: "step",
  delimiter: "\n\n",
  temperature: 0,
  seed: 5,
  maxTokens: 256,
  ...over,
});
const body = (r: { body: unknown }): Record<string, unknown> => r.body as Record<string, unknown>;

describe("policies against each simworld flavour, auto-detected", () => {
  for (const flavour of FLAVOURS) {
    it(`${flavour}: picks ${AUTO[flavour].style}, streams, batches n where it can, and continues partial solutions`, () =>
      withSim({ flavour }, async (sim) => {
        const policy = (await createPolicy({
          baseUrls: [`${sim.url}/v1/`],
          model: "sim-policy-72b",
          apiStyle: "auto",
        })) as EndpointPolicy;
        const auto = AUTO[flavour];
        assert.equal(policy.style, auto.style);

        // Whole solutions, k = 4: one request with n = 4 where n works, four requests where not.
        let from = sim.requests.length;
        const whole = await policy.expand(request({ k: 4, mode: "solution", temperature: 0.8 }));
        assert.equal(whole.generations.length, 4);
        for (const g of whole.generations) {
          assert.ok(g.ended);
          assert.match(g.text, /\\boxed\{\d+\}/);
        }
        const calls = posts(sim, from);
        assert.ok(calls.every((c) => c.path === auto.route && body(c).stream === true));
        if (auto.batched)
          assert.deepEqual(
            // llama.cpp's /completion names it n_cmpl.
            calls.map((c) => body(c).n ?? body(c).n_cmpl),
            [4],
          );
        else assert.equal(calls.length, 4);
        assert.ok(whole.usage.promptTokens > 0 && whole.usage.completionTokens > 0);

        if (!policy.capabilities.continuation) {
          await assert.rejects(
            policy.expand(request({ prefix: problem!.steps.slice(0, 1) })),
            (e: unknown) => {
              assert.ok(e instanceof EndpointError);
              assert.match(e.message, /cannot continue a partial solution/);
              assert.match(e.message, /beam search/);
              return true;
            },
          );
          return;
        }

        // One step after two reference steps: the third operation, without its delimiter.
        const prefix = problem!.steps.slice(0, 2);
        from = sim.requests.length;
        const next = await policy.expand(request({ prefix, k: 2 }));
        assert.equal(next.generations.length, 2);
        for (const g of next.generations) {
          assert.equal(g.ended, false);
          assert.ok(!g.text.includes("\n\n"));
          assert.equal(g.text.trim(), problem!.steps[2]);
        }
        const sent = body(posts(sim, from)[0]!);
        const partial = prefix.join("\n\n") + "\n\n";
        if (flavour === "vllm") {
          assert.equal(sent.continue_final_message, true);
          assert.equal(sent.add_generation_prompt, false);
          assert.deepEqual((sent.messages as unknown[]).at(-1), { role: "assistant", content: partial });
        } else {
          assert.ok(String(sent.prompt).endsWith(partial));
          assert.deepEqual(sent.stop ?? (sent.options as Record<string, unknown>).stop, ["\n\n"]);
        }
        if (flavour === "ollama") assert.equal(sent.raw, true);

        // The last step: the final answer, and the solution ends there.
        const last = await policy.expand(request({ prefix: problem!.steps.slice(0, -1) }));
        assert.equal(last.generations[0]!.ended, true);
        assert.match(last.generations[0]!.text, /\\boxed/);
      }));
  }
});

describe("policies with an explicit API style", () => {
  it("vLLM completions-template renders the configured template and continues on /v1/completions", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      const policy = (await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-72b",
        apiStyle: "completions-template",
        chatTemplate: CHATML_TEMPLATE,
      })) as EndpointPolicy;
      const from = sim.requests.length;
      const r = await policy.expand(request({ prefix: problem!.steps.slice(0, 1), k: 3 }));
      assert.equal(r.generations.length, 3);
      assert.ok(r.generations.every((g) => g.text.trim() === problem!.steps[1] && !g.ended));
      const calls = posts(sim, from);
      assert.deepEqual(
        calls.map((c) => [c.path, body(c).n]),
        [["/v1/completions", 3]],
      );
      assert.match(String(body(calls[0]!).prompt), /^<\|im_start\|>system\n/);
    }));

  it("completions-template without a template on vLLM is refused with what to set", () =>
    withSim({ flavour: "vllm" }, async (sim) => {
      await assert.rejects(
        createPolicy({ baseUrls: [sim.url], model: "sim-policy-7b", apiStyle: "completions-template" }),
        /chat template/,
      );
    }));

  it("llama.cpp chat-continue uses assistant prefill; a final answer ends the solution", () =>
    withSim({ flavour: "llamacpp" }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-72b",
        apiStyle: "chat-continue",
      });
      const from = sim.requests.length;
      const step = await policy.expand(request({ prefix: problem!.steps.slice(0, 1) }));
      assert.equal(step.generations[0]!.text.trim(), problem!.steps[1]);
      assert.equal(step.generations[0]!.ended, false);
      const sent = body(posts(sim, from)[0]!);
      assert.equal((sent.messages as { role: string }[]).at(-1)!.role, "assistant");
      const last = await policy.expand(request({ prefix: problem!.steps.slice(0, -1) }));
      assert.equal(last.generations[0]!.ended, true);
    }));

  it("llama.cpp chat asks for n up to the server's slots (/props total_slots)", () =>
    withSim({ flavour: "llamacpp", slots: 3 }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-7b",
        apiStyle: "chat-continue",
      });
      assert.ok(sim.requests.some((r) => r.method === "GET" && r.path === "/props"));
      assert.equal(policy.capabilities.maxN, 3);
      const from = sim.requests.length;
      const r = await policy.expand(request({ k: 3, mode: "solution", temperature: 0.8 }));
      assert.equal(r.generations.length, 3);
      assert.deepEqual(
        posts(sim, from).map((c) => [c.path, body(c).n, c.status]),
        [["/v1/chat/completions", 3, 200]],
      );
    }));

  it("an older llama.cpp that refuses n > 1 gets one sample per request from then on", () =>
    withSim({ flavour: "llamacpp", llamacppSingleChoice: true }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-7b",
        apiStyle: "whole-solution",
      });
      assert.equal(policy.capabilities.maxN, 4, "the slots say 4");
      const from = sim.requests.length;
      const r = await policy.expand(request({ k: 3, mode: "solution", temperature: 0.8 }));
      assert.equal(r.generations.length, 3);
      assert.equal(r.requests, 4, "the refused request counts too");
      assert.equal(policy.capabilities.maxN, 1);
      assert.deepEqual(
        posts(sim, from).map((c) => [body(c).n, c.status]),
        [
          [3, 400],
          [undefined, 200],
          [undefined, 200],
          [undefined, 200],
        ],
      );
    }));

  it("Ollama chat-continue with a configured template goes to /api/generate raw", () =>
    withSim({ flavour: "ollama" }, async (sim) => {
      const policy = await createPolicy({
        baseUrls: [sim.url],
        model: "sim-policy-72b",
        apiStyle: "chat-continue",
        chatTemplate: CHATML_TEMPLATE,
      });
      const from = sim.requests.length;
      const r = await policy.expand(request({ prefix: problem!.steps.slice(0, 1), k: 2 }));
      assert.equal(r.generations.length, 2);
      assert.deepEqual(
        posts(sim, from).map((c) => [c.path, body(c).raw]),
        [
          ["/api/generate", true],
          ["/api/generate", true],
        ],
      );
    }));

  it("OpenAI chat-continue is refused at creation; whole-solution refuses steps on any server", () =>
    withSim({ flavour: "openai" }, async (sim) => {
      await assert.rejects(
        createPolicy({ baseUrls: [sim.url], model: "sim-policy-7b", apiStyle: "chat-continue" }),
        /OpenAI does not continue a partial assistant message/,
      );
      await withSim({ flavour: "vllm" }, async (vllm) => {
        const policy = await createPolicy({
          baseUrls: [vllm.url],
          model: "sim-policy-7b",
          apiStyle: "whole-solution",
        });
        assert.equal(policy.capabilities.continuation, false);
        await assert.rejects(policy.expand(request({})), /DVTS/);
      });
    }));

  it("a server that ignores n gets the rest as parallel requests, and n is not used again", () =>
    withSim({ flavour: "ollama" }, async (sim) => {
      const client = new EndpointClient({ endpoint: "policy", baseUrls: [sim.url] });
      const route = new ChatRoute(client, "sim-policy-7b", "ollama", false, 4);
      const policy = new RoutePolicy("sim-policy-7b", route, sim.url);
      const from = sim.requests.length;
      const r = await policy.expand(request({ k: 4, mode: "solution", temperature: 0.8 }));
      assert.equal(r.generations.length, 4);
      assert.equal(policy.capabilities.maxN, 1);
      assert.deepEqual(
        posts(sim, from).map((c) => body(c).n),
        [4, undefined, undefined, undefined],
      );
    }));
});
