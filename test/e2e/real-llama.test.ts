// The panel against a real llama-server (the tiny model test/real writes), not simworld: a person
// runs "Solve with TTS" with beam search and the token-logprob verifier on the same server, and
// the panel finishes with an answer, a tree of scored steps and the server named in its run line.
// Skipped where test/real finds no llama-server (with CI=true that fails instead).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { realSuite, startServer, type RealServer } from "../real/llama-server/server.js";
import { describeE2e } from "./harness/suite.js";
import { TtsPanel } from "./pages/tts-panel.js";

const PROBLEM = "What is $3 + 4$?";
const real = realSuite();

if (real.skip) {
  describe("the panel against a real llama-server", () => {
    test("a beam search on a real llama-server", { skip: real.skip }, () => {});
  });
} else {
  // Runs before the suite's own hook, which starts the session with these settings.
  let server: RealServer | undefined;
  before(async () => {
    server = await startServer({ slots: 4 });
  });
  after(async () => {
    await server?.stop();
  });

  describeE2e(
    "the panel against a real llama-server",
    {
      name: "real-llama",
      settings: () => ({
        "ttsReasoner.policy.baseUrls": [`${server!.url}/v1`],
        "ttsReasoner.verifier.kind": "token-logprob",
        "ttsReasoner.verifier.baseUrls": [`${server!.url}/v1`],
        "ttsReasoner.search.strategy": "beam",
        "ttsReasoner.search.n": 8,
        "ttsReasoner.search.beamWidth": 4,
        "ttsReasoner.search.maxSteps": 6,
        "ttsReasoner.search.seed": 3,
      }),
      files: { "homework.md": `# Homework\n\n${PROBLEM}\n` },
    },
    (scenario) => {
      scenario(
        "a beam search on a real llama-server ends with scored steps and an answer",
        async (session) => {
          const { workbench } = session;
          await workbench.editor.open("homework.md");
          await workbench.editor.selectLines(3, 3);
          await workbench.runCommand("TTS Reasoner: Solve with TTS");
          const panel = new TtsPanel(session.panel("TTS Reasoner"));
          await panel.waitReady();
          const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);
          assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);
          assert.match(await panel.runLabel(), /^Beam search, n=8, width 4/);
          const { answer } = await panel.answer();
          assert.ok(answer.trim(), "the panel shows an answer");
          const nodes = await panel.nodes("tree");
          const scored = nodes.filter((n) => n.score !== null);
          assert.ok(nodes.length >= 8, `the tree draws ${nodes.length} steps, fewer than one round of 8`);
          assert.ok(scored.length >= 8, `only ${scored.length} of ${nodes.length} steps show a score`);
          assert.equal(await panel.error(), null, "the panel shows no error");
        },
      );
    },
  );
}
