// `serve` under load and cancellation, against simworld with its realistic latency model (so
// searches overlap): a client that goes away stops the upstream requests, and 20 clients at once
// are each answered or refused with 429, none left hanging.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { generateProblems } from "../../simworld/index.js";
import { assertSchema } from "../simworld/helpers.js";
import { startServed, until, type Served } from "./serve-helpers.js";

const problems = generateProblems({ count: 20, seed: 44, levels: [3, 4] });
let s: Served;

before(async () => {
  // Keep-alive comments every 20 ms: a search under the latency model outlasts several.
  s = await startServed({ latency: "realistic" }, {}, { maxActive: 2, maxQueued: 8, heartbeatMs: 20 });
});
after(() => s.close());

test("a client that goes away stops the search and its upstream requests", async (t) => {
  // Every upstream answer waits 10 s before its first byte, so the abort always lands mid-answer,
  // however loaded the machine is.
  const s = await startServed({ faults: "slow=1", slowMs: 10_000 }, {}, { maxActive: 2, maxQueued: 8 });
  t.after(() => s.close());
  const cancelledBefore = s.sim.cancelledRequests();
  const controller = new AbortController();
  const pending = s
    .client()
    .chat.completions.create(
      { model: "tts/beam-16", messages: [{ role: "user", content: problems[0]!.problem }] },
      { signal: controller.signal },
    );
  const rejected = assert.rejects(pending, (e: unknown) => e instanceof OpenAI.APIUserAbortError);
  const sentBefore = s.sim.requests.length;
  await until(() => s.sim.activeRequests() > 0, "simworld answers the search's requests");
  controller.abort();
  await rejected;
  await until(() => s.sim.activeRequests() === 0, "simworld sees every upstream request end");
  assert.ok(s.sim.cancelledRequests() > cancelledBefore, "upstream requests were closed mid-answer");
  // Nothing more is sent for the cancelled search.
  const sentAfter = s.sim.requests.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.sim.requests.length, sentAfter);
  assert.ok(sentAfter > sentBefore);
  await until(() => s.log.some((l) => l.status === 499), "the request log records the client going away");
  const health = (await (await fetch(s.serve.url.replace(/\/v1$/, "/health"))).json()) as {
    searches: { active: number };
  };
  assert.equal(health.searches.active, 0);
});

test("20 clients at once: each answered or refused with 429, never hung", { timeout: 120_000 }, async () => {
  const client = s.client();
  const outcomes = await Promise.all(
    problems.map(async (p) => {
      try {
        const c = await client.chat.completions.create({
          model: "tts/majority-4",
          messages: [{ role: "user", content: p.problem }],
        });
        return { status: 200, answer: (c as unknown as { tts: { answer: string | null } }).tts.answer };
      } catch (e) {
        if (!(e instanceof OpenAI.APIError)) throw e;
        assert.equal(e.status, 429, e.message);
        assert.equal(e.code, "rate_limit_exceeded");
        assert.equal(e.headers?.get("retry-after"), "1");
        return { status: 429, answer: null };
      }
    }),
  );
  const answered = outcomes.filter((o) => o.status === 200).length;
  const refused = outcomes.filter((o) => o.status === 429).length;
  assert.equal(answered + refused, 20);
  // Two run and eight wait: at least those ten are answered; the rest found the queue full.
  assert.ok(answered >= 10, `${answered} answered`);
  assert.ok(refused >= 1, `${refused} refused`);
  assert.ok(outcomes.filter((o) => o.status === 200).every((o) => o.answer !== null));

  // The refusal in the raw: OpenAI's error envelope.
  const burst = await Promise.all(
    problems.slice(0, 12).map((p) =>
      fetch(`${s.serve.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "tts/majority-4", messages: [{ role: "user", content: p.problem }] }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown })),
    ),
  );
  const refusal = burst.find((r) => r.status === 429);
  assert.ok(refusal, "12 at once overflow 2 running + 8 waiting");
  assertSchema("ErrorResponse", refusal.body, "the 429");
});

test("a quiet stream (no progress) carries keep-alive comments, which the client skips", async () => {
  const body = JSON.stringify({
    model: "tts/beam-8",
    stream: true,
    tts: { progress: false },
    messages: [{ role: "user", content: problems[1]!.problem }],
  });
  const res = await fetch(`${s.serve.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  assert.match(text, /^: keep-alive\n\n/m);
  assert.ok(text.endsWith("data: [DONE]\n\n"));
  // The same request through the SDK: comments are not chunks.
  // Extra fields go as they are (the SDK's documented way); a variable skips the literal check.
  const params = {
    model: "tts/beam-8",
    stream: true as const,
    messages: [{ role: "user" as const, content: problems[1]!.problem }],
    tts: { progress: false },
  };
  const stream = await s.client().chat.completions.create(params);
  let content = "";
  for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
  assert.ok(content.length > 0);
});
