import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { contentSecurityPolicy, newNonce, panelHtml } from "../../../src/extension/panel-html.js";

const assets = {
  cspSource: "https://file+.vscode-resource.vscode-cdn.net",
  script: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js",
  style: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css",
  codicons: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css",
};

test("the CSP allows only our own files and scripts with this render's nonce", () => {
  const csp = contentSecurityPolicy(assets.cspSource, "abc");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc'(;|$)/);
  assert.match(csp, new RegExp(`style-src ${assets.cspSource.replace(/[.+]/g, "\\$&")}(;|$)`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https:(?!\/\/file)/);
});

test("the page: CSP first, codicons linked by the id the elements look for, one nonced script", () => {
  const html = panelHtml(assets, "n0nce");
  const doc = new JSDOM(html).window.document;
  const metas = [...doc.head.querySelectorAll("meta")];
  assert.equal(metas[1]?.getAttribute("http-equiv"), "Content-Security-Policy");
  assert.equal(doc.getElementById("vscode-codicon-stylesheet")?.getAttribute("href"), assets.codicons);
  const scripts = [...doc.querySelectorAll("script")];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0]!.getAttribute("nonce"), "n0nce");
  assert.equal(scripts[0]!.getAttribute("src"), assets.script);
  assert.equal(doc.querySelectorAll("style,[style]").length, 0, "no inline styles");
});

test("nonces are fresh and URL-safe", () => {
  const a = newNonce();
  assert.notEqual(a, newNonce());
  assert.match(a, /^[A-Za-z0-9_-]{20,}$/);
});
