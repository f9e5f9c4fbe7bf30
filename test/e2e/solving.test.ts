// A person solves a problem and checks a written solution in a real VS Code, against simworld
// (vLLM flavour: policy sim-policy-1.5b, verifier sim-prm-qwen over /pooling):
//   1. selects a problem in a Markdown file, runs "Solve with TTS", picks beam search with n=8 in
//      the panel, and gets simworld's ground-truth answer, with a tree of scored and pruned steps;
//   2. inserts that answer into the file and reads the text back;
//   3. selects a written 4-step solution with one wrong step, runs "Score Steps", and reads the
//      scores at the ends of the lines: the wrong step scores lowest.
import assert from "node:assert/strict";
import { gradeAnswer } from "../../src/core/answers/index.js";
import {
  findWorldProblem,
  generateProblems,
  PRMS,
  referenceSolution,
  truthValues,
} from "../simworld/index.js";
import { scoreSteps } from "../simworld/verify.js";
import { SIM_PRM_MODEL } from "./harness/simworld.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import { TtsPanel } from "./pages/tts-panel.js";

/** A word problem (it has a unit, as a homework problem would) of the given level. */
function wordProblem(level: 2 | 3, seed: number): { text: string; answer: string } {
  const p = generateProblems({ count: 20, seed, levels: [level] }).find(
    (x) => findWorldProblem(x.problem)?.chain.unit,
  );
  if (!p) throw new Error(`simworld made no level-${level} word problem with seed ${seed}`);
  return { text: p.problem, answer: p.answer };
}

const SOLVE = wordProblem(3, 11);

// Scenario 3's written solution: the reference solution of a 3-operation problem (3 steps and the
// final answer) whose last step slips: it states a wrong final answer. Simworld's PRMs, like
// PRM800K and Math-Shepherd labels, count every step after a first mistake as wrong too, so the
// one wrong step of a solution is its last; a slip earlier would make several steps wrong.
const SCORE = wordProblem(2, 17);
const WRONG_STEP = 4;
const scoreChain = findWorldProblem(SCORE.text)!.chain;
const truth = truthValues(scoreChain);
const written = referenceSolution(scoreChain)
  .split("\n\n")
  .map((step, i) => {
    if (i !== WRONG_STEP - 1) return step;
    const right = String(truth[Math.min(i, truth.length - 1)]);
    const at = step.lastIndexOf(right);
    if (at < 0) throw new Error(`step ${WRONG_STEP} does not state ${right}: ${step}`);
    return step.slice(0, at) + String(Number(right) + 7) + step.slice(at + right.length);
  });
if (written.length !== 4) throw new Error(`the written solution has ${written.length} steps, not 4`);

const PROBLEM_FILE = `# Homework\n\n${SOLVE.text}\n`;
const SOLUTION_FILE = `${SCORE.text}\n\n${written.join("\n\n")}\n`;

