// `solve` end to end over real HTTP against simworld, with settings from all three sources.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LiveView } from "../../../src/cli/live-view.js";
import { gradeAnswer, mathAnswerKey } from "../../../src/core/answers/index.js";
import { parseTrace, runSearch } from "../../../src/core/index.js";
import { createPolicy, createVerifier } from "../../../src/endpoints/index.js";
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
  const from = sim.requests.length;
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
  // Nobody watches tokens with --json: whole responses, not streams.
  const generated = sim.requests.slice(from).filter((r) => r.path === "/v1/chat/completions");
  assert.ok(generated.length > 0);
  assert.ok(generated.every((r) => (r.body as { stream?: boolean }).stream !== true));

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

// A policy URL with a wrong path: every call is a 404 whose message names the URL, the status,
// the server's words and the fix; none of that may be cut off.
const NOT_FOUND =
  /The policy endpoint \(http:\/\/127\.0\.0\.1:\d+\/api\/nothing\/v1\/chat\/completions\) answered HTTP 404: [^\n]*check the base URL and the API style \(Test Connection detects both\)/;
const badPolicy = (...extra: string[]) => [
  "solve",
  "--policy-url",
  `${sim.url}/api/nothing`,
  "--policy-model",
  "sim-policy-7b",
  "--strategy",
  "majority",
  "--n",
  "3",
  ...extra,
  problem.problem,
];

test("off a terminal, a failed call's warning is printed whole, once", async () => {
  const child = startCli(badPolicy());
  assert.equal((await child.exited).code, 1);
  const warnings = child
    .stderr()
    .split("\n")
    .filter((l) => l.startsWith("  warning: "));
  assert.equal(warnings.length, 1, child.stderr());
  assert.match(warnings[0]!, NOT_FOUND);
  assert.match(child.stderr(), /policy calls failed \(first: The policy endpoint/);
});

test("--json --quiet: the result carries the warnings, and stderr says what failed", async () => {
  const child = startCli(badPolicy("--json", "--quiet"));
  assert.equal((await child.exited).code, 1);
  const result = JSON.parse(child.stdout()) as { error: string; warnings: string[] };
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, NOT_FOUND);
  assert.match(result.error, NOT_FOUND);
  assert.match(child.stderr(), NOT_FOUND);
});

const ESC = String.fromCharCode(27);

// A verifier that answers 400 to every call: a policy model asked to pool.
const badVerifier = () => [
  "--verifier",
  "vllm-pooling",
  "--verifier-url",
  sim.url,
  "--verifier-model",
  "sim-policy-1.5b",
];
const POOLING_400 =
  /The verifier endpoint \(http:\/\/127\.0\.0\.1:\d+\/pooling\) answered HTTP 400: The model `sim-policy-1\.5b` does not support the pooling API \(it is not a pooling model\)\./;

test("off a terminal, scoring failures are printed with their message, once per distinct message", async () => {
  const child = startCli([
    "solve",
    "--policy-url",
    sim.url,
    "--policy-model",
    "sim-policy-7b",
    ...badVerifier(),
    "--strategy",
    "best-of-n",
    "--n",
    "4",
    "--seed",
    "2",
    problem.problem,
  ]);
  assert.equal((await child.exited).code, 1);
  const failures = child
    .stderr()
    .split("\n")
    .filter((l) => l.startsWith("  scoring failed: "));
  assert.equal(failures.length, 1, child.stderr());
  assert.match(failures[0]!, POOLING_400);
  // The 4 paths were scored in one /pooling request: one failed request.
  assert.match(child.stderr(), /verifier 1 req, 0 tok · 1 failed/);
});

test("on a terminal, the frame names the latest failure and the run ends with each in full", async () => {
  let text = "";
  const live = new LiveView({
    out: { write: (s: string) => (text += s), columns: 60 },
    tty: true,
    frameMs: 5,
  });
  const policy = await createPolicy({ baseUrls: [sim.url], model: "sim-policy-7b", apiStyle: "auto" });
  const verifier = await createVerifier({
    baseUrls: [sim.url],
    model: "sim-policy-1.5b",
    kind: "vllm-pooling",
  });
  try {
    await runSearch({
      problem: { text: problem.problem },
      policy,
      verifier,
      config: { strategy: "best-of-n", n: 4, seed: 2 },
      answerKey: mathAnswerKey,
      onEvent: live.onEvent,
    });
  } finally {
    live.finish();
  }
  // Without the cursor moves between frames.
  const lines = text
    .split(`${ESC}[J`)
    .join("")
    .replace(new RegExp(`${ESC}\\[\\d+F`, "g"), "")
    .split("\n");
  assert.ok(
    lines.some((l) => /^✗ 4 failed: The verifier endpoint/.test(l) && l.length <= 59),
    text,
  );
  const full = lines.filter((l) => l.startsWith("  scoring failed: "));
  assert.equal(full.length, 1, text);
  assert.match(full[0]!, POOLING_400);
});
