// A conversation's earlier turns reach a policy that is prompted through a template (llama.cpp's
// own, rendered by /apply-template): they are rendered before the problem, and a problem with
// no earlier turns still reuses the learnt frame without a render request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { generateProblems } from "../../simworld/index.js";
import { startServed, type Served } from "./serve-helpers.js";

const problem = generateProblems({ count: 1, seed: 5, levels: [2] })[0]!;
let s: Served;

before(async () => {
  s = await startServed({ flavour: "llamacpp" }, { verifier: "none" });
});
after(() => s.close());

const prompts = (): string[] =>
  s.sim.requests.filter((r) => r.path === "/completion").map((r) => (r.body as { prompt: string }).prompt);

test("earlier turns are rendered before the problem by the server's template", async () => {
  const completion = await s.client().chat.completions.create({
    model: "tts/majority-4",
    seed: 1,
    messages: [
      { role: "user", content: "Earlier question" },
      { role: "assistant", content: "Earlier answer" },
      { role: "user", content: problem.problem },
    ],
  });
  assert.ok(completion.choices[0]!.message.content);
  const prompt = prompts().at(-1)!;
  const q = prompt.indexOf("Earlier question");
  const a = prompt.indexOf("Earlier answer");
  const p = prompt.indexOf(problem.problem);
  assert.ok(q >= 0 && q < a && a < p, prompt.slice(0, 400));
  const rendered = s.sim.requests.filter((r) => r.path === "/apply-template").at(-1)!.body as {
    messages: { role: string }[];
  };
  assert.deepEqual(
    rendered.messages.map((m) => m.role),
    ["system", "user", "assistant", "user"],
  );
});

test("a lone problem uses the learnt frame: no render request, no earlier turns", async () => {
  const renders = s.sim.requests.filter((r) => r.path === "/apply-template").length;
  await s.client().chat.completions.create({
    model: "tts/majority-4",
    seed: 1,
    messages: [{ role: "user", content: problem.problem }],
  });
  assert.equal(s.sim.requests.filter((r) => r.path === "/apply-template").length, renders);
  assert.doesNotMatch(prompts().at(-1)!, /Earlier/);
});
