// The panel through a run's whole life, in a real VS Code against simworld with its realistic
// latency model (so a run lasts long enough to watch and to stop):
//   1. Auto, picked in the panel, says which method it chose and why;
//   2. Export Trace… writes the run as JSON lines through VS Code's save dialog;
//   3. a hidden panel, shown again with Open Panel, redraws the same run;
//   4. Open Trace… replays the exported run in the panel, to the same answer;
//   5. a long run is stopped with the Cancel command: the partial tree stays, nothing spins on;
//   6. a reloaded window brings the panel back with the last run.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gradeAnswer } from "../../src/core/answers/index.js";
import { parseTrace } from "../../src/core/index.js";
import { generateProblems } from "../simworld/index.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import { TtsPanel } from "./pages/tts-panel.js";

const PROBLEM = generateProblems({ count: 1, seed: 21, levels: [3] })[0]!;
const TRACE_FILE = "auto-run.jsonl";

describeE2e(
  "the panel through a run's life",
  {
    name: "panel-lifecycle",
    // Waits tripled: a beam run of n = 64 must outlast the Cancel command on a fast machine.
    simworld: { latency: "realistic", latencyScale: 3 },
    settings: {
      "ttsReasoner.search.strategy": "best-of-n",
      "ttsReasoner.search.n": 4,
      "ttsReasoner.search.seed": 3,
    },
    files: { "problem.md": `# A problem\n\n${PROBLEM.problem}\n`, "notes.md": "# Notes\n" },
  },
  (scenario) => {
    let panel: TtsPanel | undefined;
    let autoAnswer = "";
    let autoNodes = 0;

    scenario("Auto, chosen in the panel, says which method it chose and why", async (session) => {
      const { workbench } = session;
      await workbench.editor.open("problem.md");
      await workbench.editor.selectLines(3, 3);
      await workbench.runCommand("TTS Reasoner: Solve with TTS");
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady();
      await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);

      await panel.chooseStrategy("Auto");
      await panel.setNumber("n", 16);
      await panel.click("solve", 60_000);
      await waitUntil("the panel to show the Auto run", { timeoutMs: 30_000, intervalMs: 250 }, async () =>
        (await panel!.runLabel()).startsWith("Auto"),
      );
      const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 150_000);
      assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);

      const notes = (await panel.webview.byTestId("notes").innerText()).trim();
      assert.match(
        notes,
        /^Auto chose (Best-of-N|Beam search|DVTS|Majority vote) for (an easy|a medium|a hard) problem \(small policy, strong verifier; probe agreement \d\.\d\d, built-in table\)/,
        `the panel's note on Auto's choice: ${notes}`,
      );
      const { answer, final } = await panel.answer();
      assert.ok(final);
      assert.ok(
        gradeAnswer(PROBLEM.answer, answer).equal,
        `Auto's answer "${answer}" is not simworld's ${PROBLEM.answer}`,
      );
      autoAnswer = answer;
      // The spending chart marks where Auto stopped early, when it did (the note says so).
      const spending = (
        (await panel.webview.locator('[data-testid="budget-chart"] figcaption').textContent()) ?? ""
      ).trim();
      const marks = await panel.webview.locator('[data-testid="budget-chart"] line.early-stop').count();
      console.log(`[e2e] Auto's spending: ${spending}`);
      assert.match(spending, /^Tokens spent in [\d.]+ s: policy [\d.]+k?, verifier [\d.]+k?/);
      if (/Stopped early/.test(notes)) {
        assert.equal(marks, 1, "the early stop is marked on the spending chart");
        assert.match(spending, /Auto stopped early at [\d.]+ s, saving \d+ samples?\.$/);
      } else assert.equal(marks, 0, "no early stop, no mark");
      const layout = /Beam search|DVTS/.test(notes) ? "tree" : "candidates";
      autoNodes = (await panel.nodes(layout)).length;
      assert.ok(autoNodes >= 4, `the search view draws ${autoNodes} rows`);
    });

    scenario("Export Trace… writes the run through the save dialog", async (session) => {
      const { workbench } = session;
      const target = join(session.workspace, TRACE_FILE);
      await workbench.runCommand("TTS Reasoner: Export Trace…");
      await workbench.quickInput.enterPath(target);
      const text = await waitUntil(
        `the trace to be written to ${target}`,
        { timeoutMs: 15_000, intervalMs: 250 },
        () => (existsSync(target) ? readFileSync(target, "utf8") : undefined),
      );
      const events = parseTrace(text);
      assert.equal(events[0]?.type, "run-started");
      const last = events[events.length - 1];
      assert.ok(last?.type === "run-finished", `the trace ends with ${last?.type}`);
      assert.equal(last.result.answer, autoAnswer);
      assert.equal(last.result.strategy, "auto");
      assert.ok(
        events.some((e) => e.type === "strategy-chosen"),
        "the trace holds Auto's choice",
      );
    });

    scenario("a hidden panel, shown again with Open Panel, redraws the same run", async (session) => {
      assert.ok(panel);
      const { workbench } = session;
      // Another editor in the panel's own group hides the panel (its page is thrown away).
      // Clicking the panel's tab makes its group the active one, where Quick Open opens files.
      await session.page.locator('.tabs-container .tab[aria-label*="TTS Reasoner"]').first().click();
      await workbench.editor.open("notes.md");
      await waitUntil(
        "the panel to be hidden behind notes.md",
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => !(await panel!.webview.outers.first().isVisible()),
      );
      await workbench.runCommand("TTS Reasoner: Open Panel");
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady();
      assert.equal(await panel.waitForStatus(["Finished"], 15_000), "Finished");
      assert.equal((await panel.answer()).answer, autoAnswer);
      await waitUntil(
        `the search view to redraw its ${autoNodes} rows`,
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => {
          const n = (await panel!.nodes("tree")).length + (await panel!.nodes("candidates")).length;
          return n === autoNodes;
        },
      );
    });

    scenario("Open Trace… replays the exported run to the same answer", async (session) => {
      const { workbench } = session;
      await workbench.runCommand("TTS Reasoner: Open Trace…");
      await workbench.quickInput.enterPath(join(session.workspace, TRACE_FILE));
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady();
      assert.equal(await panel.waitForStatus(["Replayed"], 60_000), "Replayed");
      assert.equal((await panel.answer()).answer, autoAnswer);
      assert.match(await panel.webview.byTestId("notes").innerText(), /^Auto chose /);
    });

    scenario("a long run is stopped with the Cancel command; the partial tree stays", async (session) => {
      assert.ok(panel);
      const { workbench } = session;
      await panel.chooseStrategy("Beam search");
      await panel.setNumber("n", 64);
      await panel.setNumber("beam-width", 4);
      await panel.click("solve", 30_000);
      await panel.waitForStatus(["Running"], 30_000);
      await waitUntil(
        "the beam search to draw its first steps",
        { timeoutMs: 60_000, intervalMs: 200 },
        async () => (await panel!.nodes("tree")).length >= 8,
      );
      await workbench.statusBar.waitForItem(/^TTS: Beam search/, 10_000);
      await workbench.runCommand("TTS Reasoner: Cancel");
      assert.equal(await panel.waitForStatus(["Cancelled"], 30_000), "Cancelled");
      const nodes = await panel.nodes("tree");
      assert.ok(nodes.length >= 8, `the partial tree keeps ${nodes.length} steps`);
      assert.ok(!nodes.some((n) => n.status === "finished" && n.depth > 40), "no path ran on past max steps");
      // Nothing spins on: the form is ready for another run and the status bar has no run.
      await panel.click("solve", 15_000);
      await panel.waitForStatus(["Running"], 15_000);
      // Stopped once it has drawn a step, so the run the reload restores (this one) has a tree:
      // stopped at once, it had none or some depending on the machine's load.
      await waitUntil(
        "the second run to draw a step",
        { timeoutMs: 60_000, intervalMs: 100 },
        async () => (await panel!.nodes("tree")).length >= 1,
      );
      await panel.click("stop", 15_000);
      assert.equal(await panel.waitForStatus(["Cancelled"], 30_000), "Cancelled");
      await waitUntil(
        "the status bar to drop the running search",
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => !(await workbench.statusBar.texts()).some((t) => /^TTS: /.test(t)),
      );
    });

    scenario("a reloaded window brings the panel back with the last run", async (session) => {
      const { workbench, page } = session;
      // A mark on the old page: gone once the window has really reloaded.
      await page.evaluate(() => ((globalThis as { __beforeReload?: boolean }).__beforeReload = true));
      await workbench.runCommand("Developer: Reload Window");
      await waitUntil(
        "the window to reload and draw the workbench again",
        { timeoutMs: 60_000, intervalMs: 250 },
        async () =>
          (await page
            .evaluate(() => (globalThis as { __beforeReload?: boolean }).__beforeReload !== true)
            .catch(() => false)) && (await page.locator("div.monaco-workbench").isVisible()),
      );
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady(60_000);
      assert.equal(await panel.waitForStatus(["Cancelled"], 30_000), "Cancelled");
      assert.match(await panel.runLabel(), /^Beam search, n=64, width 4/);
      assert.ok((await panel.nodes("tree")).length > 0, "the restored panel draws the last run's tree");
    });
  },
);
