import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseChatResponse,
  parseCompletionResponse,
  parseLlamaCompletion,
  StreamedChoices,
} from "../../../src/endpoints/adapters/choices.js";
import { binaryProbability } from "../../../src/endpoints/adapters/logprobs.js";
import { flavourFromModels, parseModels } from "../../../src/endpoints/adapters/models.js";
import {
  parsePoolingBatchStepRewards,
  parsePoolingStepRewards,
} from "../../../src/endpoints/adapters/pooling.js";
import { CHATML_TEMPLATE, ChatTemplate } from "../../../src/endpoints/chat-template.js";
import { hintForStatus, isContextOverflow, parseErrorBody } from "../../../src/endpoints/errors.js";
import { toGeneration } from "../../../src/endpoints/policy/generation.js";
import { SseParser } from "../../../src/endpoints/sse.js";
import { renderQwenPrm } from "../../../src/endpoints/verifier/pooling.js";
import { shepherdTagDistributions } from "../../../src/endpoints/verifier/token-logprob.js";
import { fixture } from "./fixture.js";

const PLUS = { texts: ["+"] };
const MINUS = { texts: ["-"] };
const close = (a: number, b: number, eps = 1e-3): void => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe("fixtures parse through their adapters", () => {
  it("vLLM /v1/completions: legacy logprob arrays, stop_reason names the delimiter, usage", () => {
    const f = fixture("vllm_completions_logprobs");
    const r = parseCompletionResponse(f.response);
    assert.equal(r.choices.length, 2);
    assert.equal(r.choices[0]!.text, "In May she sold 48 / 2 = 24 clips.");
    assert.equal(r.choices[0]!.stop, "stop-string");
    assert.equal(r.choices[0]!.logprobs[0]!.token, "In");
    close(r.choices[0]!.logprobs[0]!.logprob, -0.412);
    assert.deepEqual(
      r.choices[0]!.logprobs[0]!.top.map((t) => t.token),
      ["In", "First"],
    );
    assert.deepEqual(r.usage, { promptTokens: 78, completionTokens: 21 });
    const g = toGeneration(r.choices[1]!, "step", "\n\n");
    assert.deepEqual(g, { text: "Natalia sold 48 clips in April.", ended: false });
  });

  it("vLLM chat with continue_final_message: n choices, only the continuation, step not ended", () => {
    const f = fixture("vllm_chat_continue_final_message");
    const r = parseChatResponse(f.response);
    assert.equal(r.choices.length, 2);
    assert.equal(r.choices[1]!.text, "She sold 48 / 2 = 24 clips in May.");
    assert.ok(r.choices.every((c) => c.stop === "stop-string"));
    assert.equal(r.choices[0]!.logprobs.length, 20);
    assert.deepEqual(r.usage, { promptTokens: 91, completionTokens: 38 });
    assert.ok(r.choices.every((c) => !toGeneration(c, "step", "\n\n").ended));
    // The same body where a stream was asked for (a server that does not stream) reads alike.
    const folded = new StreamedChoices();
    folded.event(f.response);
    assert.ok(folded.complete());
    assert.deepEqual(folded.result(), r);
  });

  it("vLLM prompt_logprobs of a Math-Shepherd PRM give the derived step scores", () => {
    const f = fixture("vllm_completions_prompt_logprobs_prm");
    const tops = shepherdTagDistributions(f.response, 2);
    assert.ok(tops);
    const scores = tops.map((t) => binaryProbability(t, PLUS, MINUS)!);
    const derived = f._derived_step_scores as Record<string, number>;
    close(scores[0]!, derived.step_1!);
    close(scores[1]!, derived.step_2!);
    // Asked for a different number of steps, the tags cannot be lined up.
    assert.equal(shepherdTagDistributions(f.response, 3), null);
  });

  it("vLLM /pooling of Qwen2.5-Math-PRM: p(good) of each <extra_0> row", () => {
    const f = fixture("vllm_pooling_qwen_prm");
    assert.deepEqual(parsePoolingStepRewards(f.response), f._derived_step_rewards);
    const base64 = { data: [{ index: 0, object: "pooling", data: "AAAA" }] };
    assert.throws(() => parsePoolingStepRewards(base64), /base64/);
  });

  it("vLLM /pooling list form: the client renders the completion form's prompt; rows go by index", () => {
    const f = fixture("vllm_pooling_qwen_prm");
    const chat = (f.request_chat_form as { messages: { content: string }[] }).messages;
    const steps = chat[2]!.content.split("<extra_0>").slice(0, -1);
    assert.equal(
      renderQwenPrm({ text: chat[1]!.content }, steps),
      (f.request_completion_form as { input: string }).input,
    );
    const item = (f.response as { data: { data: unknown }[] }).data[0]!;
    const batch = {
      ...(f.response as object),
      data: [
        { index: 2, object: "pooling", data: [[0.3, 0.7]] },
        { index: 0, object: "pooling", data: item.data },
      ],
    };
    const [first, second, third] = parsePoolingBatchStepRewards(batch, 3);
    assert.deepEqual(first, f._derived_step_rewards);
    assert.ok(second instanceof Error && /no data item for input 1/.test(second.message));
    assert.deepEqual(third, [0.7]);
  });

  it("llama.cpp /v1/completions: chat-shaped logprobs with ids; 'stop' does not say which stop", () => {
    const f = fixture("llamacpp_v1_completions_logprobs");
    const r = parseCompletionResponse(f.response);
    assert.equal(r.choices[0]!.text, "In May she sold 24 clips.");
    assert.equal(r.choices[0]!.stop, "stop");
    assert.equal(r.choices[0]!.logprobs[0]!.id, 1000);
    assert.equal(r.choices[0]!.logprobs[0]!.top[1]!.token, " the");
    assert.deepEqual(r.usage, { promptTokens: 71, completionTokens: 10 });
    // No final answer: taken as the end of a step.
    assert.equal(toGeneration(r.choices[0]!, "step", "\n\n").ended, false);
    assert.equal(toGeneration({ ...r.choices[0]!, text: "So $\\boxed{72}$." }, "step", "\n\n").ended, true);
  });

  it("llama.cpp native /completion: stop_type and '+'/'-' from completion_probabilities", () => {
    const f = fixture("llamacpp_native_completion_n_probs");
    const r = parseLlamaCompletion(f.response);
    assert.equal(r.choices[0]!.text, "+");
    assert.equal(r.choices[0]!.stop, "length");
    assert.deepEqual(r.usage, { promptTokens: 21, completionTokens: 1 });
    const p = binaryProbability(r.choices[0]!.logprobs[0]!.top, PLUS, MINUS)!;
    close(p, 1 / (1 + Math.exp(-4.112 + 0.0183)));
    assert.equal(
      parseLlamaCompletion({ content: "x", stop: true, stop_type: "word" }).choices[0]!.stop,
      "stop-string",
    );
    assert.equal(
      parseLlamaCompletion({ content: "x", stop: true, stop_type: "eos" }).choices[0]!.stop,
      "eos",
    );
  });

  it("Ollama /v1/chat/completions: one choice although n was 4, logprobs without ids", () => {
    const f = fixture("ollama_v1_chat_completions");
    const r = parseChatResponse(f.response);
    assert.equal(r.choices.length, 1);
    assert.equal(r.choices[0]!.text, "In May, she sold 24 clips.");
    assert.equal(r.choices[0]!.stop, "stop");
    assert.equal(r.choices[0]!.logprobs[0]!.id, undefined);
    assert.deepEqual(r.usage, { promptTokens: 74, completionTokens: 11 });
  });

  it("SSE chunks in any split fold into the text and the final usage", () => {
    const f = fixture("openai_style_chat_stream_chunks");
    const chunks = f.chunks as unknown[];
    const wire = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + ": ping\n\ndata: [DONE]\n\n";
    const bytes = Buffer.from(wire, "utf8");
    for (let seed = 1; seed <= 20; seed++) {
      const parser = new SseParser();
      const acc = new StreamedChoices();
      let at = 0;
      let s = seed;
      while (at < bytes.length) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        const size = 1 + (s % 37);
        for (const p of parser.push(bytes.subarray(at, at + size)))
          if (p !== "[DONE]") acc.event(JSON.parse(p));
        at += size;
      }
      for (const p of parser.end()) if (p !== "[DONE]") acc.event(JSON.parse(p));
      const r = acc.result();
      assert.equal(r.choices[0]!.text, "In May she sold 24 clips.");
      assert.equal(r.choices[0]!.stop, "stop");
      assert.deepEqual(r.usage, { promptTokens: 91, completionTokens: 8 });
    }
  });

  it("error bodies: nested, flat and string messages; context overflow is recognised", () => {
    const f = fixture("error_bodies");
    for (const c of f.cases as {
      server: string;
      situation: string;
      status: number;
      body?: unknown;
      sse_data_line?: unknown;
    }[]) {
      const body = parseErrorBody(c.body ?? c.sse_data_line);
      assert.ok(body.message && body.message.length > 5, `${c.server} / ${c.situation}: no message`);
      // Everything in the fixture is about the context size (or a token limit over the model's
      // maximum, which gets the same advice) except these situations.
      const overflow = !/rate limited|unknown model|validation|echo|loading|queue full/.test(c.situation);
      assert.equal(
        isContextOverflow(c.status === 200 ? undefined : c.status, body),
        overflow,
        `${c.server} / ${c.situation}`,
      );
    }
    const flat = (f.cases as { server: string; body: unknown }[]).find((c) => c.server.startsWith("SGLang"))!;
    assert.match(parseErrorBody(flat.body).message!, /max_completion_tokens is too large/);
    const ollamaNative = (f.cases as { server: string; body: unknown }[]).find(
      (c) => c.server === "Ollama native /api/*",
    )!;
    assert.equal(parseErrorBody(ollamaNative.body).message, "model 'qwen2.5-math:72b' not found");
    assert.match(hintForStatus(404, parseErrorBody(ollamaNative.body), "http://h:11434")!, /model name/);
    assert.match(hintForStatus(503, { message: "Loading model" }, "http://h:8080")!, /loading/);
  });

  it("model lists tell the server flavour by owned_by", () => {
    const f = fixture("models_list");
    for (const flavour of ["vllm", "sglang", "llamacpp", "ollama"] as const) {
      const models = parseModels(f[flavour]);
      assert.equal(models.length, 1);
      assert.equal(flavourFromModels(models), flavour);
    }
    assert.equal(parseModels(f.vllm)[0]!.maxModelLen, 4096);
  });

  it("the built-in ChatML template renders the prompt the llama.cpp fixture continues", async () => {
    const f = fixture("llamacpp_v1_completions_logprobs");
    const request = f.request as { prompt: string };
    const user = /<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>/.exec(request.prompt)![1]!;
    const open = await new ChatTemplate(CHATML_TEMPLATE).render([{ role: "user", content: user }], true);
    assert.equal(open + "In April Natalia sold 48 clips.\n\n", request.prompt);
  });
});
