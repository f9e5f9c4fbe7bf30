// The CLI against real llama-servers: `check` (Test Connection) on a plain server, one with
// --no-prefill-assistant and one with --api-key; `solve` naming the server and its API style;
// a small bench that resumes, and refuses the store of another model.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startCli } from "../integration/cli/cli-helpers.js";
import { realSuite, startServer, type RealServer } from "./llama-server/server.js";

const KEY = "sk-real-suite-key-0123456789";
// No config file or variables of the machine running the tests.
const CLEAN = { TTS_REASONER_CONFIG: "", TTS_REASONER_POLICY_MODEL: "", TTS_REASONER_POLICY_API_KEY: "" };

async function cli(args: string[], env: Record<string, string> = {}) {
  const child = startCli(args, { ...CLEAN, ...env });
  const { code } = await child.exited;
  return { code, out: child.stdout(), err: child.stderr() };
}

interface Report {
  ok: boolean;
  lines: string[];
  policy: { flavour?: string; build?: string; slots?: number; assistantPrefill?: boolean; maxN?: number };
  verifier: { ok: boolean; scores?: number[] } | null;
}

describe("real llama-server: the CLI", realSuite(), () => {
  let plain: RealServer;
  let noPrefill: RealServer;
  let keyed: RealServer;
  let other: RealServer;
  before(async () => {
    [plain, noPrefill, keyed, other] = await Promise.all([
      startServer({ slots: 4 }),
      startServer({ slots: 2, args: ["--no-prefill-assistant"] }),
      startServer({ slots: 2, args: ["--api-key", KEY] }),
      startServer({ slots: 2, args: ["--alias", "another-model"] }),
    ]);
  });
  after(async () => {
    await Promise.all([plain, noPrefill, keyed, other].map((s) => s?.stop()));
  });

  it("check: the same report as Test Connection, as text and as JSON, with build, slots and a real score", async () => {
    const args = ["check", "--policy-url", plain.url, "--verifier", "token-logprob"];
    const text = await cli(args);
    assert.equal(text.code, 0, text.out + text.err);
    assert.match(text.out, /llama\.cpp server/);
    assert.match(text.out, /build b\d+/);
    assert.match(text.out, /4 slot\(s\); assistant prefill on/);
    assert.match(text.out, /✓ Verifier scored a 2-step solution/);
    const json = await cli([...args, "--json"]);
    assert.equal(json.code, 0);
    const report = JSON.parse(json.out) as Report;
    assert.equal(report.ok, true);
    assert.equal(report.policy.flavour, "llamacpp");
    assert.equal(report.policy.slots, 4);
    assert.equal(report.policy.maxN, 4);
    assert.equal(report.policy.assistantPrefill, true);
    assert.equal(report.verifier?.scores?.length, 2);
  });

  it("check: a model name the single-model server does not list is not a failure (it serves any name)", async () => {
    const r = await cli(["check", "--policy-url", plain.url, "--policy-model", "no-such-model", "--json"]);
    const report = JSON.parse(r.out) as Report;
    assert.equal(r.code, 0, report.lines.join("\n"));
    assert.ok(report.lines.some((l) => /serves one model, .* under any name/.test(l)));
  });

  it("check: --no-prefill-assistant is detected; chat-continue fails clearly, auto still continues", async () => {
    const chat = await cli(["check", "--policy-url", noPrefill.url, "--policy-api-style", "chat-continue"]);
    assert.equal(chat.code, 1);
    assert.match(chat.out, /✗ .*--no-prefill-assistant/);
    const auto = await cli(["check", "--policy-url", noPrefill.url, "--json"]);
    const report = JSON.parse(auto.out) as Report;
    assert.equal(auto.code, 0, report.lines.join("\n"));
    assert.equal(report.policy.assistantPrefill, false);
    assert.ok(report.lines.some((l) => l.startsWith("✓ Policy continuation")));
  });

  it("check: --api-key refuses a missing key clearly and passes with it", async () => {
    const without = await cli(["check", "--policy-url", keyed.url]);
    assert.equal(without.code, 1);
    assert.match(without.out, /401|key/i);
    const withKey = await cli(["check", "--policy-url", keyed.url], { TTS_REASONER_POLICY_API_KEY: KEY });
    assert.equal(withKey.code, 0, withKey.out);
  });

  it("solve majority n=64 names the server and API style; at most 16 policy requests, no retries", async () => {
    const args = [
      "solve",
      "--policy-url",
      plain.url,
      "--strategy",
      "majority",
      "--n",
      "64",
      "--max-tokens",
      "48",
    ];
    const json = await cli([...args, "--early-stop", "false", "--json", "--quiet", "What is $2 + 3$?"]);
    const result = JSON.parse(json.out) as {
      cost: { policy: { requests: number; retries: number } };
      candidates: number;
      policyEndpoint: { flavour: string; apiStyle: string; build?: string };
    };
    assert.equal(result.candidates, 64);
    assert.ok(result.cost.policy.requests <= 16, `${result.cost.policy.requests} requests`);
    assert.equal(result.cost.policy.retries, 0);
    assert.equal(result.policyEndpoint.flavour, "llamacpp");
    assert.equal(result.policyEndpoint.apiStyle, "completions-template");
    const text = await cli([...args.slice(0, 3), "--n", "4", "What is $2 + 3$?"]);
    assert.match(text.err, /Policy: llama\.cpp server b\d+\S* at .*, API style completions-template/);
  });

  for (const [strategy, verifier] of [
    ["greedy", "none"],
    ["best-of-n", "token-logprob"],
    ["best-of-n", "llm-judge"],
    ["beam", "token-logprob"],
    ["dvts", "llm-judge"],
    ["auto", "token-logprob"],
  ] as const)
    it(`solve --strategy ${strategy}${verifier === "none" ? "" : ` --verifier ${verifier}`}: finishes, no retries`, async () => {
      const r = await cli([
        "solve",
        ...["--policy-url", plain.url, "--strategy", strategy, "--n", "8", "--beam-width", "4"],
        ...["--max-tokens", "32", "--max-steps", "4", "--json", "--quiet"],
        ...(verifier === "none" ? [] : ["--verifier", verifier]),
        "What is $2 + 3$?",
      ]);
      const result = JSON.parse(r.out) as {
        error?: string;
        candidates: number;
        cost: { policy: { retries: number }; verifier: { retries: number } };
      };
      assert.equal(result.error, undefined, r.err);
      assert.ok(result.candidates >= 1);
      assert.equal(result.cost.policy.retries + result.cost.verifier.retries, 0);
    });

  it("bench: resumes its runs, titles the report with the served model, refuses the store of another model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tts-real-bench-"));
    const data = join(dir, "problems.jsonl");
    writeFileSync(
      data,
      [
        { id: "a", problem: "What is $2 + 3$?", answer: "5" },
        { id: "b", problem: "What is $1 + 6$?", answer: "7" },
      ]
        .map((p) => JSON.stringify(p))
        .join("\n") + "\n",
    );
    const out = join(dir, "out");
    const bench = (url: string) =>
      cli([
        "bench",
        "--data",
        data,
        "--out",
        out,
        "--strategies",
        "majority",
        "--n",
        "4",
        "--policy-url",
        url,
      ]);
    const first = await bench(plain.url);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /tiny\.gguf/, "the report title names the served model");
    const again = await bench(plain.url);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /Resuming: 2 runs/);
    const another = await bench(other.url);
    assert.equal(another.code, 1);
    assert.match(another.err, /another setup/);
  });
});
