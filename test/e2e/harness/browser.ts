// Headless Chromium through playwright-core, opened on a code-server workbench. The page's
// console and errors are kept, because a failed test should say what the workbench complained of.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { waitUntil, within } from "./wait.js";

/** The flags known to work for Debian's Chromium in containers (see the VS Code reference, §5). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export interface WorkbenchBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors, oldest first. */
  console: string[];
  close(): Promise<void>;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return within(
    `Chromium (${executablePath}) to start`,
    chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 }),
  );
}

/**
 * Opens `url` in a fresh context and waits for the workbench, reloading when it does not come up
 * (code-server's own tests do the same: the first load after a start can stall).
 */
export async function openWorkbench(
  browser: Browser,
  url: string,
  opts: { timeoutMs?: number } = {},
): Promise<WorkbenchBrowser> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    // Reading the editor's text goes through the clipboard.
    permissions: ["clipboard-read", "clipboard-write"],
  });
  // tsx compiles with keepNames, which wraps named functions in `__name(...)`; functions sent to
  // page.evaluate run in the page (and webview frames), where that helper must exist too.
  await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  const keep = (line: string): void => {
    consoleLines.push(`${new Date().toISOString()} ${line}`);
    if (consoleLines.length > 5000) consoleLines.splice(0, 1000);
  };
  page.on("console", (m) => keep(`[${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => keep(`[pageerror] ${e.message}`));
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
  };
  try {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    let attempt = 0;
    await waitUntil(
      `the VS Code workbench (div.monaco-workbench) at ${url}`,
      { timeoutMs, intervalMs: 0 },
      async () => {
        attempt++;
        if (attempt === 1) await page.goto(url, { timeout: 30_000 });
        else await page.reload({ timeout: 30_000 });
        await page.locator("div.monaco-workbench").waitFor({ state: "visible", timeout: 30_000 });
        return true;
      },
    );
    // The editor area and status bar are drawn once the workbench has restored its layout.
    await within(
      "the editor area and status bar",
      page.locator(".part.editor").first().waitFor({ state: "visible", timeout: 30_000 }),
    );
    await within(
      "the status bar",
      page.locator("#workbench\\.parts\\.statusbar").waitFor({ state: "visible", timeout: 30_000 }),
    );
    return { browser, context, page, console: consoleLines, close };
  } catch (err) {
    await close();
    throw err;
  }
}
