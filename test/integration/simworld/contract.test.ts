// Contract: every flavour's answers, streamed and not, match the OpenAI API description (with
// the relaxations listed in helpers.ts), and each flavour's quirks match docs/reference/serving-apis.md and
// the reference fixtures.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimworld, type Flavour, type Simworld } from "../../simworld/index.js";
import { MODELS } from "../../simworld/models.js";
import { generateProblems } from "../../simworld/world.js";
import { assertSchema, fixture, get, ndjson, post, sseData, sseEvents } from "./helpers.js";

const FLAVOURS: Flavour[] = ["vllm", "llamacpp", "ollama", "openai"];
const problem = generateProblems({ count: 1, seed: 11, levels: [3] })[0]!;
const chatml = `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n${problem.problem}<|im_end|>\n<|im_start|>assistant\n`;
const messages = [{ role: "user", content: problem.problem }];

type Json = Record<string, unknown>;
const choicesOf = (v: unknown) => (v as { choices: Json[] }).choices;

for (const flavour of FLAVOURS) {
  describe(`simworld ${flavour}: OpenAI contract`, () => {
    let sw: Simworld;
    before(async () => {
      sw = await startSimworld({ flavour, seed: 3 });
    });
    after(() => sw.close());

    it("lists every simulated model", async () => {
      const r = await get(`${sw.url}/v1/models`);
      assert.equal(r.status, 200);
      assertSchema("ListModelsResponse", r.json(), "GET /v1/models");
      const ids = (r.json() as { data: { id: string }[] }).data.map((m) => m.id);
      assert.deepEqual(
        ids,
        MODELS.map((m) => m.id),
      );
    });

    it("answers /v1/completions", async () => {
      const r = await post(`${sw.url}/v1/completions`, {
        model: "sim-policy-7b",
        prompt: chatml,
        max_tokens: 200,
        temperature: 0.7,
        seed: 1,
        logprobs: 2,
        stop: ["\n\n"],
      });
      assert.equal(r.status, 200, r.text);
      assertSchema("CreateCompletionResponse", r.json(), "completion");
      const c = choicesOf(r.json())[0]!;
      assert.match(String(c.text), /=\s*\d+\$/);
      assert.ok(!String(c.text).includes("\n\n"), "the stop string is not in the text");
      const usage = (r.json() as { usage: Json }).usage;
      assert.equal(usage.total_tokens, Number(usage.prompt_tokens) + Number(usage.completion_tokens));
      // Plausible counts: between 1.5 and 6 characters per token.
      const chars = chatml.length;
      assert.ok(
        chars / Number(usage.prompt_tokens) > 1.5 && chars / Number(usage.prompt_tokens) < 6,
        JSON.stringify(usage),
      );
    });

    it("streams /v1/completions", async () => {
      const r = await post(`${sw.url}/v1/completions`, {
        model: "sim-policy-7b",
        prompt: chatml,
        max_tokens: 400,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      });
      assert.equal(r.status, 200, r.text);
      const data = sseData(r.text);
      assert.equal(data[data.length - 1], "[DONE]");
      const events = sseEvents(r.text);
      for (const e of events) assertSchema("CreateCompletionResponse", e, "completion chunk");
      const last = events[events.length - 1] as Json;
      // llama.cpp puts each choice's usage on its finishing chunk (docs/reference/llamacpp-real.md).
      if (flavour !== "llamacpp") assert.deepEqual(last.choices, []);
      assert.ok((last.usage as Json).completion_tokens);
      const text = events.flatMap((e) => choicesOf(e).map((c) => String(c.text))).join("");
      assert.match(text, /\\boxed\{\d+\}/);
      const finishes = events.flatMap((e) => choicesOf(e).map((c) => c.finish_reason)).filter((f) => f);
      assert.deepEqual(finishes, ["stop"]);
    });

    it("answers /v1/chat/completions with logprobs", async () => {
      const r = await post(`${sw.url}/v1/chat/completions`, {
        model: "sim-policy-1.5b",
        messages,
        max_tokens: 300,
        temperature: 0,
        logprobs: true,
        top_logprobs: 2,
      });
      assert.equal(r.status, 200, r.text);
      assertSchema("CreateChatCompletionResponse", r.json(), "chat completion");
      const c = choicesOf(r.json())[0]!;
      const content = String((c.message as Json).content);
      assert.match(content, /\\boxed\{\d+\}\$\.$/);
      const lps = (c.logprobs as { content: { token: string; top_logprobs: unknown[] }[] }).content;
      assert.equal(lps.map((t) => t.token).join(""), content, "logprob tokens spell the content");
      assert.ok(lps.every((t) => t.top_logprobs.length === 2));
    });

    it("streams /v1/chat/completions with include_usage", async () => {
      const r = await post(`${sw.url}/v1/chat/completions`, {
        model: "sim-policy-1.5b",
        messages,
        max_tokens: 300,
        temperature: 0.5,
        seed: 4,
        stream: true,
        stream_options: { include_usage: true },
        stop: ["\n\n"],
      });
      assert.equal(r.status, 200, r.text);
      const data = sseData(r.text);
      assert.equal(data[data.length - 1], "[DONE]");
      const events = sseEvents(r.text);
      for (const e of events) assertSchema("CreateChatCompletionStreamResponse", e, "chat chunk");
      const usageChunk = events[events.length - 1] as Json;
      assert.deepEqual(usageChunk.choices, []);
      assert.ok((usageChunk.usage as Json).prompt_tokens);
      const text = events
        .flatMap((e) => choicesOf(e).map((c) => ((c.delta as Json).content as string) ?? ""))
        .join("");
      assert.match(text, /=\s*\d+\$/);
      assert.ok(!text.includes("\n\n"));
    });

    it("returns its error body for a bad request", async () => {
      const r = await post(`${sw.url}/v1/chat/completions`, {
        model: "sim-policy-7b",
        messages,
        top_logprobs: 3,
      });
      assert.equal(r.status, 400, r.text);
      const body = r.json() as Json;
      assertSchema("ErrorResponse", body, "error");
      assert.match(String((body.error as Json).message), /logprobs/);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Quirks, flavour by flavour.

describe("simworld vllm quirks", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "vllm", seed: 5 });
  });
  after(() => sw.close());

  it("reports stop_reason: the stop string for a step, null at EOS", async () => {
    const step = choicesOf(
      (
        await post(`${sw.url}/v1/completions`, {
          model: "sim-policy-7b",
          prompt: chatml,
          max_tokens: 100,
          stop: ["\n\n"],
          temperature: 0,
        })
      ).json(),
    )[0]!;
    assert.equal(step.finish_reason, "stop");
    assert.equal(step.stop_reason, "\n\n");
    const whole = choicesOf(
      (
        await post(`${sw.url}/v1/completions`, {
          model: "sim-policy-7b",
          prompt: chatml,
          max_tokens: 500,
          temperature: 0,
        })
      ).json(),
    )[0]!;
    assert.equal(whole.finish_reason, "stop");
    assert.equal(whole.stop_reason, null);
    const cut = choicesOf(
      (
        await post(`${sw.url}/v1/completions`, {
          model: "sim-policy-7b",
          prompt: chatml,
          max_tokens: 5,
          temperature: 0,
        })
      ).json(),
    )[0]!;
    assert.equal(cut.finish_reason, "length");
    assert.equal(cut.stop_reason, null);
  });

  it("defaults completions max_tokens to 16, as vLLM does", async () => {
    const r = (
      await post(`${sw.url}/v1/completions`, { model: "sim-policy-7b", prompt: chatml, temperature: 0 })
    ).json() as Json;
    assert.equal((r.usage as Json).completion_tokens, 16);
    assert.equal(choicesOf(r)[0]!.finish_reason, "length");
  });

  it("continues a partial assistant message with continue_final_message, like the fixture", async () => {
    const fx = fixture("vllm_chat_continue_final_message");
    const req = fx.request as Json;
    const r = await post(`${sw.url}/v1/chat/completions`, {
      ...req,
      model: "sim-policy-7b",
      messages: [...messages, { role: "assistant", content: problem.solution!.split("\n\n")[0] + "\n\n" }],
    });
    assert.equal(r.status, 200, r.text);
    const body = r.json() as Json;
    const want = (fx.response as Json).choices as Json[];
    const got = choicesOf(body);
    assert.equal(got.length, want.length);
    for (const c of got) {
      assert.deepEqual(Object.keys(c).sort(), Object.keys(want[0]!).sort());
      assert.equal(c.stop_reason, "\n\n");
      // The continuation is the second step, not the first again.
      assert.ok(
        !String((c.message as Json).content).startsWith(problem.solution!.split("\n\n")[0]!.slice(0, 12)),
      );
    }
    const both = await post(`${sw.url}/v1/chat/completions`, {
      ...req,
      model: "sim-policy-7b",
      add_generation_prompt: true,
    });
    assert.equal(both.status, 400);
    assert.match(String(((both.json() as Json).error as Json).message), /Cannot set both/);
  });

  it("gives legacy logprob arrays and prompt_logprobs keyed by token id", async () => {
    const fx = fixture("vllm_completions_prompt_logprobs_prm");
    const r = await post(`${sw.url}/v1/completions`, { ...(fx.request as Json), model: "sim-prm-shepherd" });
    assert.equal(r.status, 200, r.text);
    const c = choicesOf(r.json())[0]!;
    const want = ((fx.response as Json).choices as Json[])[0]!;
    assert.deepEqual(Object.keys(c).sort(), Object.keys(want).sort());
    assert.ok(["+", "-"].includes(String(c.text)));
    const pl = c.prompt_logprobs as (Record<
      string,
      { logprob: number; rank: number; decoded_token: string }
    > | null)[];
    const ids = c.prompt_token_ids as number[];
    assert.equal(pl[0], null);
    assert.equal(pl.length, ids.length);
    const tag = ids.indexOf(12902);
    assert.ok(tag > 0, "ки has the Math-Shepherd id 12902");
    const after = pl[tag + 1]!;
    assert.ok(after["648"] && after["387"], "'+' (648) and '-' (387) are offered after the tag");
    assert.ok(after[String(ids[tag + 1])], "the actual prompt token is in its entry");
    const legacy = c.logprobs as Json;
    assert.deepEqual(Object.keys(legacy).sort(), ["text_offset", "token_logprobs", "tokens", "top_logprobs"]);
    const stream = await post(`${sw.url}/v1/completions`, {
      ...(fx.request as Json),
      model: "sim-prm-shepherd",
      stream: true,
    });
    assert.equal(stream.status, 400);
  });

  it("scores <extra_0> steps on /pooling, like the fixture", async () => {
    const fx = fixture("vllm_pooling_qwen_prm");
    for (const form of ["request_chat_form", "request_completion_form"]) {
      const r = await post(`${sw.url}/pooling`, { ...(fx[form] as Json), model: "sim-prm-qwen" });
      assert.equal(r.status, 200, r.text);
      const body = r.json() as Json;
      const want = fx.response as Json;
      assert.deepEqual(Object.keys(body).sort(), Object.keys(want).sort());
      const pairs = (body.data as Json[])[0]!.data as number[][];
      assert.equal(pairs.length, 4, "one pair per <extra_0>");
      for (const [bad, good] of pairs) assert.ok(Math.abs(bad! + good! - 1) < 1e-9);
    }
    const policy = await post(`${sw.url}/pooling`, { model: "sim-policy-7b", input: "x<extra_0>" });
    assert.equal(policy.status, 400);
    const gen = await post(`${sw.url}/v1/completions`, { model: "sim-prm-qwen", prompt: "x" });
    assert.equal(gen.status, 400, "a pooling model does not generate");
  });

  it("tokenizes like the fixture and keeps errors nested with an integer code", async () => {
    const fx = fixture("models_list");
    const r = await post(`${sw.url}/tokenize`, {
      ...((fx.vllm_tokenize as Json).request as Json),
      model: "sim-policy-7b",
    });
    const body = r.json() as Json;
    assert.deepEqual(
      Object.keys(body).sort(),
      Object.keys((fx.vllm_tokenize as Json).response as Json).sort(),
    );
    assert.equal((body.token_strs as string[]).join(""), "2+3=5");
    const missing = await post(`${sw.url}/v1/chat/completions`, { model: "qwen-math", messages });
    assert.equal(missing.status, 404);
    const errors = (fixture("error_bodies").cases as Json[]).find(
      (c) => c.server === "vLLM >= 0.10.1" && c.status === 404,
    )!;
    const got = (missing.json() as Json).error as Json;
    assert.deepEqual(Object.keys(got).sort(), Object.keys((errors.body as Json).error as Json).sort());
    assert.equal(got.message, "The model `qwen-math` does not exist.");
    assert.equal(got.code, 404);
  });

  it("flat errors with legacyErrors, as vLLM < 0.10.1", async () => {
    const old = await startSimworld({ flavour: "vllm", legacyErrors: true });
    try {
      const r = await post(`${old.url}/v1/chat/completions`, { model: "x", messages });
      const want = (fixture("error_bodies").cases as Json[]).find((c) =>
        String(c.server).startsWith("vLLM < 0.10.1"),
      )!;
      assert.deepEqual(Object.keys(r.json() as Json).sort(), Object.keys(want.body as Json).sort());
    } finally {
      await old.close();
    }
  });
});

