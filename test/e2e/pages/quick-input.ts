// VS Code's quick input widget: the command palette, Quick Open, and every showQuickPick /
// showInputBox an extension opens (e.g. "Set API Key…").
import type { Locator, Page } from "playwright-core";
import { waitUntil, within } from "../harness/wait.js";

export type TextMatch = string | RegExp;

export function matches(text: string, match: TextMatch): boolean {
  return typeof match === "string" ? text.trim() === match : match.test(text);
}

export class QuickInput {
  readonly widget: Locator;
  readonly input: Locator;

  constructor(readonly page: Page) {
    this.widget = page.locator(".quick-input-widget");
    this.input = page.locator(".quick-input-widget .quick-input-box input");
  }

  async isOpen(): Promise<boolean> {
    return this.widget.isVisible();
  }

  async waitOpen(timeoutMs = 10_000): Promise<void> {
    await within("the quick input to open", this.input.waitFor({ state: "visible", timeout: timeoutMs }));
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    await within("the quick input to close", this.widget.waitFor({ state: "hidden", timeout: timeoutMs }));
  }

  /** Replaces the input's text (a picker's filter, or an input box's value). */
  async fill(text: string): Promise<void> {
    await this.input.fill(text);
  }

  /** The title or prompt line an input box shows under the field (e.g. "Press 'Enter' to confirm…"). */
  async message(): Promise<string> {
    return (
      await this.page
        .locator(".quick-input-widget .quick-input-message")
        .innerText()
        .catch(() => "")
    ).trim();
  }

  /** The visible rows' labels, top first. */
  async labels(): Promise<string[]> {
    const rows = this.page.locator(
      ".quick-input-widget .quick-input-list .monaco-list-row .quick-input-list-label .label-name",
    );
    return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  }

  /**
   * Waits until a row's label matches, and returns that row, found by its label rather than its
   * place: the list redraws while its filter is applied, so a row's index can change between
   * reading the labels and clicking.
   */
  async row(label: TextMatch, timeoutMs = 10_000): Promise<Locator> {
    await waitUntil(`a quick pick row labelled ${String(label)}`, { timeoutMs }, async () =>
      (await this.labels()).some((l) => matches(l, label)),
    );
    const text = typeof label === "string" ? new RegExp(`^\\s*${escapeRegExp(label.trim())}\\s*$`) : label;
    return this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".quick-input-list-label .label-name", { hasText: text }) })
      .first();
  }

  /** Picks the row whose label matches. */
  async pick(label: TextMatch, timeoutMs = 10_000): Promise<void> {
    const row = await this.row(label, timeoutMs);
    await row.click();
  }

  /**
   * Types a path into VS Code's own file dialog (its simple dialog is a quick input) and
   * accepts it. The dialog fills in its default path as it opens, which can land after our
   * typing, so the path is typed again until it holds for a moment.
   */
  async enterPath(path: string, timeoutMs = 10_000): Promise<void> {
    await this.waitOpen(timeoutMs);
    let held = false;
    await waitUntil(`the file dialog to hold ${path}`, { timeoutMs, intervalMs: 300 }, async () => {
      if ((await this.input.inputValue({ timeout: 1_000 }).catch(() => "")) !== path) {
        held = false;
        await this.input.fill(path, { timeout: 2_000 }).catch(() => undefined);
        return false;
      }
      if (held) return true;
      held = true;
      return false;
    });
    await this.submit();
    await this.waitClosed(timeoutMs);
  }

  /** Presses Enter (accepts an input box or the focused row). */
  async submit(): Promise<void> {
    await this.input.press("Enter");
  }

  async cancel(): Promise<void> {
    await this.input.press("Escape");
    await this.waitClosed();
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
