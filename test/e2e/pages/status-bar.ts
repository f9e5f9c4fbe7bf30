// The status bar: where the extension shows a running search and its endpoint state.
import type { Locator, Page } from "playwright-core";
import { waitUntil } from "../harness/wait.js";
import type { TextMatch } from "./quick-input.js";

export class StatusBar {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator("#workbench\\.parts\\.statusbar");
  }

  /** The texts of the visible items, left to right. */
  async texts(): Promise<string[]> {
    const items = await this.root.locator(".statusbar-item").allInnerTexts();
    return items.map((t) => t.replace(/\s+/g, " ").trim()).filter(Boolean);
  }

  /** Waits for an item whose text contains `match` (string) or matches it (RegExp); returns its locator. */
  async waitForItem(match: TextMatch, timeoutMs = 30_000): Promise<Locator> {
    const test = (t: string): boolean => (typeof match === "string" ? t.includes(match) : match.test(t));
    const i = await waitUntil(
      `a status bar item ${String(match)}`,
      { timeoutMs, intervalMs: 200 },
      async () => {
        const all = await this.root.locator(".statusbar-item").allInnerTexts();
        const found = all.findIndex((t) => test(t.replace(/\s+/g, " ").trim()));
        return found >= 0 ? { found } : undefined;
      },
    );
    return this.root.locator(".statusbar-item").nth(i.found);
  }
}
