// `tts-reasoner check` against simworld: Test Connection's report from the CLI, text and JSON.
import assert from "node:assert/strict";
import { test } from "node:test";
import { withSim } from "../endpoints/sim.js";
import { startCli } from "./cli-helpers.js";

const CLEAN = { TTS_REASONER_CONFIG: "" };

async function check(args: string[]) {
  const child = startCli(["check", ...args], CLEAN);
  const { code } = await child.exited;
  return { code, out: child.stdout(), err: child.stderr() };
}

test("check on llama.cpp: slots, build, prefill and a real score; exit 0", () =>
  withSim({ flavour: "llamacpp" }, async (sim) => {
    const args = [
      "--policy-url",
      sim.url,
      "--verifier",
      "token-logprob",
      "--verifier-model",
      "sim-prm-shepherd",
    ];
    const text = await check(args);
    assert.equal(text.code, 0, text.out + text.err);
    assert.match(text.out, /• Policy server build b6500-simworld, 4 slot\(s\); assistant prefill on\./);
    assert.match(text.out, /✓ Verifier scored a 2-step solution/);
    const json = await check([...args, "--json"]);
    const report = JSON.parse(json.out) as { ok: boolean; policy: { slots: number; maxN: number } };
    assert.equal(report.ok, true);
    assert.equal(report.policy.slots, 4);
    assert.equal(report.policy.maxN, 4);
  }));

test("check on a dead port fails with the endpoint named; exit 1", async () => {
  const r = await check(["--policy-url", "http://127.0.0.1:9", "--json"]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out) as { ok: boolean; summary: string };
  assert.equal(report.ok, false);
  assert.match(report.summary, /127\.0\.0\.1:9/);
});
