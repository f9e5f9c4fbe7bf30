// `serve` driven by the official `openai` client against simworld: the answer, whole or
// streamed, is what `solve` prints for the same settings and seed, the usage adds up to every
// policy and verifier token, and the replies match OpenAI's own schemas.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type OpenAI from "openai";
import { generateProblems } from "../../simworld/index.js";
import { startCli } from "../cli/cli-helpers.js";
import { assertSchema, get } from "../simworld/helpers.js";
import { cliArgs, simFlags, startServed, type Served } from "./serve-helpers.js";

const problem = generateProblems({ count: 3, seed: 21, levels: [3] })[2]!;
let s: Served;

before(async () => {
  s = await startServed();
});
after(() => s.close());

interface Tts {
  answer: string | null;
  strategy: string;
  tally: { answer: string; votes: number }[];
  cost: {
    policy: { promptTokens: number; completionTokens: number; requests: number };
    verifier: { promptTokens: number; completionTokens: number; requests: number };
  };
}

interface SolveJson {
  answer: string | null;
  strategy: string;
  chosen: { steps: { text: string }[] };
  tally: { answer: string; votes: number }[];
  cost: Tts["cost"];
}

async function solveJson(extra: Record<string, string>): Promise<SolveJson> {
  const child = startCli(["solve", ...cliArgs(simFlags(s.sim, extra)), "--json", problem.problem]);
  const { code } = await child.exited;
  assert.equal(code, 0, child.stderr());
  return JSON.parse(child.stdout()) as SolveJson;
}

function tokens(cost: Tts["cost"]): { prompt: number; completion: number } {
  return {
    prompt: cost.policy.promptTokens + cost.verifier.promptTokens,
    completion: cost.policy.completionTokens + cost.verifier.completionTokens,
  };
}

for (const [model, strategy, n] of [
  ["tts/beam-8", "beam", "8"],
  ["tts/majority-4", "majority", "4"],
] as const) {
  test(`${model}: the non-streamed answer is solve's for the same seed, and the usage adds up`, async () => {
    const solved = await solveJson({ strategy, n, seed: "1" });
    const completion = await s.client().chat.completions.create({
      model,
      seed: 1,
      messages: [{ role: "user", content: problem.problem }],
    });
    assertSchema("CreateChatCompletionResponse", completion, "the completion");
    const tts = (completion as unknown as { tts: Tts }).tts;
    assert.equal(completion.model, model);
    assert.equal(completion.choices.length, 1);
    assert.equal(completion.choices[0]!.message.content, solved.chosen.steps.map((x) => x.text).join("\n\n"));
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.equal(tts.answer, solved.answer);
    assert.equal(tts.strategy, solved.strategy);
    assert.deepEqual(
      tts.tally.map((t) => [t.answer, t.votes]),
      solved.tally.map((t) => [t.answer, t.votes]),
    );
    // Usage: every policy and verifier token, and the same search as solve's.
    const spent = tokens(tts.cost);
    assert.deepEqual(completion.usage, {
      prompt_tokens: spent.prompt,
      completion_tokens: spent.completion,
      total_tokens: spent.prompt + spent.completion,
    });
    assert.deepEqual(spent, tokens(solved.cost));
    assert.ok(tts.cost.policy.requests > 0);
    if (strategy === "beam") assert.ok(tts.cost.verifier.promptTokens > 0, "the PRM's tokens count");
  });
}

test("streamed: progress as reasoning_content, then the same solution, usage, [DONE]", async () => {
  const solved = await solveJson({ strategy: "beam", n: "8", seed: "1" });
  const stream = await s.client().chat.completions.create({
    model: "tts/beam-8",
    seed: 1,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: "user", content: problem.problem }],
  });
  let content = "";
  let progress = "";
  let usage: OpenAI.CompletionUsage | null | undefined;
  let tts: Tts | undefined;
  let firstContentAfterProgress = true;
  for await (const chunk of stream) {
    assertSchema("CreateChatCompletionStreamResponse", chunk, "a chunk");
    const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
    if (delta?.reasoning_content) {
      progress += delta.reasoning_content;
      if (content) firstContentAfterProgress = false;
    }
    content += delta?.content ?? "";
    if (chunk.usage) usage = chunk.usage;
    const extra = (chunk as unknown as { tts?: Tts }).tts;
    if (extra) tts = extra;
  }
  assert.equal(content, solved.chosen.steps.map((x) => x.text).join("\n\n"));
  assert.match(progress, /^Searching: beam, n = 8/);
  assert.match(progress, /leading answer/);
  assert.ok(firstContentAfterProgress, "progress comes before the solution");
  assert.equal(tts?.answer, solved.answer);
  const spent = tokens(solved.cost);
  assert.deepEqual(usage, {
    prompt_tokens: spent.prompt,
    completion_tokens: spent.completion,
    total_tokens: spent.prompt + spent.completion,
  });
});

