// The TTS Reasoner panel as a person uses it: pick a strategy and a budget, press Solve, watch the
// status, read the answer and the search tree, insert the answer. Everything is found by the
// panel's `data-testid`s (webview/app.ts, search-view.ts), inside its nested webview frames.
import type { Locator } from "playwright-core";
import { waitUntil, within } from "../harness/wait.js";
import type { Webview } from "./webview.js";

/** The run states the panel's status badge shows (webview/app.ts renderSummary). */
export type PanelStatus =
  "Ready" | "Running" | "Replaying" | "Failed" | "Cancelled" | "Finished" | "Replayed";

/** One row of the search tree (or candidate list), as drawn. */
export interface DrawnNode {
  id: string;
  status: string;
  /** The score badge's text ("0.93"), empty while unscored. */
  badge: string;
  /** The node's path score from `data-score`, when scored. */
  score: number | null;
  chosen: boolean;
  depth: number;
  /** The step preview's text as seen: KaTeX's visually hidden MathML copy left out. */
  text: string;
  /** Formulas the preview typeset (KaTeX elements). */
  formulas: number;
}

export class TtsPanel {
  constructor(readonly webview: Webview) {}

  async waitReady(timeoutMs = 30_000): Promise<void> {
    await this.webview.waitReady(timeoutMs);
    await within(
      "the panel's status badge to draw",
      this.webview.byTestId("status").waitFor({ state: "visible", timeout: timeoutMs }),
    );
  }

  async status(): Promise<string> {
    return (await this.webview.byTestId("status").innerText()).trim();
  }

  /** Waits until the status badge shows one of `states`; returns the one it shows. */
  async waitForStatus(states: PanelStatus[], timeoutMs: number): Promise<string> {
    return waitUntil(
      `the panel's status to be ${states.join(" or ")}`,
      { timeoutMs, intervalMs: 250 },
      async () => {
        const s = await this.status();
        return (states as string[]).includes(s) ? s : undefined;
      },
    );
  }

  /** "Beam search, n=8, width 4 · policy … · verifier …": what the shown run is. */
  async runLabel(): Promise<string> {
    return (await this.webview.byTestId("run-label").innerText()).trim();
  }

  /** Picks a strategy from the Strategy dropdown by its label (e.g. "Beam search"). */
  async chooseStrategy(label: string): Promise<void> {
    const select = this.webview.byTestId("strategy");
    const option = select.getByRole("option", { name: label, exact: true });
    await waitUntil(
      `the Strategy dropdown to offer "${label}"`,
      { timeoutMs: 10_000, intervalMs: 0 },
      async () => {
        if (!(await option.isVisible())) await select.locator(".select-face").click({ timeout: 2_000 });
        await option.waitFor({ state: "visible", timeout: 2_000 });
        return true;
      },
    );
    await option.click();
    await waitUntil(
      `the Strategy dropdown to show "${label}"`,
      { timeoutMs: 5_000 },
      async () => (await select.locator(".select-face").innerText()).trim() === label,
    );
  }

  /** Types a value into one of the form's number fields: "n", "beam-width", "temperature", "max-steps". */
  async setNumber(testid: "n" | "beam-width" | "temperature" | "max-steps", value: number): Promise<void> {
    const field = this.webview.byTestId(testid);
    const input = field.locator("input");
    await input.fill(String(value));
    await waitUntil(
      `the ${testid} field to hold ${value}`,
      { timeoutMs: 5_000 },
      async () => (await field.evaluate((el) => (el as HTMLInputElement).value)) === String(value),
    );
  }

  /** Clicks a panel button by its test id once it is enabled (e.g. "solve", "insert-answer"). */
  async click(testid: string, timeoutMs = 10_000): Promise<void> {
    const button = this.webview.byTestId(testid);
    await waitUntil(
      `the panel's "${testid}" button to be enabled`,
      { timeoutMs, intervalMs: 100 },
      async () => (await button.isVisible()) && !(await button.evaluate((el) => el.hasAttribute("disabled"))),
    );
    await button.click();
  }

  /** The answer line: the raw answer (`data-answer`) and whether the run has ended (`data-final`). */
  async answer(): Promise<{ answer: string; final: boolean; shown: string }> {
    const el = this.webview.byTestId("answer");
    return {
      answer: (await el.getAttribute("data-answer")) ?? "",
      final: (await el.getAttribute("data-final")) === "true",
      shown: (await el.innerText()).trim(),
    };
  }

  /** The error banner, when shown: its message and its action button's label. */
  async error(): Promise<{ message: string; action: string } | null> {
    const banner = this.webview.byTestId("error");
    if (!(await banner.isVisible())) return null;
    const action = this.webview.byTestId("error-action");
    return {
      message: (await banner.locator(".error-text").innerText()).trim(),
      action: (await action.isVisible()) ? (await action.innerText()).trim() : "",
    };
  }

  /** The search view: `tree` for beam search and DVTS, `candidates` for the others. */
  search(layout: "tree" | "candidates"): Locator {
    return this.webview.byTestId(layout);
  }

  /** The row in the tree's tab order (roving tabindex): where Tab lands in the tree. */
  tabStop(layout: "tree" | "candidates"): Locator {
    return this.search(layout).locator('[role="treeitem"][tabindex="0"]');
  }

  /** The row that has the keyboard focus, as a screen reader hears it; null when none has. */
  async focusedRow(): Promise<{ id: string; label: string; selected: boolean; level: number } | null> {
    const focused = this.webview.locator('[role="treeitem"]:focus');
    if ((await focused.count()) === 0) return null;
    return focused.evaluate((el) => ({
      id: (el as HTMLElement).dataset.nodeId ?? "",
      label: el.getAttribute("aria-label") ?? "",
      selected: el.getAttribute("aria-selected") === "true",
      level: Number(el.getAttribute("aria-level")),
    }));
  }

  /** Presses a key where the keyboard focus is (a row of the tree, once one has it). */
  async press(key: string): Promise<void> {
    await this.webview.page.keyboard.press(key);
  }

  /**
   * Every node the search view draws, in document order; once a run has ended, after the view
   * has drawn them all (rows are drawn a slice a frame, the view aria-busy until the last is in).
   */
  async nodes(layout: "tree" | "candidates"): Promise<DrawnNode[]> {
    if (!["Running", "Replaying"].includes(await this.status()))
      await this.webview
        .locator(`[data-testid="${layout}"][aria-busy="true"]`)
        .waitFor({ state: "detached", timeout: 10_000 });
    return this.search(layout)
      .locator('[data-testid="node"]')
      .evaluateAll((items) =>
        items.map((item) => {
          const el = item as HTMLElement;
          const badge = el.querySelector(":scope > .row > .score")?.textContent ?? "";
          const preview = el.querySelector(":scope > .row > .step-text")!.cloneNode(true) as HTMLElement;
          const formulas = preview.querySelectorAll(".katex").length;
          for (const m of preview.querySelectorAll(".katex-mathml")) m.remove();
          let depth = 0;
          for (let p = el.parentElement?.closest(".node"); p; p = p.parentElement?.closest(".node")) depth++;
          return {
            id: el.dataset.nodeId ?? "",
            status: el.dataset.status ?? "",
            badge: badge.trim(),
            score: el.dataset.score !== undefined ? Number(el.dataset.score) : null,
            chosen: el.classList.contains("chosen"),
            depth: depth + 1,
            text: preview.textContent ?? "",
            formulas,
          };
        }),
      );
  }
}
