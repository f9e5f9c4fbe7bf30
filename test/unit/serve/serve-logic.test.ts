// The parts of `serve` that need no server: model names, request reading, the search gate, the
// progress lines and the error mapping.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SEARCH_CONFIG, type SearchResult } from "../../../src/core/index.js";
import { EndpointError, isEndpointTimeout } from "../../../src/endpoints/index.js";
import { problemMessages, promptKey } from "../../../src/endpoints/policy/prompt.js";
import { readChatRequest } from "../../../src/serve/chat-request.js";
import { resultError, ServeError } from "../../../src/serve/errors.js";
import { SearchGate } from "../../../src/serve/gate.js";
import { modelIds, parseModel, type Offer } from "../../../src/serve/models.js";
import { ProgressLines } from "../../../src/serve/progress.js";

const offer: Offer = { search: { ...DEFAULT_SEARCH_CONFIG }, hasVerifier: true, maxBudget: 64 };

test("model names: strategy and budget, hyphens in the strategy id included", () => {
  assert.deepEqual(parseModel("tts/best-of-n-8"), { strategy: "best-of-n", n: 8 });
  assert.deepEqual(parseModel("tts/beam-16"), { strategy: "beam", n: 16 });
  assert.deepEqual(parseModel("tts/auto"), { strategy: "auto" });
  assert.deepEqual(parseModel("tts/best-of-n"), { strategy: "best-of-n" });
  for (const bad of ["beam-16", "tts/", "tts/beam-", "tts/telepathy-4", "tts/beam-16x", "gpt-4o"])
    assert.equal(parseModel(bad), null, bad);
});

test("the model list follows the registry, the verifier, the beam width and the cap", () => {
  const ids = modelIds(offer);
  for (const id of ["tts/auto-16", "tts/beam-64", "tts/best-of-n-8", "tts/majority-32", "tts/greedy"])
    assert.ok(ids.includes(id), id);
  assert.ok(!ids.includes("tts/greedy-8"), "greedy has no budget");
  assert.ok(!ids.some((id) => /-128$/.test(id)));
  // Beam search and DVTS need n to be a multiple of the beam width.
  const wide = modelIds({ ...offer, search: { ...offer.search, beamWidth: 16 } });
  assert.ok(!wide.includes("tts/beam-8") && wide.includes("tts/beam-16") && wide.includes("tts/majority-8"));
  const bare = modelIds({ ...offer, hasVerifier: false });
  assert.ok(bare.includes("tts/majority-8") && !bare.some((id) => /beam|dvts|best-of-n/.test(id)));
  const noContinuation = modelIds({ ...offer, continuation: false });
  assert.ok(!noContinuation.some((id) => /^tts\/(beam|dvts)-/.test(id)));
  assert.ok(noContinuation.includes("tts/best-of-n-8"));
});

test("a request: the last user turn is the problem, earlier turns its context, knobs within limits", () => {
  const r = readChatRequest(
    {
      model: "tts/beam-16",
      temperature: 0.5,
      seed: 3,
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
      tts: { maxSteps: 10, aggregation: "min", progress: false },
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "assistant", content: "Hello." },
        { role: "user", content: "  What is 2+2?  " },
      ],
    },
    offer,
  );
  assert.deepEqual(r.problem, {
    text: "What is 2+2?",
    context: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
    ],
  });
  assert.deepEqual(r.config, {
    strategy: "beam",
    n: 16,
    temperature: 0.5,
    seed: 3,
    maxSteps: 10,
    aggregation: "min",
  });
  assert.deepEqual([r.stream, r.includeUsage, r.choices, r.progress], [true, true, 2, false]);
  // A bare strategy name gets the settings' n, within the cap.
  const bare = readChatRequest({ model: "tts/majority", messages: [{ role: "user", content: "x" }] }, offer);
  assert.equal(bare.config.n, DEFAULT_SEARCH_CONFIG.n);
});

