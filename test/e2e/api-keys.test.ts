// A person's API key goes to the origin it was set for and nowhere else. The policy is served by
// one simworld that demands a key, the verifier by another on its own origin that demands none;
// the key is set with "TTS Reasoner: Set API Key…" in the workbench (code-server keeps secrets
// in the browser, so there is no other way in), then a search runs against both.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateProblems } from "../simworld/index.js";
import type { SimRequestRecord } from "../simworld/index.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import { TtsPanel } from "./pages/tts-panel.js";

const API_KEY = "sk-e2e-policy-5d41402abc4b2a76";
const PROBLEM = generateProblems({ count: 1, seed: 3, levels: [1] })[0]!;

function authorization(r: SimRequestRecord): string | undefined {
  const h = r.headers.authorization;
  return Array.isArray(h) ? h.join(", ") : h;
}

/** Every file under `dir`, as text (VS Code's logs: server, extension host, output channels). */
function allText(dir: string): string {
  let out = "";
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? allText(path) : readFileSync(path, "utf8");
  }
  return out;
}

describeE2e(
  "API keys per endpoint origin",
  {
    name: "api-keys",
    simworld: { apiKey: API_KEY },
    verifierSimworld: true,
    settings: { "ttsReasoner.search.strategy": "best-of-n", "ttsReasoner.search.n": 4 },
  },
  (scenario) => {
    scenario(
      "a key set for the policy's origin is sent there and never to the verifier's",
      async (session) => {
        const { workbench } = session;
        const policy = session.simworld!;
        const verifier = session.verifierSimworld!;
        assert.notEqual(new URL(policy.url).origin, new URL(verifier.url).origin);
        const policyOrigin = new URL(policy.url).origin;

        // Without the key the policy's server refuses, and Test Connection says so.
        await workbench.runCommand("TTS Reasoner: Test Connection");
        const refused = await workbench.notifications.waitFor(/^TTS Reasoner: (?!testing)/, 60_000);
        assert.equal(
          refused.severity,
          "error",
          `Test Connection without the key reported: ${refused.message}`,
        );
        assert.ok(
          policy.requests.some((r) => r.status === 401),
          "the policy's server never refused a request",
        );
        await workbench.notifications.clearAll();

        // Set API Key… offers the configured origins; the key is typed into a password box.
        await workbench.runCommand("TTS Reasoner: Set API Key…");
        const { quickInput } = workbench;
        await quickInput.waitOpen();
        const offered = await quickInput.labels();
        assert.ok(offered.includes(policyOrigin), `the origin picker offers ${offered.join(", ")}`);
        assert.ok(
          offered.includes(new URL(verifier.url).origin),
          `the origin picker offers ${offered.join(", ")}`,
        );
        await quickInput.pick(policyOrigin);
        await waitUntil(
          "the API key input box (a password field)",
          { timeoutMs: 10_000 },
          async () => (await quickInput.input.getAttribute("type")) === "password",
        );
        await quickInput.fill(API_KEY);
        await quickInput.submit();
        await quickInput.waitClosed();
        const saved = await workbench.notifications.waitFor("API key saved", 15_000);
        assert.equal(saved.message, `TTS Reasoner: API key saved for ${policyOrigin}.`);
        await workbench.notifications.clearAll();

        // With it, the connection test passes and a search runs against both servers.
        const sinceKey = { policy: policy.requests.length, verifier: verifier.requests.length };
        await workbench.runCommand("TTS Reasoner: Test Connection");
        const ok = await workbench.notifications.waitFor(/^TTS Reasoner: (?!testing)/, 60_000);
        assert.equal(ok.severity, "info", `Test Connection with the key reported: ${ok.message}`);

        await workbench.runCommand("TTS Reasoner: Solve with TTS");
        await quickInput.waitOpen();
        await quickInput.fill(PROBLEM.problem);
        await quickInput.submit();
        const panel = new TtsPanel(session.panel("TTS Reasoner"));
        await panel.waitReady();
        const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);
        assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);

        const policyCalls = policy.requests.slice(sinceKey.policy);
        const verifierCalls = verifier.requests.slice(sinceKey.verifier);
        assert.ok(
          policyCalls.some((r) => r.path.endsWith("/completions")),
          `the policy's server saw no generation request: ${policyCalls.map((r) => r.path).join(", ")}`,
        );
        assert.ok(
          verifierCalls.some((r) => r.path.endsWith("/pooling")),
          `the verifier's server saw no scoring request: ${verifierCalls.map((r) => r.path).join(", ")}`,
        );
        const withoutKey = policyCalls.filter((r) => authorization(r) !== `Bearer ${API_KEY}`);
        assert.deepEqual(
          withoutKey.map((r) => `${r.method} ${r.path} ${r.status}`),
          [],
          "requests to the policy's origin without the key",
        );
        const leaked = verifier.requests.filter((r) => authorization(r) !== undefined);
        assert.deepEqual(
          leaked.map((r) => `${r.method} ${r.path}`),
          [],
          "requests to the verifier's origin that carried an Authorization header",
        );

        // The key is in no log: the output channel names the origin, never the key.
        const logs = await waitUntil(
          "the extension's log to record the key being set",
          { timeoutMs: 15_000, intervalMs: 250 },
          () => {
            const text = allText(session.codeServer.logsDir);
            return text.includes(`API key set for ${policyOrigin}`) ? text : undefined;
          },
        );
        assert.ok(!logs.includes(API_KEY), "the API key appears in VS Code's logs");
      },
    );

    scenario("Clear API Key forgets the key: the policy's server refuses again", async (session) => {
      const { workbench } = session;
      const { quickInput, notifications } = workbench;
      const policy = session.simworld!;
      const policyOrigin = new URL(policy.url).origin;
      await notifications.clearAll();
      await workbench.runCommand("TTS Reasoner: Clear API Key");
      await quickInput.waitOpen();
      // Only origins that hold a key are offered.
      assert.deepEqual(await quickInput.labels(), [policyOrigin]);
      await quickInput.pick(policyOrigin);
      await quickInput.waitClosed();
      const cleared = await notifications.waitFor("API key cleared", 15_000);
      assert.equal(cleared.message, `TTS Reasoner: API key cleared for ${policyOrigin}.`);
      await notifications.clearAll();

      const since = policy.requests.length;
      await workbench.runCommand("TTS Reasoner: Test Connection");
      const refused = await notifications.waitFor(/^TTS Reasoner: (?!testing)/, 60_000);
      assert.equal(refused.severity, "error", `Test Connection after clearing reported: ${refused.message}`);
      const after = policy.requests.slice(since);
      assert.ok(
        after.length > 0 && after.every((r) => authorization(r) === undefined),
        "a request carried a key",
      );
      assert.ok(
        after.some((r) => r.status === 401),
        "the policy's server did not refuse",
      );
    });
  },
);
