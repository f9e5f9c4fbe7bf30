// The one search panel. The host owns the run (RunState); the webview only draws it. A webview
// that was hidden loses its page and, once shown again, asks for a snapshot with `ready`; while
// it is not ready nothing is posted (hidden webviews get no messages anyway).
import * as vscode from "vscode";
import type { SearchEvent } from "../core/index.js";
import {
  PANEL_TITLE,
  PANEL_VIEW_TYPE,
  parseToHost,
  toWebview,
  type PanelSetup,
  type ToHostMessage,
  type ToWebviewMessage,
} from "../protocol.js";
import { EventBatcher } from "./event-batcher.js";
import { panelHtml } from "./panel-html.js";
import type { RequestLog } from "./request-log.js";
import type { RunState } from "./run-state.js";

export interface PanelHost {
  state: RunState;
  /** The form's defaults and whether a verifier is configured. */
  setup(): PanelSetup;
  onMessage(message: ToHostMessage): void;
  log: RequestLog;
}

export class Panel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly panelSubscriptions: vscode.Disposable[] = [];
  private readonly batcher = new EventBatcher((batch) => this.post(toWebview("events", batch)), 100);

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
  ) {}

  /** The webview options, applied to new and restored panels alike. */
  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist")],
      enableFindWidget: true,
    };
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      PANEL_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  /** Takes over a panel: a new one, or one the serializer restored after a reload. */
  adopt(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "panel-icon.svg");
    panel.webview.options = this.webviewOptions();
    const dist = (file: string): string =>
      panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", file)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      script: dist("webview.js"),
      style: dist("webview.css"),
      codicons: dist("codicons/codicon.css"),
    });
    this.panelSubscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // A hidden webview's page is gone; it says `ready` again when it is back.
        if (!panel.visible) {
          this.ready = false;
          this.batcher.discard();
        }
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
          this.batcher.discard();
          this.panelSubscriptions.splice(0).forEach((d) => d.dispose());
        }
      }),
    );
  }

  private receive(raw: unknown): void {
    const parsed = parseToHost(raw);
    if (!parsed.ok) {
      this.host.log.warn(`Panel message refused: ${parsed.reason}`);
      return;
    }
    if (parsed.message.type === "ready") {
      this.ready = true;
      this.sendSnapshot();
      return;
    }
    this.host.onMessage(parsed.message);
  }

  /** Redraws the panel from the host's state; pending event batches are already in it. */
  sendSnapshot(): void {
    if (!this.panel || !this.ready) return;
    this.batcher.discard();
    void this.panel.webview.postMessage(toWebview("snapshot", this.host.state.snapshot(this.host.setup())));
  }

  /** Queues one event of the current run for the next batch. */
  event(runId: number, seq: number, event: SearchEvent): void {
    if (!this.panel || !this.ready) return;
    this.batcher.push(runId, seq, event);
  }

  sendStatus(): void {
    this.batcher.flush();
    const s = this.host.state;
    this.post(toWebview("status", { runId: s.runId, running: s.running, error: s.error }));
  }

  sendOptions(): void {
    this.post(toWebview("options", this.host.setup()));
  }

  private post(message: ToWebviewMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private disposePanel(): void {
    this.panelSubscriptions.splice(0).forEach((d) => d.dispose());
    this.batcher.discard();
    const old = this.panel;
    this.panel = undefined;
    old?.dispose();
  }

  dispose(): void {
    this.disposePanel();
  }
}