describeE2e(
  "solving and scoring in the editor",
  {
    name: "solving",
    simworld: true,
    // The settings start best-of-N, so choosing beam search in the panel is a real change; the
    // seed makes the search reproducible.
    settings: {
      "ttsReasoner.search.strategy": "best-of-n",
      "ttsReasoner.search.n": 4,
      "ttsReasoner.search.seed": 7,
    },
    files: { "homework.md": PROBLEM_FILE, "solution.md": SOLUTION_FILE },
  },
  (scenario) => {
    let panel: TtsPanel | undefined;

    scenario("a selected problem is solved with beam search (n=8) chosen in the panel", async (session) => {
      const { workbench } = session;
      await workbench.editor.open("homework.md");
      await workbench.editor.selectLines(3, 3);
      assert.equal(await workbench.editor.selectedText(), SOLVE.text);

      await workbench.runCommand("TTS Reasoner: Solve with TTS");
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady();
      // The command starts a run with the settings' strategy (best-of-N, n=4); once it is done
      // the person switches to beam search with n=8 and solves again.
      assert.match(
        await panel.webview.byTestId("problem").innerText(),
        /How many \w+ are there at the end\?/,
      );
      await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);
      assert.match(await panel.runLabel(), /^Best-of-N, n=4/);
      await panel.chooseStrategy("Beam search");
      await panel.setNumber("n", 8);
      await panel.setNumber("beam-width", 4);
      await panel.click("solve", 60_000);

      await waitUntil(
        "the panel to show the beam search run",
        { timeoutMs: 30_000, intervalMs: 250 },
        async () => (await panel!.runLabel()).startsWith("Beam search, n=8, width 4"),
      );
      const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);
      assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);
      assert.match(await panel.runLabel(), /policy sim-policy-1\.5b · verifier .*sim-prm-qwen/);

      const { answer, final, shown } = await panel.answer();
      assert.ok(final, "the answer line shows the final answer");
      assert.ok(
        gradeAnswer(SOLVE.answer, answer).equal,
        `the panel's answer "${answer}" (shown "${shown}") is not simworld's ground truth ${SOLVE.answer}`,
      );

      const nodes = await panel.nodes("tree");
      const scored = nodes.filter((n) => n.score !== null && /^\d\.\d\d$/.test(n.badge));
      const pruned = nodes.filter((n) => n.status === "pruned");
      const chosen = nodes.filter((n) => n.chosen);
      assert.ok(nodes.length >= 8, `the tree draws ${nodes.length} steps, fewer than one round of 8`);
      assert.ok(scored.length >= 8, `only ${scored.length} of ${nodes.length} steps show a score`);
      assert.ok(pruned.length > 0, "no step is drawn as pruned");
      assert.ok(
        pruned.some((n) => n.score !== null),
        "no pruned step shows its score: beam search prunes steps by their scores",
      );
      assert.equal(chosen.length, 1, "exactly one path is marked chosen");
      assert.ok(
        nodes.some((n) => n.depth > 1),
        "the tree has no nested steps: steps should grow under their parents",
      );
      // The rows read like math: simworld's steps write LaTeX, and the tree typesets it.
      assert.ok(
        nodes.some((n) => n.formulas > 0),
        `no tree row typesets a formula: ${JSON.stringify(nodes.slice(0, 3).map((n) => n.text))}`,
      );
      for (const n of nodes)
        assert.doesNotMatch(n.text, /\$|\\[a-zA-Z]/, `row ${n.id} shows LaTeX source: ${n.text}`);
      // The chosen path, read in the path view, ends with the answer.
      const detail = await panel.webview.byTestId("detail").innerText();
      assert.match(detail, /finished/);
      assert.match(detail, new RegExp(`Answer:\\s*${answer}`));
    });

    scenario("the answer is inserted into the editor under the problem", async (session) => {
      assert.ok(panel, "the first scenario opened the panel");
      const { answer } = await panel.answer();
      await panel.click("insert-answer");
      const { editor } = session.workbench;
      const expected = `# Homework\n\n${SOLVE.text}\n\nAnswer: ${answer}\n`;
      const text = await waitUntil(
        "the answer to appear in homework.md",
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => {
          if ((await editor.activeTitle()) !== "homework.md") return undefined;
          const t = await editor.text();
          return t.includes("Answer:") ? t : undefined;
        },
      );
      assert.equal(text, expected);
    });

    scenario(
      "Insert solution writes the chosen path with its step scores at the line ends",
      async (session) => {
        assert.ok(panel, "the first scenario opened the panel");
        const { editor } = session.workbench;
        // The chosen path, as the panel's path view shows it: one score per step.
        const scores = (
          await panel.webview
            .byTestId("detail-step")
            .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.score)))
        ).map((x) => Number(x.toFixed(2)));
        assert.ok(
          scores.length >= 2 && scores.every((x) => x >= 0 && x <= 1),
          `path scores ${scores.join(", ")}`,
        );
        const before = await editor.text();
        await panel.click("insert-solution");
        const text = await waitUntil(
          "the solution to appear in homework.md",
          { timeoutMs: 15_000, intervalMs: 250 },
          async () => {
            if ((await editor.activeTitle()) !== "homework.md") return undefined;
            const t = await editor.text();
            return t !== before ? t : undefined;
          },
        );
        const boxed = /\\boxed\{([^}]*)\}/.exec(text);
        assert.ok(boxed && gradeAnswer(SOLVE.answer, boxed[1]!).equal, `the inserted solution:\n${text}`);
        await editor.goToLine(1);
        const drawn = await waitUntil(
          `a score at the end of each of the ${scores.length} inserted steps`,
          { timeoutMs: 15_000, intervalMs: 250 },
          async () => {
            const found = (await editor.renderedLines()).flatMap((l) =>
              l.decorations.flatMap((d) => {
                const m = /^[●◐○] (\d\.\d\d)$/.exec(d);
                return m ? [Number(m[1])] : [];
              }),
            );
            return found.length === scores.length ? found : undefined;
          },
        );
        assert.deepEqual(drawn, scores, "the line-end scores are the path's step scores, in order");
      },
    );

    scenario("Copy answer puts the answer on the clipboard", async (session) => {
      assert.ok(panel);
      const { page } = session;
      await page.evaluate(() => navigator.clipboard.writeText("(nothing yet)"));
      const { answer } = await panel.answer();
      await panel.click("copy-answer");
      const copied = await waitUntil(
        "the answer to reach the clipboard",
        { timeoutMs: 10_000, intervalMs: 200 },
        async () => {
          const t = await page.evaluate(() => navigator.clipboard.readText());
          return t !== "(nothing yet)" ? t : undefined;
        },
      );
      assert.equal(copied, answer);
    });

    scenario("a written solution's steps are scored at the ends of their lines", async (session) => {
      const { workbench } = session;
      const { editor } = workbench;
      await editor.open("solution.md");
      // The steps are lines 3, 5, 7 and 9; the problem (line 1) is offered as the problem to score against.
      await editor.selectLines(3, 9);
      assert.equal(await editor.selectedText(), written.join("\n\n"));
      await workbench.runCommand("TTS Reasoner: Score Steps");
      await workbench.quickInput.waitOpen();
      assert.equal(await workbench.quickInput.input.inputValue(), SCORE.text);
      await workbench.quickInput.submit();
      await workbench.quickInput.waitClosed();

      const stepLines = [3, 5, 7, 9];
      const scores = await waitUntil(
        "a score at the end of each of the 4 step lines",
        { timeoutMs: 30_000, intervalMs: 250 },
        async () => {
          const lines = await editor.renderedLines();
          const found = stepLines.map((n) => {
            const line = lines.find((l) => l.lineNumber === n);
            const deco = line?.decorations.map((d) => /^[●◐○] (\d\.\d\d)$/.exec(d)).find(Boolean);
            return deco ? Number(deco[1]) : null;
          });
          return found.every((s) => s !== null) ? (found as number[]) : undefined;
        },
      );
      // Lines that hold no step carry no score.
      const lines = await editor.renderedLines();
      for (const l of lines.filter((x) => !stepLines.includes(x.lineNumber)))
        assert.deepEqual(l.decorations, [], `line ${l.lineNumber} ("${l.text}") has a decoration`);
      // Each score sits on its own step's line: they are the scores simworld's PRM gives the steps.
      const prm = PRMS.find((m) => m.id === SIM_PRM_MODEL)!;
      const expected = scoreSteps({
        verifier: prm.id,
        quality: prm.quality,
        chain: scoreChain,
        problem: SCORE.text,
        steps: written,
      }).map((x) => Number(x.toFixed(2)));
      assert.deepEqual(scores, expected, "the scores drawn at the ends of lines 3, 5, 7, 9");
      const lowest = scores.indexOf(Math.min(...scores)) + 1;
      assert.equal(
        lowest,
        WRONG_STEP,
        `step ${WRONG_STEP} is the wrong one, but step ${lowest} scored lowest: ${scores.join(", ")}`,
      );
      for (const [i, s] of scores.entries())
        if (i + 1 !== WRONG_STEP) assert.ok(s > scores[WRONG_STEP - 1]!, `step ${i + 1} scored ${s}`);

      // Editing a step clears its score, and only its score: the others still hold.
      await editor.goToLine(5);
      await session.page.keyboard.press("End");
      await editor.type(" (checked)");
      await waitUntil(
        "the edited step (line 5) to lose its score while lines 3, 7 and 9 keep theirs",
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => {
          const now = await editor.renderedLines();
          const has = (n: number): boolean =>
            now.find((l) => l.lineNumber === n)!.decorations.some((d) => /^[●◐○] \d\.\d\d$/.test(d));
          return !has(5) && has(3) && has(7) && has(9);
        },
      );
    });
  },
);
