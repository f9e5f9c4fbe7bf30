// The command palette: how a person runs "TTS Reasoner: Solve with TTS".
import type { Page } from "playwright-core";
import { waitUntil } from "../harness/wait.js";
import { QuickInput } from "./quick-input.js";

export class CommandPalette {
  readonly quickInput: QuickInput;

  constructor(readonly page: Page) {
    this.quickInput = new QuickInput(page);
  }

  /**
   * Opens the palette with Ctrl+Shift+P, falling back to F1; retried, because a keystroke sent
   * while the workbench moves focus (e.g. a notification appearing) can be lost.
   */
  async open(timeoutMs = 15_000): Promise<void> {
    let n = 0;
    await waitUntil("the command palette to open", { timeoutMs, intervalMs: 0 }, async () => {
      if (await this.quickInput.input.isVisible()) {
        const value = await this.quickInput.input.inputValue();
        if (value.startsWith(">")) return true;
        await this.page.keyboard.press("Escape");
      }
      await this.page.keyboard.press(n++ % 2 === 0 ? "Control+Shift+P" : "F1");
      await this.quickInput.input.waitFor({ state: "visible", timeout: 2_000 });
      return (await this.quickInput.input.inputValue()).startsWith(">");
    });
  }

  /** The row labels once the list has settled on the current filter (the same twice, 250 ms apart). */
  private async settledLabels(filter: string): Promise<string[]> {
    let previous = "";
    return waitUntil(
      `the palette list to settle for "${filter}"`,
      { timeoutMs: 10_000, intervalMs: 250 },
      async () => {
        const labels = await this.quickInput.labels();
        const key = JSON.stringify(labels);
        const settled = labels.length > 0 && key === previous;
        previous = key;
        return settled ? labels : undefined;
      },
    );
  }

  /** The full titles ("Category: Title") of the commands the palette offers for `filter`. */
  async commandsMatching(filter: string): Promise<string[]> {
    await this.open();
    await this.quickInput.fill(`>${filter}`);
    const labels = await this.settledLabels(filter);
    await this.quickInput.cancel();
    return labels;
  }

  /**
   * Waits until the palette offers the command titled `title`: the workbench lists an
   * extension's commands only once its extension host has scanned it, seconds after the
   * workbench first draws.
   */
  async waitForCommand(title: string, timeoutMs = 60_000): Promise<void> {
    await waitUntil(`the command palette to offer "${title}"`, { timeoutMs, intervalMs: 500 }, async () =>
      (await this.commandsMatching(title)).includes(title),
    );
  }

  /** Runs the command whose palette title is exactly `title` (e.g. "TTS Reasoner: Open Panel"). */
  async run(title: string, timeoutMs = 15_000): Promise<void> {
    await this.open();
    await this.quickInput.fill(`>${title}`);
    const row = await this.quickInput.row(title, timeoutMs);
    await row.click();
    // The palette closes; a command that asks for input (an input box or a picker of its own)
    // reuses the same widget, so "closed" means no longer showing the palette's "> filter".
    // A command may also reload the page (Reload Window), taking the widget away mid-read.
    await waitUntil(`the command palette to close after running "${title}"`, { timeoutMs }, async () => {
      if (!(await this.quickInput.input.isVisible())) return true;
      const value = await this.quickInput.input.inputValue({ timeout: 1_000 }).catch(() => "");
      return !value.startsWith(">");
    });
  }
}
