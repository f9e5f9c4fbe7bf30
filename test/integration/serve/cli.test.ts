// `tts-reasoner serve` as a user starts it: the base URL on stdout, a warning when it listens
// beyond loopback without a key, one log line per request, and a clean stop on SIGTERM.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { startCli, waitFor } from "../cli/cli-helpers.js";
import { cliArgs, simFlags } from "./serve-helpers.js";

let sim: Simworld;
before(async () => {
  sim = await startSimworld({ flavour: "vllm", port: 0, seed: 3 });
});
after(() => sim.close());

test("serve --host 0.0.0.0 without a key warns, answers, logs, and stops on SIGTERM", async () => {
  const child = startCli(["serve", "--port", "0", "--host", "0.0.0.0", ...cliArgs(simFlags(sim))], {
    TTS_REASONER_SERVE_API_KEY: "",
  });
  try {
    await waitFor("the base URL on stdout", () => /\/v1\n/.test(child.stdout()), 30_000);
    assert.match(child.stderr(), /Warning: serving on 0\.0\.0\.0 without an API key/);
    const port = /:(\d+)\/v1/.exec(child.stdout())![1];
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
    const problem = generateProblems({ count: 1, seed: 8, levels: [2] })[0]!;
    const completion = await client.chat.completions.create({
      model: "tts/majority-4",
      messages: [{ role: "user", content: problem.problem }],
    });
    assert.ok(completion.choices[0]!.message.content);
    await waitFor("the request's log line", () =>
      /"path":"\/v1\/chat\/completions","status":200/.test(child.stderr()),
    );
    assert.ok(!child.stderr().includes(problem.problem.slice(0, 30)), "no prompt in the log unless asked");
  } finally {
    child.proc.kill("SIGTERM");
  }
  const { code } = await child.exited;
  assert.equal(code, 0, child.stderr());
});

test("serve on loopback (the default) with a key prints no warning", async () => {
  const child = startCli(["serve", "--port", "0", ...cliArgs(simFlags(sim))], {
    TTS_REASONER_SERVE_API_KEY: "k",
  });
  try {
    await waitFor("the base URL on stdout", () => /\/v1\n/.test(child.stdout()), 30_000);
    assert.match(child.stdout(), /^http:\/\/127\.0\.0\.1:\d+\/v1\n$/);
    assert.doesNotMatch(child.stderr(), /Warning/);
    const port = /:(\d+)\/v1/.exec(child.stdout())![1];
    const res = await fetch(`http://127.0.0.1:${port}/v1/models`);
    assert.equal(res.status, 401);
  } finally {
    child.proc.kill("SIGTERM");
  }
  assert.equal((await child.exited).code, 0);
});