test("the raw stream ends with data: [DONE], and tts.progress: false sends no progress", async () => {
  const res = await fetch(`${s.serve.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "tts/majority-4",
      stream: true,
      tts: { progress: false },
      messages: [{ role: "user", content: problem.problem }],
    }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const text = await res.text();
  assert.ok(text.endsWith("data: [DONE]\n\n"), text.slice(-200));
  assert.doesNotMatch(text, /reasoning_content/);
});

test("n = 2 returns a second choice with another answer; earlier turns are context, the last user turn the problem", async () => {
  const completion = await s.client().chat.completions.create({
    model: "tts/majority-8",
    n: 2,
    seed: 5,
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi! Send me a problem." },
      { role: "user", content: problem.problem },
    ],
  });
  assertSchema("CreateChatCompletionResponse", completion, "the completion");
  const tts = (completion as unknown as { tts: Tts }).tts;
  // This seed's vote has two answers: a choice for each, the winner's first.
  assert.equal(tts.tally.length, 2);
  assert.deepEqual(
    completion.choices.map((c) => c.index),
    [0, 1],
  );
  assert.notEqual(completion.choices[0]!.message.content, completion.choices[1]!.message.content);
  // The policy got the conversation: its earlier turns, then the problem, not the client's system prompt.
  const sent = s.sim.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)?.body as {
    messages: { role: string; content: string }[];
  };
  assert.deepEqual(
    sent.messages.slice(0, 4).map((m) => m.role),
    ["system", "user", "assistant", "user"],
  );
  assert.equal(sent.messages[1]!.content, "Hello");
  assert.equal(sent.messages[3]!.content, problem.problem);
  assert.notEqual(sent.messages[0]!.content, "You are a helpful assistant.");
});

test("/v1/models lists the virtual models in OpenAI's shape; /health says how busy it is", async () => {
  const page = await s.client().models.list();
  const ids = page.data.map((m) => m.id);
  for (const id of [
    "tts/auto-16",
    "tts/beam-64",
    "tts/best-of-n-8",
    "tts/majority-32",
    "tts/dvts-16",
    "tts/greedy",
  ])
    assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);
  assert.ok(!ids.some((id) => /-(128|256)$/.test(id)), "nothing over the budget cap");
  const raw = await get(`${s.serve.url}/models`);
  assertSchema("ListModelsResponse", raw.json(), "/v1/models");
  const one = await s.client().models.retrieve("tts/beam-16");
  assert.equal(one.id, "tts/beam-16");
  const health = await get(s.serve.url.replace(/\/v1$/, "/health"));
  assert.equal(health.status, 200);
  const body = health.json() as { status: string; searches: { active: number; queued: number } };
  assert.equal(body.status, "ok");
  assert.deepEqual([body.searches.active, body.searches.queued], [0, 0]);
});

test("each request is one log line, without the problem text", () => {
  const chats = s.log.filter((l) => l.path === "/v1/chat/completions");
  assert.ok(chats.length >= 4);
  for (const line of chats) {
    assert.equal(line.status, 200);
    assert.equal(line.prompt, undefined);
    assert.ok(!JSON.stringify(line).includes(problem.problem.slice(0, 30)));
    assert.ok((line.promptTokens ?? 0) > 0);
  }
});

test("tts/auto-16 reports the strategy Auto used, and its decision", async () => {
  const completion = await s.client().chat.completions.create({
    model: "tts/auto-16",
    seed: 2,
    messages: [{ role: "user", content: problem.problem }],
  });
  const tts = (completion as unknown as { tts: Tts & { requested: string; decision?: { method: string } } })
    .tts;
  assert.equal(tts.requested, "auto");
  assert.ok(tts.decision, "Auto's decision is in the tts field");
  assert.equal(tts.strategy, tts.decision.method);
  assert.notEqual(tts.strategy, "auto");
});

test("tts/greedy writes one solution; --log-prompts puts the problem in the log line", async () => {
  const logged = await startServed({}, {}, { logPrompts: true });
  try {
    const completion = await logged.client().chat.completions.create({
      model: "tts/greedy",
      messages: [{ role: "user", content: problem.problem }],
    });
    const tts = (completion as unknown as { tts: Tts & { candidates: number } }).tts;
    assert.deepEqual([tts.strategy, tts.candidates], ["greedy", 1]);
    assert.equal(logged.log.find((l) => l.path === "/v1/chat/completions")?.prompt, problem.problem);
  } finally {
    await logged.close();
  }
});
