import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Command } from "commander";
import {
  addSettingOptions,
  API_KEY_ENV,
  describeSettings,
  envName,
  readConfigFile,
  resolveSettings,
  runSettings,
  SETTING_FLAGS,
  settingsFromOptions,
} from "../../../src/cli/config.js";
import { SETTING_SPECS } from "../../../src/app/settings/index.js";

const dir = mkdtempSync(join(tmpdir(), "tts-cli-config-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function parse(argv: string[]): Record<string, unknown> {
  const cmd = addSettingOptions(new Command().exitOverride());
  cmd.parse(argv, { from: "user" });
  return cmd.opts();
}

test("every setting has a distinct flag and an environment variable", () => {
  const flags = SETTING_SPECS.map((s) => SETTING_FLAGS[s.key]);
  assert.ok(
    flags.every((f) => typeof f === "string" && f.length > 0),
    "a setting has no CLI flag",
  );
  assert.equal(new Set(flags).size, flags.length);
  assert.equal(envName("policy.baseUrls"), "TTS_REASONER_POLICY_BASE_URLS");
  assert.equal(envName("search.n"), "TTS_REASONER_SEARCH_N");
  assert.equal(envName("timeouts.firstTokenMs"), "TTS_REASONER_TIMEOUTS_FIRST_TOKEN_MS");
});

test("a flag beats the environment, which beats the config file, which beats the default", () => {
  const yaml = file(
    "c.yaml",
    [
      "policy:",
      "  model: from-file",
      "  baseUrls: [http://file:1/v1]",
      "search:",
      "  n: 32",
      "  beamWidth: 8",
      "  temperature: 0.5",
    ].join("\n"),
  );
  const env = {
    TTS_REASONER_SEARCH_N: "16",
    TTS_REASONER_SEARCH_BEAM_WIDTH: "2",
    TTS_REASONER_POLICY_MODEL: "from-env",
    TTS_REASONER_CONFIG: yaml,
  };
  const { settings, sources } = settingsFromOptions(
    parse(["--n", "64", "--policy-url", "http://flag:1,http://flag:2"]),
    env,
  );
  assert.equal(settings.search.n, 64);
  assert.equal(sources["search.n"], "flag");
  assert.deepEqual(settings.policy.baseUrls, ["http://flag:1", "http://flag:2"]);
  assert.equal(sources["policy.baseUrls"], "flag");
  assert.equal(settings.policy.model, "from-env");
  assert.equal(sources["policy.model"], "env");
  assert.equal(settings.search.beamWidth, 2);
  assert.equal(settings.search.temperature, 0.5);
  assert.equal(sources["search.temperature"], "file");
  assert.equal(settings.search.maxSteps, 40);
  assert.equal(sources["search.maxSteps"], "default");
  // --config on the command line wins over TTS_REASONER_CONFIG.
  const json = file("c.json", JSON.stringify({ "ttsReasoner.search.maxSteps": 7 }));
  const other = settingsFromOptions(parse(["--config", json]), env);
  assert.equal(other.settings.search.maxSteps, 7);
  assert.equal(
    other.settings.search.temperature,
    0.8,
    "the env's config file is not read when --config is given",
  );
});

test("config files: flat, nested and prefixed keys; typos and keys are refused", () => {
  const p = file(
    "flat.json",
    JSON.stringify({ "search.strategy": "dvts", ttsReasoner: { verifier: { kind: "none" } } }),
  );
  assert.deepEqual(readConfigFile(p), { "search.strategy": "dvts", "verifier.kind": "none" });
  assert.throws(
    () => readConfigFile(file("typo.yaml", "search:\n  beamwidth: 4\n")),
    /unknown setting "search.beamwidth"/,
  );
  assert.throws(() => readConfigFile(file("key.yaml", "policy:\n  apiKey: sk-123\n")), /API key/);
  assert.throws(() => readConfigFile(file("bad.json", "{")), /not valid JSON/);
  assert.throws(() => readConfigFile(join(dir, "missing.yaml")), /Cannot read the config file/);
  assert.deepEqual(readConfigFile(file("empty.yaml", "")), {});
});

test("bad values name the setting; the delimiter flag takes escapes", () => {
  assert.throws(
    () => resolveSettings({ flags: { n: "lots" } }),
    /ttsReasoner\.search\.n must be a whole number/,
  );
  assert.throws(
    () => resolveSettings({ env: { TTS_REASONER_SEARCH_STRATEGY: "mcts" } }),
    /search\.strategy must be one of/,
  );
  const { settings } = resolveSettings({ flags: { delimiter: "\\n\\n" } });
  assert.equal(settings.search.stepDelimiter, "\n\n");
  const fromFile = resolveSettings({ file: { "search.stepDelimiter": "\\n" } });
  assert.equal(fromFile.settings.search.stepDelimiter, "\\n", "a file value is taken literally");
  assert.equal(parse(["--dedupe", "false"]).dedupe, "false");
  assert.equal(resolveSettings({ flags: parse(["--dedupe", "false"]) }).settings.search.dedupe, false);
  assert.equal(resolveSettings({ flags: parse(["--early-stop"]) }).settings.search.earlyStop, true);
});

test("API keys come from the environment and go only to their own origin", () => {
  const resolved = resolveSettings({
    flags: parse([
      "--policy-url",
      "http://a:1/v1",
      "--verifier",
      "vllm-pooling",
      "--verifier-url",
      "http://b:2",
    ]),
  });
  const env = { [API_KEY_ENV.policy]: "sk-policy" };
  const run = runSettings(resolved, env);
  assert.equal(run.policy.apiKey, "sk-policy");
  assert.equal(run.verifier?.apiKey, undefined, "the policy key must not go to another origin");
  const same = runSettings(
    resolveSettings({ flags: parse(["--policy-url", "http://a:1/v1", "--verifier-model", "prm"]) }),
    env,
  );
  assert.equal(same.verifier?.apiKey, "sk-policy", "a verifier on the policy's server shares its key");
  assert.deepEqual(same.verifier?.baseUrls, ["http://a:1/v1"]);
  const text = describeSettings(resolved).join("\n");
  assert.doesNotMatch(text, /sk-/);
  assert.match(text, /policy\.baseUrls = \["http:\/\/a:1\/v1"\] {2}\(flag\)/);
});

test("search settings and parameter counts reach the run", () => {
  const run = runSettings(
    resolveSettings({
      flags: parse([
        "--policy-url",
        "http://a:1",
        "--strategy",
        "beam",
        "--n",
        "8",
        "--policy-params",
        "1.5",
        "--verifier",
        "none",
      ]),
    }),
    {},
  );
  assert.equal(run.verifier, null);
  assert.equal(run.search.strategy, "beam");
  assert.equal(run.search.n, 8);
  assert.equal(run.policyParams, 1.5e9);
  assert.equal(run.verifierParams, null);
  assert.throws(() => runSettings(resolveSettings({}), {}), /policy\.baseUrls/);
  // No verifier configured anywhere: none, and majority vote unless a strategy is asked for.
  const bare = runSettings(resolveSettings({ flags: parse(["--policy-url", "http://a:1"]) }), {});
  assert.equal(bare.verifier, null);
  assert.equal(bare.search.strategy, "majority");
  const asked = runSettings(
    resolveSettings({ flags: parse(["--policy-url", "http://a:1", "--strategy", "beam"]) }),
    {},
  );
  assert.equal(asked.search.strategy, "beam");
  const fromEnv = runSettings(
    resolveSettings({
      env: { TTS_REASONER_POLICY_BASE_URLS: "http://a:1", TTS_REASONER_VERIFIER_MODEL: "prm" },
    }),
    {},
  );
  assert.equal(
    fromEnv.verifier?.kind,
    "vllm-pooling",
    "the settings default kind once a verifier is configured",
  );
  assert.equal(fromEnv.search.strategy, "beam");
});
