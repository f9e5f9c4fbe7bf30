// The panel as a keyboard user and as each theme sees it, in a real VS Code against simworld:
//   1. a beam search (n=8) finishes; the tree is driven by keyboard alone: one row in the tab
//      order, arrows/Home/End move the focus (the focused row says its step, status and score),
//      Left/Right close and open, Enter shows the row's path; the focus ring is the theme's;
//      the charts of the path's step scores and of the run's spending are there, in words too;
//   2–4. the same panel in Default Light Modern, Default Dark Modern and Default High Contrast
//      (workbench.colorTheme set with Preferences: Color Theme): its score colours are the
//      extension's contributed ones for that kind of theme, and a screenshot of the panel is
//      left in test-results/e2e/ for a person to look at.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateProblems } from "../simworld/index.js";
import { RESULTS_DIR } from "./harness/artifacts.js";
import type { E2eSession } from "./harness/session.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import { TtsPanel } from "./pages/tts-panel.js";
import { REPO_ROOT } from "./setup/index.js";

const PROBLEM = generateProblems({ count: 1, seed: 5, levels: [3] })[0]!;

/** The score colours the extension contributes, per kind of theme (package.json). */
const COLORS = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    contributes: { colors: { id: string; defaults: Record<string, string> }[] };
  }
).contributes.colors;

const THEMES = [
  // name: the setting's value; label: how the theme picker lists it (newer VS Code drops "Default").
  {
    name: "Default Light Modern",
    filter: "Light Modern",
    label: /^(Default )?Light Modern$/,
    body: "vscode-light",
    kind: "light",
  },
  {
    name: "Default Dark Modern",
    filter: "Dark Modern",
    label: /^(Default )?Dark Modern$/,
    body: "vscode-dark",
    kind: "dark",
  },
  {
    name: "Default High Contrast",
    filter: "High Contrast",
    label: /^(Default |Dark )?High Contrast$/,
    body: "vscode-high-contrast",
    kind: "highContrast",
  },
] as const;

/** `#89d185` → `rgb(137, 209, 133)`, as getComputedStyle writes it. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/**
 * Sets workbench.colorTheme in the user settings as a person does, with Preferences: Color
 * Theme (code-server did not pick up a write to its seeded settings file mid-session).
 */
async function setColorTheme(session: E2eSession, theme: (typeof THEMES)[number]): Promise<void> {
  const { workbench } = session;
  await workbench.runCommand("Preferences: Color Theme");
  await workbench.quickInput.waitOpen();
  await workbench.quickInput.fill(theme.filter);
  await workbench.quickInput.pick(theme.label);
  await workbench.quickInput.waitClosed();
}

