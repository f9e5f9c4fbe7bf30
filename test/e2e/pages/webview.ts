// A webview panel's content. In code-server a webview is two nested iframes: the outer
// `iframe.webview` (the extension id is in its src) and, inside it, `iframe#active-frame` whose
// title is the panel's title and which holds the page. Playwright reaches into iframes only
// through frame locators; inside, locators pierce open shadow roots (vscode-elements), so
// `data-testid`s work.
import type { FrameLocator, Locator, Page } from "playwright-core";
import { waitUntil, within } from "../harness/wait.js";

export interface WebviewTarget {
  /** The contributing extension, `publisher.name` (e.g. "tts-reasoner.tts-reasoner"). */
  extensionId: string;
  /** Part of the panel title (exact case), to pick one of several webviews of the extension. */
  title?: string;
}

export class Webview {
  /** Every outer webview iframe of the extension. */
  readonly outers: Locator;
  private index = 0;

  constructor(
    readonly page: Page,
    readonly target: WebviewTarget,
  ) {
    this.outers = page.locator(`iframe.webview.ready[src*="extensionId=${target.extensionId}"]`);
  }

  private describe(): string {
    return `the webview of ${this.target.extensionId}${this.target.title ? ` titled "${this.target.title}"` : ""}`;
  }

  private innerSelector(): string {
    return this.target.title
      ? `iframe#active-frame[title*=${JSON.stringify(this.target.title)}]`
      : "iframe#active-frame";
  }

  /** The page inside the panel (valid after waitReady()). */
  get frame(): FrameLocator {
    return this.outers.nth(this.index).contentFrame().locator(this.innerSelector()).contentFrame();
  }

  /** Waits until a visible webview of the extension (with the title, if given) has loaded its page. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const found = await waitUntil(this.describe(), { timeoutMs, intervalMs: 200 }, async () => {
      const n = await this.outers.count();
      for (let i = 0; i < n; i++) {
        const outer = this.outers.nth(i);
        if (!(await outer.isVisible())) continue;
        if ((await outer.contentFrame().locator(this.innerSelector()).count()) > 0) return { i };
      }
      return undefined;
    });
    this.index = found.i;
    await within(
      `${this.describe()} to load its page`,
      this.frame.locator("body").waitFor({ state: "attached", timeout: timeoutMs }),
    );
  }

  /** The panel's title (the inner frame's title attribute). */
  async title(): Promise<string> {
    return (
      (await this.outers
        .nth(this.index)
        .contentFrame()
        .locator(this.innerSelector())
        .getAttribute("title")) ?? ""
    );
  }

  /** An element by its `data-testid` (shadow roots included). */
  byTestId(id: string): Locator {
    return this.frame.getByTestId(id);
  }

  locator(selector: string): Locator {
    return this.frame.locator(selector);
  }
}
