// The text editor, as a person uses it: open a file, type, select lines, run commands on the
// selection, read the text back and the scores drawn at the ends of lines.
import { basename } from "node:path";
import type { Locator, Page } from "playwright-core";
import { waitUntil, within } from "../harness/wait.js";
import { QuickInput } from "./quick-input.js";

/** One rendered editor line: its text and any text a decoration draws before/after it. */
export interface RenderedLine {
  /** 1-based line number, from the line-number gutter (wrapped rows are joined into their line). */
  lineNumber: number;
  text: string;
  /** `contentText` of `before`/`after` decorations (CSS ::before/::after content), in order. */
  decorations: string[];
}

export class Editor {
  private readonly quickInput: QuickInput;

  constructor(readonly page: Page) {
    this.quickInput = new QuickInput(page);
  }

  /** The text editor of the active editor group. */
  active(): Locator {
    return this.page.locator(".editor-group-container.active .monaco-editor").first();
  }

  /** The title of the active tab (e.g. "problem.md"). */
  async activeTitle(): Promise<string> {
    const tab = this.page.locator(".editor-group-container.active .tab.active").first();
    return (
      (await tab.getAttribute("data-resource-name", { timeout: 1_000 }).catch(() => null)) ?? ""
    ).trim();
  }

  /** Opens a workspace file with Quick Open (Ctrl+P), as a person would, and waits for its editor. */
  async open(relativePath: string, timeoutMs = 20_000): Promise<void> {
    const name = basename(relativePath);
    let n = 0;
    // Opening and typing are retried together: focus moving into a webview as Quick Open
    // opens can close it again, taking the typed text with it.
    await waitUntil(
      `Quick Open (Ctrl+P) to open and hold "${relativePath}"`,
      { timeoutMs: 15_000, intervalMs: 0 },
      async () => {
        if (n++ > 0) await this.page.keyboard.press("Escape");
        await this.page.keyboard.press("Control+P");
        await this.quickInput.input.waitFor({ state: "visible", timeout: 2_000 });
        await this.quickInput.input.fill(relativePath, { timeout: 2_000 });
        return (await this.quickInput.input.inputValue({ timeout: 1_000 })) === relativePath;
      },
    );
    await this.quickInput.pick(name, timeoutMs);
    await waitUntil(
      `the editor of ${relativePath} to be active`,
      { timeoutMs },
      async () => (await this.activeTitle()) === name,
    );
    await within(
      `the text of ${relativePath} to render`,
      this.active().locator(".view-lines").waitFor({ state: "visible", timeout: timeoutMs }),
    );
  }

  /** Puts the keyboard focus in the active editor, keeping its cursor where it is. */
  async focus(): Promise<void> {
    const editor = this.active();
    await within("the active text editor", editor.waitFor({ state: "visible", timeout: 10_000 }));
    const input = editor.locator(".native-edit-context, textarea.inputarea").first();
    await input.focus();
    await waitUntil("the text editor to have focus", { timeoutMs: 5_000 }, () =>
      editor.evaluate((el) => el.classList.contains("focused") || el.contains(document.activeElement)),
    );
  }

  /** Types like a person (key by key; "\n" presses Enter). The editor must have focus. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /** Inserts text in one go, as a paste or an input method does. */
  async insertText(text: string): Promise<void> {
    await this.page.keyboard.insertText(text);
  }

  async selectAll(): Promise<void> {
    await this.focus();
    await this.page.keyboard.press("Control+A");
  }

  /** Moves the cursor to column 1 of `line` (1-based) with Go to Line (Ctrl+G). */
  async goToLine(line: number): Promise<void> {
    await this.focus();
    await this.page.keyboard.press("Control+G");
    await this.quickInput.waitOpen();
    await this.quickInput.fill(`:${line}`);
    await this.quickInput.submit();
    await this.quickInput.waitClosed();
    await this.focus();
    await waitUntil(
      `the cursor on line ${line}`,
      { timeoutMs: 5_000 },
      async () => (await this.cursorLine()) === line,
    );
  }

