// `solve` end to end over real HTTP against simworld, with settings from all three sources.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gradeAnswer } from "../../../src/core/answers/index.js";
import { parseTrace } from "../../../src/core/index.js";
import { generateProblems, startSimworld, type Simworld } from "../../simworld/index.js";
import { startCli } from "./cli-helpers.js";

let sim: Simworld;
const dir = mkdtempSync(join(tmpdir(), "tts-solve-"));
const problem = generateProblems({ count: 3, seed: 21, levels: [3] })[2]!;

before(async () => {
  sim = await startSimworld({ flavour: "vllm", port: 0, seed: 3 });
});
after(() => sim.close());

interface SolveJson {
  answer: string | null;
  strategy: string;
  chosen: { answer: string; score: number; steps: { text: string; score: number }[] };
  tally: { answer: string; votes: number }[];
  cost: { policy: { requests: number }; verifier: { requests: number } };
}

test("solve --json with beam search and a /pooling PRM prints the right answer", async () => {
  const trace = join(dir, "run.trace.jsonl");
  const child = startCli([
    "solve",
    "--policy-url",
    sim.url,
    "--policy-model",
    "sim-policy-1.5b",
    "--verifier",
    "vllm-pooling",
    "--verifier-url",
    sim.url,
    "--verifier-model",
    "sim-prm-qwen",
    "--strategy",
    "beam",
    "--n",
    "8",
    "--seed",
    "1",
    "--json",
    "--trace",
    trace,
    problem.problem,
  ]);
  const { code } = await child.exited;
  assert.equal(code, 0, child.stderr());
  const result = JSON.parse(child.stdout()) as SolveJson;
  assert.ok(
    gradeAnswer(problem.answer, result.answer ?? "").equal,
    `${result.answer} vs gold ${problem.answer}`,
  );
  assert.equal(result.strategy, "beam");
  assert.ok(result.chosen.steps.length >= 2);
  assert.ok(result.chosen.steps.every((s) => typeof s.score === "number" && s.score >= 0 && s.score <= 1));
  assert.ok(result.cost.verifier.requests > 0);

  // The trace replays to the same answer, and `trace` summarizes it.
  const events = parseTrace(readFileSync(trace, "utf8"));
  assert.equal(events.at(-1)?.type, "run-finished");
  const summary = startCli(["trace", trace]);
  assert.equal((await summary.exited).code, 0, summary.stderr());
  assert.match(summary.stdout(), new RegExp(`Answer: +${result.answer}`));
  assert.match(summary.stdout(), /Verifier: vllm-pooling:sim-prm-qwen/);
});

test("settings come from flags over the environment over --config", async () => {
  const config = join(dir, "tts.yaml");
  writeFileSync(
    config,
    [
      "ttsReasoner.policy.baseUrls:",
      `  - ${sim.url}`,
      "policy:",
      "  model: sim-policy-72b",
      "verifier:",
      "  kind: vllm-pooling",
      "  model: sim-prm-qwen",
      "search:",
      "  strategy: best-of-n",
      "  n: 2",
    ].join("\n"),
  );
  const child = startCli(["solve", "--config", config, "--n", "3", "--json", "--quiet", problem.problem], {
    TTS_REASONER_POLICY_MODEL: "sim-policy-7b",
    TTS_REASONER_SEARCH_N: "5",
  });
  assert.equal((await child.exited).code, 0, child.stderr());
  const result = JSON.parse(child.stdout()) as SolveJson & { candidates: number };
  assert.equal(result.strategy, "best-of-n", "from the file");
  assert.equal(result.candidates, 3, "the flag beats the environment and the file");
  const chat = sim.requests
    .filter((r) => r.path === "/v1/chat/completions" || r.path === "/v1/completions")
    .at(-1);
  assert.equal((chat?.body as { model?: string }).model, "sim-policy-7b", "the environment beats the file");
  assert.equal(child.stderr(), "", "--quiet: nothing on stderr");
});

test("errors name what to set", async () => {
  const child = startCli(["solve", "--json", "1+1"], { TTS_REASONER_CONFIG: "" });
  assert.equal((await child.exited).code, 1);
  assert.match(child.stderr(), /policy\.baseUrls is empty/);
  const strat = startCli(["solve", "--policy-url", sim.url, "--strategy", "beam", "1+1"]);
  assert.equal((await strat.exited).code, 1);
  assert.match(strat.stderr(), /needs a verifier|verifier/i);
});
