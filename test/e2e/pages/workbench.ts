// The workbench as a whole: the entry point page objects hang from.
import type { Page } from "playwright-core";
import { CommandPalette } from "./command-palette.js";
import { Editor } from "./editor.js";
import { Notifications } from "./notifications.js";
import { QuickInput } from "./quick-input.js";
import { StatusBar } from "./status-bar.js";
import { Webview, type WebviewTarget } from "./webview.js";

export class Workbench {
  readonly palette: CommandPalette;
  readonly quickInput: QuickInput;
  readonly notifications: Notifications;
  readonly statusBar: StatusBar;
  readonly editor: Editor;

  constructor(readonly page: Page) {
    this.palette = new CommandPalette(page);
    this.quickInput = new QuickInput(page);
    this.notifications = new Notifications(page);
    this.statusBar = new StatusBar(page);
    this.editor = new Editor(page);
  }

  /** Runs a command by its palette title, e.g. "TTS Reasoner: Solve with TTS". */
  async runCommand(title: string): Promise<void> {
    await this.palette.run(title);
  }

  /** A webview (panel or view) of an extension. */
  webview(target: WebviewTarget): Webview {
    return new Webview(this.page, target);
  }
}