describeE2e(
  "the panel by keyboard and in light, dark and high-contrast themes",
  {
    name: "panel-look",
    simworld: true,
    settings: {
      "ttsReasoner.search.strategy": "beam",
      "ttsReasoner.search.n": 8,
      "ttsReasoner.search.beamWidth": 4,
      "ttsReasoner.search.seed": 7,
      "workbench.colorTheme": "Default Dark Modern",
    },
    files: { "problem.md": `# A problem\n\n${PROBLEM.problem}\n` },
  },
  (scenario) => {
    let panel: TtsPanel | undefined;

    scenario("a finished beam search is read and driven by keyboard in the tree", async (session) => {
      const { workbench } = session;
      await workbench.editor.open("problem.md");
      await workbench.editor.selectLines(3, 3);
      await workbench.runCommand("TTS Reasoner: Solve with TTS");
      panel = new TtsPanel(session.panel("TTS Reasoner"));
      await panel.waitReady();
      const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 120_000);
      assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);
      assert.match(await panel.runLabel(), /^Beam search, n=8, width 4/);
      const nodes = await panel.nodes("tree");
      assert.ok(nodes.length >= 8 && nodes.some((n) => n.depth > 1), `${nodes.length} rows`);

      // Tab lands on one row of the tree (roving tabindex); the keys move the focus from there.
      const stop = panel.tabStop("tree");
      assert.equal(await stop.count(), 1, "exactly one row of the tree is in the tab order");
      await stop.focus();
      const first = await panel.focusedRow();
      assert.equal(first?.id, nodes[0]!.id);
      assert.equal(first.level, 1);
      assert.match(first.label, /^Step 1, (active|pruned|finished), score \d\.\d\d/);

      await panel.press("ArrowDown");
      const second = await panel.focusedRow();
      assert.equal(second?.id, nodes[1]!.id, "Down moves the focus to the next row");
      assert.match(
        second.label,
        new RegExp(`^Step ${nodes[1]!.depth}, ${nodes[1]!.status}, score ${nodes[1]!.badge}`),
      );
      // the focused row draws the theme's focus border
      const ring = await panel.webview.locator('[role="treeitem"]:focus > .row').evaluate((row) => {
        const style = getComputedStyle(row);
        const probe = document.createElement("span");
        probe.style.color = "var(--vscode-focusBorder)";
        document.body.appendChild(probe);
        const focusBorder = getComputedStyle(probe).color;
        probe.remove();
        return { style: style.outlineStyle, color: style.outlineColor, focusBorder };
      });
      assert.equal(ring.style, "solid", "the focused row shows a focus ring");
      assert.equal(ring.color, ring.focusBorder, "in the theme's focusBorder colour");

      await panel.press("End");
      assert.equal((await panel.focusedRow())?.id, nodes.at(-1)!.id, "End goes to the last row");
      await panel.press("Home");
      assert.equal((await panel.focusedRow())?.id, nodes[0]!.id, "Home goes to the first row");

      // Left closes the first row's subtree, so Down skips it; Right opens it again.
      const childrenOfFirst = nodes.findIndex((n, i) => i > 0 && n.depth === 1);
      await panel.press("ArrowLeft");
      await panel.press("ArrowDown");
      const skipped = await panel.focusedRow();
      if (childrenOfFirst > 1)
        assert.equal(skipped?.id, nodes[childrenOfFirst]!.id, "Down skips a closed subtree");
      await panel.press("ArrowUp");
      await panel.press("ArrowRight");
      await panel.press("ArrowDown");
      assert.equal((await panel.focusedRow())?.id, nodes[1]!.id, "Right opened the subtree again");

      // Enter shows the focused row's path.
      await panel.press("Enter");
      assert.equal((await panel.focusedRow())?.selected, true, "Enter selects the row");
      await waitUntil(
        "the path view to show the selected row's path",
        { timeoutMs: 5_000 },
        async () => (await panel!.webview.byTestId("detail-step").count()) === nodes[1]!.depth,
      );

      // The chosen row says so; Enter on it shows the chosen path with its score chart.
      const chosen = nodes.findIndex((n) => n.chosen);
      await panel.press("Home");
      for (let i = 0; i < chosen; i++) await panel.press("ArrowDown");
      const chosenRow = await panel.focusedRow();
      assert.equal(chosenRow?.id, nodes[chosen]!.id);
      assert.match(chosenRow.label, /, finished, score \d\.\d\d, answer .+, chosen$/);
      await panel.press(" ");
      const caption = panel.webview.locator('[data-testid="score-chart"] figcaption');
      await waitUntil("the chosen path's score chart", { timeoutMs: 5_000 }, async () =>
        /^Step scores: \d+ steps, from \d\.\d\d to \d\.\d\d; lowest/.test(
          (await caption.textContent()) ?? "",
        ),
      );
      assert.equal(
        await panel.webview.locator('[data-testid="score-chart"] circle').count(),
        await panel.webview.byTestId("detail-step").count(),
        "one dot per step of the path",
      );
      assert.match(
        (await panel.webview.locator('[data-testid="budget-chart"] figcaption').textContent()) ?? "",
        /^Tokens spent in [\d.]+ s: policy [\d.]+k?, verifier [\d.]+k?\.$/,
      );
    });

    for (const theme of THEMES)
      scenario(`the panel after a beam search in ${theme.name}`, async (session) => {
        assert.ok(panel, "the first scenario ran the search");
        await setColorTheme(session, theme);
        await waitUntil(
          `the panel to take the ${theme.name} theme`,
          { timeoutMs: 20_000, intervalMs: 250 },
          async () =>
            (await panel!.webview.locator("body").getAttribute("class"))?.split(/\s+/).includes(theme.body),
        );
        // The score badges draw the extension's contributed colour for this kind of theme.
        const high = COLORS.find((c) => c.id === "ttsReasoner.scoreHigh")!.defaults[theme.kind]!;
        const badge = panel.webview.locator('[data-testid="tree"] .badge[data-band="high"]').first();
        await waitUntil(
          `a high score badge in ${rgb(high)}`,
          { timeoutMs: 10_000, intervalMs: 250 },
          async () => (await badge.evaluate((b) => getComputedStyle(b).color)) === rgb(high),
        );
        // Every line of the charts and its legend key draws in a colour this theme defines.
        const strokes = await panel.webview
          .locator(".chart-svg .line, .chart-legend .key")
          .evaluateAll((els) =>
            els.map((el) => {
              const style = getComputedStyle(el, el.tagName === "SPAN" ? "::before" : null);
              const paint = el.tagName === "SPAN" ? style.borderTopColor : style.stroke;
              return `${el.getAttribute("class")}: ${paint}`;
            }),
          );
        assert.ok(strokes.length >= 5, `chart lines and keys: ${strokes.join("; ")}`);
        for (const s of strokes)
          assert.doesNotMatch(s, /: (none|rgba\(0, 0, 0, 0\))$/, `undrawn in ${theme.name}`);
        const shot = join(RESULTS_DIR, `panel-${theme.kind}.png`);
        await panel.webview.outers.first().screenshot({ path: shot });
        // and the path view, with the chosen path's score chart (below the tree in a narrow panel)
        const path = join(RESULTS_DIR, `panel-${theme.kind}-path.png`);
        await panel.webview.byTestId("detail").screenshot({ path });
        console.log(`[e2e] ${theme.name}: ${shot}, ${path}`);
      });
  },
);
