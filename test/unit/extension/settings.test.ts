import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { resolveSearchConfig } from "../../../src/core/index.js";
import { COMMAND_IDS, COMMAND_PREFIX } from "../../../src/extension/command-ids.js";
import {
  endpointOrigins,
  keyOrigin,
  parameterCounts,
  policyEndpointFrom,
  readSettings,
  searchConfigFrom,
  SETTING_SPECS,
  SETTINGS_SECTION,
  SettingsError,
  configurationContribution,
  verifierEndpointFrom,
} from "../../../src/app/settings/index.js";

const from = (values: Record<string, unknown>) => readSettings((k) => values[k]);

test("defaults make a valid search configuration", () => {
  const s = from({});
  assert.deepEqual(resolveSearchConfig(searchConfigFrom(s)), resolveSearchConfig({}));
  assert.equal(s.verifier.kind, "vllm-pooling");
  assert.deepEqual(s.policy.baseUrls, []);
});

test("settings map to the endpoint configurations src/endpoints takes", () => {
  const s = from({
    "policy.baseUrls": ["http://gpu1:8000/v1", "http://gpu1:8000/v1/"],
    "policy.model": "Qwen2.5-Math-1.5B-Instruct",
    "policy.apiStyle": "chat-continue",
    "policy.concurrency": 16,
    "verifier.kind": "vllm-pooling",
    "verifier.baseUrls": ["https://prm.example.com/v1"],
    "verifier.model": "Qwen/Qwen2.5-Math-PRM-7B",
    "timeouts.firstTokenMs": 5000,
    "requests.maxRetries": 1,
    "search.strategy": "dvts",
    "search.n": 16,
    "search.stepDelimiter": "\n",
  });
  const keys: Record<string, string> = {
    "http://gpu1:8000": "local-key",
    "https://prm.example.com": "prm-key",
  };
  const policy = policyEndpointFrom(s, (o) => keys[o]);
  assert.deepEqual(policy, {
    baseUrls: ["http://gpu1:8000/v1", "http://gpu1:8000/v1/"],
    model: "Qwen2.5-Math-1.5B-Instruct",
    apiKey: "local-key",
    timeouts: { connectMs: 10000, firstTokenMs: 5000, idleMs: 60000 },
    maxRetries: 1,
    concurrency: 16,
    apiStyle: "chat-continue",
  });
  const verifier = verifierEndpointFrom(s, (o) => keys[o]);
  assert.equal(verifier?.kind, "vllm-pooling");
  assert.equal(verifier?.apiKey, "prm-key");
  assert.deepEqual(verifier?.baseUrls, ["https://prm.example.com/v1"]);
  const search = searchConfigFrom(s);
  assert.equal(search.strategy, "dvts");
  assert.equal(search.delimiter, "\n");
  assert.deepEqual(endpointOrigins(s), ["http://gpu1:8000", "https://prm.example.com"]);
});

test("a key is attached only when every URL of the role is on its origin", () => {
  assert.equal(keyOrigin(["http://a:1/v1", "http://a:1"]), "http://a:1");
  assert.equal(keyOrigin(["http://a:1/v1", "http://b:1/v1"]), null);
  assert.equal(keyOrigin(["localhost:8000"]), "http://localhost:8000");
  assert.equal(keyOrigin(["file:///etc/passwd"]), null);
  assert.equal(keyOrigin([]), null);
  const s = from({ "policy.baseUrls": ["http://a:1/v1", "http://b:1/v1"] });
  const asked: string[] = [];
  const cfg = policyEndpointFrom(s, (o) => (asked.push(o), "k"));
  assert.equal(cfg.apiKey, undefined);
  assert.deepEqual(asked, []);
});

test("an empty verifier URL uses the policy's; kind none has no verifier", () => {
  const s = from({ "policy.baseUrls": "http://localhost:11434", "verifier.kind": "llm-judge" });
  assert.deepEqual(verifierEndpointFrom(s)?.baseUrls, ["http://localhost:11434"]);
  assert.equal(verifierEndpointFrom(from({ "policy.baseUrls": "http://x", "verifier.kind": "none" })), null);
});

test("a missing policy URL names the setting to fill", () => {
  assert.throws(
    () => policyEndpointFrom(from({})),
    (e: unknown) => e instanceof SettingsError && /ttsReasoner\.policy\.baseUrls is empty/.test(e.message),
  );
});

test("strings from flags and environment are read as their types", () => {
  const s = from({
    "policy.baseUrls": "http://a:1/v1, http://a:2/v1",
    "search.n": "32",
    "search.temperature": "0.6",
    "search.dedupe": "false",
    "search.seed": "7",
    "policy.parametersBillions": "1.5",
  });
  assert.deepEqual(s.policy.baseUrls, ["http://a:1/v1", "http://a:2/v1"]);
  assert.equal(s.search.n, 32);
  assert.equal(s.search.temperature, 0.6);
  assert.equal(s.search.dedupe, false);
  assert.equal(s.search.seed, 7);
  assert.deepEqual(parameterCounts(s), { policyParams: 1.5e9, verifierParams: null });
});

