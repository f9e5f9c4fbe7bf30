// A policy URL where nothing listens: "Solve with TTS" fails promptly and says which endpoint
// failed, at which URL, and to run "Test Connection"; the panel, the status bar and the buttons
// all come back to rest (nothing spins on), and the suggested Test Connection names it too.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { before } from "node:test";
import { generateProblems } from "../simworld/index.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import { TtsPanel } from "./pages/tts-panel.js";

const PROBLEM = generateProblems({ count: 1, seed: 5, levels: [2] })[0]!;

/** A local port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port from the system");
  return address.port;
}

// Runs before the suite's own hook, which starts the session with these settings.
let deadUrl = "";
before(async () => {
  deadUrl = `http://127.0.0.1:${await closedPort()}/v1`;
});

describeE2e(
  "a policy endpoint that is down",
  {
    name: "dead-endpoint",
    simworld: true,
    settings: () => ({ "ttsReasoner.policy.baseUrls": [deadUrl] }),
    files: { "homework.md": `# Homework\n\n${PROBLEM.problem}\n` },
  },
  (scenario) => {
    scenario(
      "solving against a dead policy port fails, naming the endpoint and suggesting Test Connection",
      async (session) => {
        const { workbench } = session;
        const { editor, notifications, statusBar } = workbench;
        const origin = new URL(deadUrl).origin;
        assert.deepEqual(session.settings["ttsReasoner.policy.baseUrls"], [deadUrl]);

        await editor.open("homework.md");
        await editor.selectLines(3, 3);
        await workbench.runCommand("TTS Reasoner: Solve with TTS");

        // (A progress toast, "TTS Reasoner: Beam search, …", shows while it connects.)
        const toast = await waitUntil(
          "an error notification",
          { timeoutMs: 30_000, intervalMs: 200 },
          async () => (await notifications.visible()).find((t) => t.severity === "error"),
        );
        assert.ok(
          toast.message.includes(origin),
          `the error does not name the URL ${origin}: ${toast.message}`,
        );
        assert.match(toast.message, /\bpolicy\b/i, "the error does not say it is the policy endpoint");
        assert.match(toast.message, /Test Connection/, "the error does not suggest Test Connection");
        assert.ok(
          toast.actions.includes("Test Connection"),
          `the error offers ${toast.actions.join(", ")}, not Test Connection`,
        );

        // The panel shows the same error, with its action, and is ready for another try.
        const panel = new TtsPanel(session.panel("TTS Reasoner"));
        await panel.waitReady();
        assert.equal(await panel.waitForStatus(["Failed"], 15_000), "Failed");
        const banner = await panel.error();
        assert.ok(banner, "the panel shows no error");
        assert.ok(
          banner.message.includes(origin),
          `the panel's error does not name ${origin}: ${banner.message}`,
        );
        assert.equal(banner.action, "Test Connection");
        await waitUntil(
          "the panel's Solve button to be enabled again and Stop disabled",
          { timeoutMs: 10_000 },
          () =>
            panel.webview
              .byTestId("solve")
              .evaluate(
                (solve) =>
                  !solve.hasAttribute("disabled") &&
                  (solve.ownerDocument.querySelector('[data-testid="stop"]')?.hasAttribute("disabled") ??
                    false),
              ),
        );
        assert.equal(
          await panel.webview.byTestId("progress").isVisible(),
          false,
          "the progress bar still runs",
        );
        await waitUntil(
          "the run's progress notification to go away",
          { timeoutMs: 10_000, intervalMs: 250 },
          async () =>
            !(await notifications.visible()).some((t) => t.message.startsWith("TTS Reasoner: Beam search")),
        );
        await waitUntil(
          "the status bar's run item to go away",
          { timeoutMs: 10_000, intervalMs: 250 },
          async () => !(await statusBar.texts()).some((t) => t.startsWith("TTS:")),
        );
        assert.equal(
          session.simworld!.requests.filter((r) => r.path.includes("completions")).length,
          0,
          "generation requests went to the verifier's server instead of the (dead) policy URL",
        );

        // The suggested action runs Test Connection, which names the dead endpoint too.
        await notifications.clickAction(toast, "Test Connection");
        const tested = await waitUntil(
          "the Test Connection result",
          { timeoutMs: 30_000, intervalMs: 200 },
          async () =>
            (await notifications.visible()).find(
              (t) => t.message !== toast.message && /^TTS Reasoner: (?!testing)/.test(t.message),
            ),
        );
        assert.equal(tested.severity, "error", `Test Connection reported: ${tested.message}`);
        assert.ok(
          tested.message.includes(origin),
          `Test Connection does not name ${origin}: ${tested.message}`,
        );

        // The panel's own "Test Connection" button does the same.
        await notifications.clearAll();
        await panel.click("error-action");
        const again = await waitUntil(
          "the Test Connection result after the panel's button",
          { timeoutMs: 30_000, intervalMs: 200 },
          async () =>
            (await notifications.visible()).find(
              (t) => t.severity === "error" && /^TTS Reasoner: (?!testing)/.test(t.message),
            ),
        );
        assert.equal(again.message, tested.message);
      },
    );
  },
);
