// The real webview bundle, as the panel loads it, in a DOM that runs scripts: hostile model text
// arriving in messages must leave nothing that executes.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as esbuild from "esbuild";
import { JSDOM, VirtualConsole } from "jsdom";
import { replay } from "../../../src/core/index.js";
import type { PanelSnapshot } from "../../../src/protocol.js";
import { recordRun, ScriptedPolicy } from "../extension/fake-run.js";
import { assertInert, BIG_STEP, HOSTILE_STEPS } from "./hostile.js";

let bundle = "";
before(async () => {
  const out = await esbuild.build({
    entryPoints: ["webview/main.ts"],
    bundle: true,
    write: false,
    platform: "browser",
    format: "iife",
    target: "es2022",
    outdir: "out",
    loader: { ".ttf": "empty", ".woff": "empty", ".woff2": "empty", ".css": "empty" },
    logLevel: "silent",
  });
  bundle = out.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
});

test("the bundle draws hostile text as text, and no handler or script it carries ever runs", async () => {
  const hostile = (d: number, s: number): string =>
    d === 2 && s === 1 ? BIG_STEP : HOSTILE_STEPS[(d * 3 + s) % HOSTILE_STEPS.length]!;
  const problem = HOSTILE_STEPS.join("\n\n");
  const events = await recordRun(
    { strategy: "dvts", n: 4, beamWidth: 2, maxSteps: 5 },
    new ScriptedPolicy(3, hostile),
    problem,
  );
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (e) =>
    errors.push(
      `${e.message} ${(e as { detail?: Error }).detail?.stack?.split("\n").slice(0, 4).join(" | ") ?? ""}`,
    ),
  );
  const dom = new JSDOM(`<!DOCTYPE html><html><body><main id="app"></main></body></html>`, {
    runScripts: "dangerously",
    pretendToBeVisual: true,
    virtualConsole,
  });
  const w = dom.window as unknown as Window & Record<string, unknown>;
  // jsdom lacks a few browser APIs the UI components call while laying out and validating forms
  // (ResizeObserver, form-associated ElementInternals, innerText); they have no bearing on what
  // model text becomes, so plain stand-ins do.
  dom.window.eval(`
    if (!("innerText" in HTMLElement.prototype))
      Object.defineProperty(HTMLElement.prototype, "innerText", {
        get() { return this.textContent; },
        set(v) { this.textContent = v; },
      });
    window.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
    const attach = HTMLElement.prototype.attachInternals;
    HTMLElement.prototype.attachInternals = function () {
      const internals = attach ? attach.call(this) : {};
      for (const m of ["setValidity", "setFormValue", "checkValidity", "reportValidity"])
        if (typeof internals[m] !== "function") internals[m] = () => true;
      return internals;
    };
  `);
  const posted: unknown[] = [];
  w.addEventListener("error", (e) =>
    errors.push(String((e as ErrorEvent).error?.stack ?? (e as ErrorEvent).message)),
  );
  w.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => posted.push(m),
    getState: () => undefined,
    setState: () => {},
  });
  const script = w.document.createElement("script");
  script.textContent = bundle;
  w.document.body.appendChild(script);
  try {
    await check();
  } finally {
    dom.window.close();
  }

  async function check(): Promise<void> {
    assert.deepEqual(errors, [], "the bundle loads without errors");
    assert.deepEqual(
      JSON.parse(JSON.stringify(posted[0])),
      { type: "ready", data: {} },
      "the page says ready",
    );

    const view = replay(events);
    const snap: PanelSnapshot = {
      runId: 1,
      seq: events.length,
      view,
      running: false,
      replay: false,
      problem,
      options: { strategy: "dvts", n: 4, beamWidth: 2, temperature: 0.8, maxSteps: 5 },
      hasVerifier: true,
      note: HOSTILE_STEPS[2]!,
      error: { message: HOSTILE_STEPS[1]!, action: "testConnection" },
    };
    w.postMessage(snap && { type: "snapshot", data: snap }, "*");
    const app = w.document.getElementById("app")!;
    // The rows are drawn over a few frames (search-view.ts ROWS_PER_FRAME, FRAME_MS).
    await waitFor(
      () => app.querySelectorAll('[data-testid="node"]').length === view.order.length - 1,
      "the tree to be drawn",
    );
    assert.ok(
      app.querySelectorAll(`[data-testid="node"]`).length > 0,
      `the tree was drawn ${errors.join("; ")}`,
    );
    const bigNode = view.order.find((id) => view.nodes[id]!.text === BIG_STEP.trim())!;
    app.querySelector<HTMLElement>(`[data-node-id="${bigNode}"] .row`)!.click();
    await waitFor(
      () => app.querySelectorAll('[data-testid="detail-step"]').length > 0,
      "the path to be shown",
    );
    assert.match(
      app.querySelector('[data-testid="detail"]')!.textContent!,
      /Long reasoning <b onclick=alert\(1\)>/,
    );
    assert.equal(
      app.querySelector('[data-testid="endpoint-note"]')!.textContent,
      HOSTILE_STEPS[2],
      "the endpoint note is shown as the text it is",
    );
    assertInert(app);
    assert.equal(w.__pwned, undefined, "no hostile script ran");
    assert.equal(w.document.querySelectorAll("script").length, 1, "only the bundle itself");
    assert.deepEqual(errors, []);
  }
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