test("bad values are refused, every one named", () => {
  assert.throws(
    () =>
      from({ "search.n": "many", "search.strategy": "bogus", "search.temperature": 3, "policy.baseUrls": 5 }),
    (e: unknown) => {
      assert.ok(e instanceof SettingsError);
      assert.deepEqual(
        e.problems.map((p) => p.key),
        ["policy.baseUrls", "search.strategy", "search.n", "search.temperature"],
      );
      assert.match(e.message, /ttsReasoner\.search\.strategy must be one of auto, greedy/);
      return true;
    },
  );
});

// ---- the manifest says the same as src/app/settings/ -------------------------------------------

const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));

test("every setting is contributed, described, with its type, default, enum and scope", () => {
  const contributed: Record<string, Record<string, unknown>> = Object.assign(
    {},
    ...manifest.contributes.configuration.map((g: { properties: object }) => g.properties),
  );
  assert.deepEqual(
    Object.keys(contributed).sort(),
    SETTING_SPECS.map((s) => `${SETTINGS_SECTION}.${s.key}`).sort(),
  );
  for (const spec of SETTING_SPECS) {
    const p = contributed[`${SETTINGS_SECTION}.${spec.key}`]!;
    const type =
      spec.type === "string[]" ? "array" : spec.type === "integer?" ? ["integer", "null"] : spec.type;
    assert.deepEqual(p.type, type, spec.key);
    assert.deepEqual(p.default, spec.default, spec.key);
    assert.deepEqual(p.enum, spec.enum ? [...spec.enum] : undefined, spec.key);
    if (spec.enum) assert.equal((p.enumDescriptions as string[]).length, spec.enum.length, spec.key);
    assert.equal(p.scope, spec.scope, spec.key);
    assert.ok(typeof p.markdownDescription === "string" && p.markdownDescription.length > 20, spec.key);
  }
});

test("the manifest's configuration is exactly what src/app/settings/ describes", () => {
  assert.deepEqual(
    manifest.contributes.configuration,
    configurationContribution(),
    "run: node --import tsx test/unit/extension/write-manifest-settings.ts",
  );
});

test("endpoint URLs are machine-scoped and restricted in untrusted workspaces", () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ["policy.baseUrls", "verifier.baseUrls"]) {
    assert.ok(restricted.includes(`${SETTINGS_SECTION}.${key}`), key);
    assert.equal(SETTING_SPECS.find((s) => s.key === key)?.scope, "machine");
  }
  // The manifest lists exactly the settings the specs mark restricted.
  assert.deepEqual(
    [...restricted].sort(),
    SETTING_SPECS.filter((s) => s.restricted)
      .map((s) => `${SETTINGS_SECTION}.${s.key}`)
      .sort(),
  );
});

test("settings that choose where requests go, what they ask, what a run spends or what code runs are user-only and bounded", () => {
  const spec = (key: string) => SETTING_SPECS.find((s) => s.key === key)!;
  for (const key of [
    "policy.baseUrls",
    "verifier.baseUrls",
    "policy.model",
    "verifier.model",
    "policy.apiStyle",
    "policy.chatTemplate",
    "search.n",
    "search.maxTokens",
    "search.maxSteps",
    "policy.concurrency",
    "verifier.concurrency",
  ])
    assert.equal(spec(key).scope, "machine", key);
  for (const key of ["policy.systemPrompt", "verifier.kind", "search.strategyTable", "requests.maxRetries"])
    assert.ok(spec(key).restricted, key);
  for (const [key, max] of [
    ["search.n", 1024],
    ["search.maxTokens", 32768],
    ["search.maxSteps", 1000],
    ["policy.concurrency", 1024], // sequences: as many as one search may ask for at once
    ["verifier.concurrency", 256],
  ] as const)
    assert.equal(spec(key).maximum, max, key);
  assert.match(manifest.capabilities.untrustedWorkspaces.description, /user settings only/);
});

test("every registered command is contributed under the TTS Reasoner category, and no other", () => {
  const contributed = manifest.contributes.commands as { command: string; title: string; category: string }[];
  assert.deepEqual(
    contributed.map((c) => c.command).sort(),
    COMMAND_IDS.map((id) => COMMAND_PREFIX + id).sort(),
  );
  for (const c of contributed) assert.equal(c.category, "TTS Reasoner");
  const context = manifest.contributes.menus["editor/context"] as { command: string; when: string }[];
  assert.ok(context.some((m) => m.command === "ttsReasoner.solve" && m.when === "editorHasSelection"));
  assert.ok(manifest.activationEvents.includes("onWebviewPanel:ttsReasoner.panel"));
  const [major, minor] = String(manifest.engines.vscode).replace(/^\^/, "").split(".").map(Number);
  assert.ok(major === 1 && minor! <= 139, "code-server bundles VS Code 1.139");
});

test("the score band colours the code uses are contributed", async () => {
  const { SCORE_BAND_COLORS } = await import("../../../src/protocol.js");
  const ids = (manifest.contributes.colors as { id: string }[]).map((c) => c.id);
  for (const id of Object.values(SCORE_BAND_COLORS)) assert.ok(ids.includes(id), id);
});