describe("simworld llamacpp quirks", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "llamacpp", seed: 6 });
  });
  after(() => sw.close());

  it("returns chat-shaped logprobs with ids on /v1/completions, like the fixture", async () => {
    const fx = fixture("llamacpp_v1_completions_logprobs");
    const r = await post(`${sw.url}/v1/completions`, {
      ...(fx.request as Json),
      prompt: chatml,
      model: "sim-policy-1.5b",
    });
    assert.equal(r.status, 200, r.text);
    const body = r.json() as Json;
    const want = fx.response as Json;
    assert.deepEqual(Object.keys(body).sort(), Object.keys(want).sort());
    const c = choicesOf(body)[0]!;
    const entry = (c.logprobs as { content: Json[] }).content[0]!;
    const wantEntry = (((want.choices as Json[])[0]!.logprobs as Json).content as Json[])[0]!;
    assert.deepEqual(Object.keys(entry).sort(), Object.keys(wantEntry).sort());
    assert.equal(c.finish_reason, "stop");
    assert.equal(c.stop_reason, undefined, "no stop_reason on llama.cpp");
    assert.deepEqual(Object.keys(body.timings as Json).sort(), Object.keys(want.timings as Json).sort());
  });

  it("accepts and ignores echo (b11669: docs/reference/llamacpp-real.md), refuses n beyond its slots", async () => {
    const echo = await post(`${sw.url}/v1/completions`, {
      model: "sim-policy-1.5b",
      prompt: "x",
      echo: true,
      max_tokens: 2,
    });
    assert.equal(echo.status, 200);
    const many = await post(`${sw.url}/v1/chat/completions`, { model: "sim-policy-1.5b", messages, n: 5 });
    assert.equal(many.status, 400);
    assert.match(JSON.stringify(many.json()), /Field 'n': Value must be between 1 <= value <= 4, but got 5/);
    const ok = await post(`${sw.url}/v1/chat/completions`, {
      model: "sim-policy-1.5b",
      messages,
      n: 4,
      max_tokens: 10,
    });
    assert.equal(choicesOf(ok.json()).length, 4);
  });

  it("prefills a trailing assistant message", async () => {
    const first = problem.solution!.split("\n\n")[0]!;
    const r = await post(`${sw.url}/v1/chat/completions`, {
      model: "sim-policy-72b",
      messages: [...messages, { role: "assistant", content: first + "\n\n" }],
      temperature: 0,
      stop: ["\n\n"],
    });
    const text = String((choicesOf(r.json())[0]!.message as Json).content);
    assert.equal(text, problem.solution!.split("\n\n")[1]);
  });

  it("tells a stop word from EOS and the limit on native /completion", async () => {
    const fx = fixture("llamacpp_native_completion_n_probs");
    const word = (
      await post(`${sw.url}/completion`, {
        prompt: chatml,
        model: "sim-policy-7b",
        n_predict: 200,
        stop: ["\n\n"],
        n_probs: 2,
        temperature: 0,
      })
    ).json() as Json;
    assert.deepEqual(Object.keys(word).sort(), Object.keys(fx.response as Json).sort());
    assert.equal(word.stop_type, "word");
    assert.equal(word.stopping_word, "\n\n");
    const eos = (
      await post(`${sw.url}/completion`, { prompt: chatml, model: "sim-policy-7b", temperature: 0 })
    ).json() as Json;
    assert.equal(eos.stop_type, "eos");
    const limit = (
      await post(`${sw.url}/completion`, { prompt: chatml, model: "sim-policy-7b", n_predict: 3 })
    ).json() as Json;
    assert.equal(limit.stop_type, "limit");
    const shepherd = (
      await post(`${sw.url}/completion`, { ...(fx.request as Json), model: "sim-prm-shepherd" })
    ).json() as Json;
    const top = ((shepherd.completion_probabilities as Json[])[0]!.top_logprobs as { token: string }[]).map(
      (t) => t.token,
    );
    assert.ok(top.includes("+") && top.includes("-"));
  });

  it("serves /health, /tokenize, /apply-template and one-line errors", async () => {
    assert.deepEqual((await get(`${sw.url}/health`)).json(), { status: "ok" });
    const fx = fixture("models_list");
    const tok = (await post(`${sw.url}/tokenize`, (fx.llamacpp_tokenize as Json).request)).json() as {
      tokens: { piece: string }[];
    };
    assert.equal(tok.tokens.map((t) => t.piece).join(""), "2+3=5");
    const tpl = (await post(`${sw.url}/apply-template`, { messages })).json() as { prompt: string };
    assert.ok(tpl.prompt.endsWith("<|im_start|>assistant\n"));
    const missing = await get(`${sw.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((missing.json() as Json).error as Json).type, "not_found_error");
  });
});

describe("simworld ollama quirks", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "ollama", seed: 7 });
  });
  after(() => sw.close());

  it("ignores n and answers like the fixture", async () => {
    const fx = fixture("ollama_v1_chat_completions");
    const r = await post(`${sw.url}/v1/chat/completions`, {
      ...(fx.request as Json),
      model: "sim-policy-7b",
    });
    assert.equal(r.status, 200, r.text);
    const body = r.json() as Json;
    assert.equal(choicesOf(body).length, 1, "n is silently ignored");
    assert.match(String(body.id), /^chatcmpl-\d{1,3}$/);
    assert.equal(body.system_fingerprint, "fp_ollama");
    assert.deepEqual(Object.keys(body.usage as Json).sort(), [
      "completion_tokens",
      "prompt_tokens",
      "total_tokens",
    ]);
    const entry = (choicesOf(body)[0]!.logprobs as { content: Json[] }).content[0]!;
    assert.equal(entry.id, undefined, "no token ids");
  });

  it("sends the finish reason on a chunk of its own", async () => {
    const r = await post(`${sw.url}/v1/chat/completions`, {
      model: "sim-policy-7b",
      messages,
      stream: true,
      stop: ["\n\n"],
    });
    const events = sseEvents(r.text);
    const last = choicesOf(events[events.length - 1])[0]!;
    assert.deepEqual(last.delta, {});
    assert.equal(last.finish_reason, "stop");
    assert.ok(events.slice(0, -1).every((e) => choicesOf(e)[0]!.finish_reason === null));
  });

  it("wants a string prompt on /v1/completions and answers natively with done_reason", async () => {
    const bad = await post(`${sw.url}/v1/completions`, { model: "sim-policy-7b", prompt: ["a", "b"] });
    assert.equal(bad.status, 400);
    assert.equal(((bad.json() as Json).error as Json).code, null);
    const gen = await post(`${sw.url}/api/generate`, {
      model: "sim-policy-7b",
      prompt: chatml,
      raw: true,
      options: { stop: ["\n\n"], temperature: 0 },
    });
    const lines = ndjson(gen.text) as Json[];
    const last = lines[lines.length - 1]!;
    assert.equal(last.done, true);
    assert.equal(last.done_reason, "stop");
    assert.equal(
      lines
        .slice(0, -1)
        .map((l) => l.response)
        .join(""),
      problem.solution!.split("\n\n")[0],
    );
    const limited = (
      await post(`${sw.url}/api/generate`, {
        model: "sim-policy-7b",
        prompt: chatml,
        raw: true,
        stream: false,
        options: { num_predict: 3 },
      })
    ).json() as Json;
    assert.equal(limited.done_reason, "length");
    const missing = await post(`${sw.url}/api/generate`, { model: "qwen2.5-math:72b", prompt: "x" });
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.json() as Json), ["error"]);
    assert.equal(typeof (missing.json() as Json).error, "string");
  });

  it("shows the model's template on /api/show", async () => {
    const shown = (await post(`${sw.url}/api/show`, { model: "sim-policy-7b:latest" })).json() as Json;
    assert.match(String(shown.template), /<\|im_start\|>/);
    assert.equal((await post(`${sw.url}/api/show`, { model: "nope" })).status, 404);
  });

  it("answers a trailing assistant message on /v1 as a new turn", async () => {
    const first = problem.solution!.split("\n\n")[0]!;
    const r = await post(`${sw.url}/v1/chat/completions`, {
      model: "sim-policy-72b",
      messages: [...messages, { role: "assistant", content: first + "\n\n" }],
      temperature: 0,
      stop: ["\n\n"],
    });
    assert.equal(
      String((choicesOf(r.json())[0]!.message as Json).content),
      first,
      "starts again from step 1",
    );
  });
});

describe("simworld unavailable (503) bodies", () => {
  for (const [flavour, situation] of [
    ["ollama", "queue full"],
    ["llamacpp", "model still loading (/health or any endpoint)"],
  ] as const) {
    it(`${flavour}: like the fixture for "${situation}"`, async () => {
      const sw = await startSimworld({ flavour, faults: "503=1" });
      try {
        const r = await post(`${sw.url}/v1/chat/completions`, { model: "sim-policy-7b", messages });
        const want = (fixture("error_bodies").cases as Json[]).find((c) => c.situation === situation)!;
        assert.equal(r.status, want.status);
        assert.deepEqual(r.json(), want.body);
      } finally {
        await sw.close();
      }
    });
  }
});

describe("simworld openai quirks", () => {
  let sw: Simworld;
  before(async () => {
    sw = await startSimworld({ flavour: "openai", seed: 8, apiKey: "sk-test" });
  });
  after(() => sw.close());
  const auth = { authorization: "Bearer sk-test" };

  it("requires the API key when one is set, and records the header", async () => {
    const r = await post(`${sw.url}/v1/chat/completions`, { model: "sim-policy-7b", messages });
    assert.equal(r.status, 401);
    assert.equal(((r.json() as Json).error as Json).code, "invalid_api_key");
    const ok = await post(
      `${sw.url}/v1/chat/completions`,
      { model: "sim-policy-7b", messages, max_tokens: 5 },
      auth,
    );
    assert.equal(ok.status, 200);
    assert.equal(sw.requests[sw.requests.length - 1]!.headers.authorization, "Bearer sk-test");
  });

  it("limits logprobs to 5 and stop to 4, with OpenAI error codes", async () => {
    const lp = await post(
      `${sw.url}/v1/completions`,
      { model: "sim-policy-7b", prompt: "x", logprobs: 6 },
      auth,
    );
    assert.equal(lp.status, 400);
    const stop = await post(
      `${sw.url}/v1/chat/completions`,
      { model: "sim-policy-7b", messages, stop: ["a", "b", "c", "d", "e"] },
      auth,
    );
    assert.equal(stop.status, 400);
    const missing = await post(`${sw.url}/v1/chat/completions`, { model: "gpt-9", messages }, auth);
    assert.equal(((missing.json() as Json).error as Json).code, "model_not_found");
    assertSchema("ErrorResponse", missing.json(), "OpenAI error");
    const route = await post(`${sw.url}/pooling`, { model: "sim-prm-qwen", input: "x" }, auth);
    assert.equal(route.status, 404);
  });
});
