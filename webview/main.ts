// The panel's entry point in the browser: registers the UI components, loads the styles, and
// starts the app on the page the host wrote (see src/extension/panel-html.ts).
import "@vscode-elements/elements/dist/vscode-badge/index.js";
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-collapsible/index.js";
import "@vscode-elements/elements/dist/vscode-label/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-textarea/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import "katex/dist/katex.css";
import "./panel.css";
import "./search.css";
import "./charts.css";
import "./code.css";
import { App } from "./app.js";
import { hostApi } from "./vscode-api.js";

const root = document.getElementById("app");
if (root) {
  const app = new App(root, hostApi());
  window.addEventListener("message", (e: MessageEvent) => app.handle(e.data));
}
