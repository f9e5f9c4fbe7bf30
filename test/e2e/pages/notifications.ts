// Notification toasts: how the extension reports errors ("... Test Connection") and results.
import type { Locator, Page } from "playwright-core";
import { waitUntil } from "../harness/wait.js";
import { matches, type TextMatch } from "./quick-input.js";

export interface Toast {
  message: string;
  /** The button labels, e.g. ["Test Connection", "Open Settings"]. */
  actions: string[];
  severity: "error" | "warning" | "info" | "unknown";
  locator: Locator;
}

export class Notifications {
  constructor(readonly page: Page) {}

  private toasts(): Locator {
    return this.page.locator(".notifications-toasts .notification-toast");
  }

  /**
   * The toasts on screen now, read in one pass in the page: toasts come and go (a progress toast
   * closes as its work ends), and reading them one by one would wait on one that has just gone.
   */
  async visible(): Promise<Toast[]> {
    const read = await this.toasts().evaluateAll((toasts) =>
      toasts.map((t) => {
        const text = (sel: string): string => (t.querySelector(sel) as HTMLElement | null)?.innerText ?? "";
        const icon = t.querySelector(".notification-list-item-icon")?.className ?? "";
        return {
          message: text(".notification-list-item-message").trim(),
          actions: [...t.querySelectorAll(".notification-list-item-buttons-container .monaco-button")].map(
            (b) => ((b as HTMLElement).innerText ?? "").trim(),
          ),
          icon,
        };
      }),
    );
    return read.map(({ message, actions, icon }) => ({
      message,
      actions,
      severity: /codicon-error/.test(icon)
        ? "error"
        : /codicon-warning/.test(icon)
          ? "warning"
          : /codicon-info/.test(icon)
            ? "info"
            : "unknown",
      // By its message, not its place: the toasts above it may close.
      locator: this.toasts().filter({ hasText: message }).first(),
    }));
  }

  /** Waits for a toast whose message matches (a string matches as a substring). */
  async waitFor(match: TextMatch, timeoutMs = 30_000): Promise<Toast> {
    const test = (m: string): boolean => (typeof match === "string" ? m.includes(match) : matches(m, match));
    return waitUntil(`a notification matching ${String(match)}`, { timeoutMs, intervalMs: 200 }, async () =>
      (await this.visible()).find((t) => test(t.message)),
    );
  }

  /** Clicks a button of a toast. */
  async clickAction(toast: Toast, label: string): Promise<void> {
    await toast.locator
      .locator(".notification-list-item-buttons-container .monaco-button", { hasText: label })
      .first()
      .click();
  }

  /** Dismisses every toast (the first-run ones get in the way of clicks). */
  async clearAll(): Promise<void> {
    const n = await this.toasts().count();
    if (n === 0) return;
    await this.page.keyboard.press("Escape");
    for (const t of await this.visible()) {
      const close = t.locator.locator(".codicon-notifications-clear, .codicon-close").first();
      if (await close.isVisible().catch(() => false)) await close.click().catch(() => undefined);
    }
    await waitUntil(
      "all notification toasts to close",
      { timeoutMs: 10_000, intervalMs: 200 },
      async () => (await this.toasts().count()) === 0,
    );
  }
}
