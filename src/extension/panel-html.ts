// The panel's page: a strict Content Security Policy (nothing but our own files from dist/,
// scripts only with this render's nonce, no inline styles) and the bundle that draws the panel.
import { randomBytes } from "node:crypto";
import { PANEL_TITLE } from "../protocol.js";

export interface PanelAssets {
  /** `webview.cspSource`: the origin of URIs made by `asWebviewUri`. */
  cspSource: string;
  script: string;
  style: string;
  codicons: string;
}

export function newNonce(): string {
  return randomBytes(18).toString("base64url");
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

const attr = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function panelHtml(assets: PanelAssets, nonce: string = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(assets.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(assets.codicons)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(assets.style)}">
<title>${PANEL_TITLE}</title>
</head>
<body>
<main id="app" data-testid="app"></main>
<script nonce="${attr(nonce)}" src="${attr(assets.script)}"></script>
</body>
</html>`;
}