  /**
   * Selects whole lines `from`..`to` (1-based, inclusive), from column 1 to the end of `to`,
   * wrapped or not: Expand Line Selection (Ctrl+L) takes logical lines with their line break,
   * and the last line break is given back.
   */
  async selectLines(from: number, to: number): Promise<void> {
    await this.goToLine(from);
    for (let i = from; i <= to; i++) await this.page.keyboard.press("Control+L");
    if ((await this.selectedText()).endsWith("\n")) await this.page.keyboard.press("Shift+ArrowLeft");
  }

  /** The line of the cursor, read from the status bar ("Ln 3, Col 1"). */
  async cursorLine(): Promise<number | undefined> {
    const text = await this.page
      .locator("#status\\.editor\\.selection")
      .innerText()
      .catch(() => "");
    const m = /Ln (\d+)/.exec(text);
    return m ? Number(m[1]) : undefined;
  }

  /** The selected text, through the clipboard (the document model, not the rendered lines). */
  async selectedText(): Promise<string> {
    const sentinel = `\u0000e2e-${Date.now()}-${Math.random()}`;
    await this.page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);
    await this.focus();
    await this.page.keyboard.press("Control+C");
    return waitUntil("the editor's copy to reach the clipboard", { timeoutMs: 5_000 }, async () => {
      const text = await this.page.evaluate(() => navigator.clipboard.readText());
      return text === sentinel ? undefined : { text };
    }).then((r) => r.text);
  }

  /**
   * The whole document text, exactly (all lines, even those scrolled out of view): selects all
   * and copies. Leaves everything selected.
   */
  async text(): Promise<string> {
    await this.selectAll();
    return this.selectedText();
  }

  /**
   * The lines the editor draws now (only those in view), with the text their decorations add
   * (e.g. a step's score at the end of its line).
   */
  async renderedLines(): Promise<RenderedLine[]> {
    return this.active().evaluate((editor) => {
      const tops = (el: Element): number => parseFloat((el as HTMLElement).style.top || "0");
      const numbers = [...editor.querySelectorAll(".margin-view-overlays .line-numbers")].map((el) => ({
        top: tops(el.parentElement ?? el),
        n: Number((el.textContent ?? "").trim()),
      }));
      const lines = [...editor.querySelectorAll(".view-lines .view-line")].sort((a, b) => tops(a) - tops(b));
      const pseudo = (el: Element, which: "::before" | "::after"): string | null => {
        const c = getComputedStyle(el, which).content;
        if (!c || c === "none" || c === "normal") return null;
        return c.replace(/^"(.*)"$/s, "$1").replace(/\\"/g, '"');
      };
      const out: { lineNumber: number; text: string; decorations: string[] }[] = [];
      for (const line of lines) {
        const top = tops(line);
        // A wrapped line's continuation rows have no number: they belong to the row above.
        const lineNumber = numbers.find((x) => Math.abs(x.top - top) < 1)?.n;
        const decorations: string[] = [];
        for (const span of line.querySelectorAll("span")) {
          for (const which of ["::before", "::after"] as const) {
            const t = pseudo(span, which);
            if (t) decorations.push(t);
          }
        }
        const text = (line.textContent ?? "").replace(/\u00a0/g, " ");
        const previous = out[out.length - 1];
        if (!lineNumber && previous) {
          previous.text += text;
          previous.decorations.push(...decorations);
        } else out.push({ lineNumber: lineNumber ?? 0, text, decorations });
      }
      return out;
    });
  }

  /** Saves with Ctrl+S and waits until the tab is no longer dirty. */
  async save(): Promise<void> {
    await this.focus();
    await this.page.keyboard.press("Control+S");
    await within(
      "the active tab to lose its unsaved-changes mark",
      this.page
        .locator(".editor-group-container.active .tab.active.dirty")
        .waitFor({ state: "detached", timeout: 10_000 }),
    );
  }
}