test("a request past a limit is refused naming the field", () => {
  const ask = [{ role: "user", content: "x" }];
  const refuse = (body: Record<string, unknown>, status: number, param: string | null) => {
    assert.throws(
      () => readChatRequest(body, offer),
      (e: unknown) => e instanceof ServeError && e.status === status && e.param === param,
      JSON.stringify(body),
    );
  };
  refuse({ model: "tts/beam-128", messages: ask }, 400, "model");
  refuse({ model: "tts/beam-16", messages: ask, tts: { n: 65 } }, 400, "tts.n");
  refuse({ model: "tts/beam-16", messages: ask, tts: { maxTokens: 1_000_000 } }, 400, "tts.maxTokens");
  refuse({ model: "tts/beam-16", messages: ask, tts: { earlyStop: "yes" } }, 400, "tts.earlyStop");
  refuse({ model: "tts/beam-16", messages: ask, seed: 1.5 }, 400, "seed");
  refuse({ model: "tts/beam-16", messages: [{ role: "tool", content: "x" }] }, 400, "messages[0].role");
  refuse({ model: "llama3", messages: ask }, 404, "model");
  refuse({ model: "tts/beam-16", messages: "x" }, 400, "messages");
  refuse({ messages: ask }, 400, "model");
});

test("the gate runs k at once, queues m in order, refuses the rest, and lets a waiter leave", async () => {
  const gate = new SearchGate(1, 3);
  const order: string[] = [];
  const first = await gate.enter();
  const a = gate.enter().then((leave) => (order.push("a"), leave));
  const left = new AbortController();
  const b = gate.enter(left.signal);
  const c = gate.enter().then((leave) => (order.push("c"), leave));
  await assert.rejects(gate.enter(), (e: unknown) => e instanceof ServeError && e.status === 429);
  left.abort();
  await assert.rejects(b, (e: unknown) => e instanceof Error && e.name === "AbortError");
  assert.deepEqual([gate.active, gate.queued], [1, 2]);
  first();
  (await a)();
  (await c)();
  assert.deepEqual(order, ["a", "c"]);
  assert.deepEqual([gate.active, gate.queued], [0, 0]);
  // A freed turn goes to the next waiter, never to a newcomer.
  const held = await gate.enter();
  const waiter = gate.enter();
  held();
  assert.deepEqual([gate.active, gate.queued], [1, 0]);
  const newcomer = gate.enter();
  assert.equal(gate.queued, 1, "the newcomer waits behind the one the turn went to");
  (await waiter)();
  (await newcomer)();
  assert.equal(gate.active, 0);
});

test("progress lines: the start, and a tally at most once per interval", () => {
  const p = new ProgressLines(500);
  const tally = [{ group: "g", answer: "4", votes: 2, scoreSum: 1, bestScore: 0.9 }];
  assert.match(
    p.line({
      type: "run-started",
      t: 0,
      problem: { text: "x" },
      config: { ...DEFAULT_SEARCH_CONFIG },
      policy: "p",
      verifier: null,
    }) ?? "",
    /^Searching: beam, n = 8, policy p\.$/,
  );
  assert.equal(p.line({ type: "path-finished", t: 1, id: "n1", answer: "4" }), null);
  assert.equal(
    p.line({ type: "answer-tally", t: 2, tally }),
    "1 solution finished; leading answer 4 (2 votes).",
  );
  assert.equal(p.line({ type: "answer-tally", t: 100, tally }), null);
  assert.match(p.line({ type: "answer-tally", t: 600, tally }) ?? "", /leading answer 4/);
});

test("timeouts are told apart from other upstream failures, from the error or its message", () => {
  const timeout = new EndpointError({
    endpoint: "policy",
    url: "http://h:1/v1",
    transport: "first-token-timeout",
  });
  const refused = new EndpointError({ endpoint: "policy", url: "http://h:1/v1", transport: "refused" });
  const status = new EndpointError({ endpoint: "policy", url: "http://h:1/v1", status: 500 });
  assert.equal(isEndpointTimeout(timeout), true);
  assert.equal(isEndpointTimeout(timeout.message), true);
  assert.equal(isEndpointTimeout(refused), false);
  assert.equal(isEndpointTimeout(status.message), false);
  const failed = (message: string): SearchResult =>
    ({
      chosen: null,
      error: "The search produced no finished solution.",
      errorCode: "no-solution",
      failures: [{ role: "policy", message, paths: 4, code: "endpoint" }],
    }) as unknown as SearchResult;
  assert.equal(resultError(failed(timeout.message))?.status, 504);
  assert.equal(resultError(failed(status.message))?.status, 502);
});

test("a problem's earlier turns go between the system prompt and the problem, and key its prompt", () => {
  const problem = { text: "2+2?", context: [{ role: "user" as const, content: "Hi" }] };
  assert.deepEqual(
    problemMessages(problem, "S").map((m) => m.role),
    ["system", "user", "user"],
  );
  assert.notEqual(promptKey(problem), promptKey({ text: "2+2?" }));
  assert.equal(promptKey({ text: "2+2?" }), "2+2?");
});
