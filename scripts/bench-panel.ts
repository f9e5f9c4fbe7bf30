// `npm run bench:panel`: how the built panel (dist/webview.js, as VS Code loads it) keeps up in
// a real browser (Chromium through playwright-core, a plain page with a stub of
// acquireVsCodeApi: what code-server adds around the webview is not the panel's cost). For beam
// traces of N = 64, 256 and 1024 nodes it prints the time to paint a finished run (a snapshot,
// as a reopened panel or a replayed trace gets it), and the frame times while the run streams
// in (event batches every 100 ms, as the host's event-batcher sends them; requestAnimationFrame
// timestamps), then the time to show a finished 10,000-step solution. Writes
// bench/results/panel/results.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { chromium, type Page } from "playwright-core";
import { replay, type SearchEvent } from "../src/core/index.js";
import type { PanelSnapshot } from "../src/protocol.js";
import { CHROMIUM_ARGS } from "../test/e2e/harness/browser.js";
import { ensureChromium } from "../test/e2e/setup/chromium.js";
import { beamTrace, longSolutionTrace } from "./panel-trace.js";

const o = new Command()
  .name("bench-panel")
  .option("--sizes <list>", "beam trace sizes (nodes)", "64,256,1024")
  .option("--steps <k>", "steps of the long solution", Number, 10_000)
  .option("--repeats <k>", "runs of each measurement (the median is reported)", Number, 3)
  .option("--stream-ms <ms>", "how long the streamed run lasts", Number, 4000)
  .option("--out <dir>", "output folder", "bench/results/panel")
  .parse()
  .opts<{ sizes: string; steps: number; repeats: number; streamMs: number; out: string }>();

const BATCH_MS = 100; // src/extension/event-batcher.ts

const dist = resolve("dist");
const pageDir = mkdtempSync(join(tmpdir(), "tts-bench-panel-"));
const pageFile = join(pageDir, "panel.html");
const url = (f: string): string => pathToFileURL(join(dist, f)).href;
writeFileSync(
  pageFile,
  `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<link rel="stylesheet" href="${url("codicons/codicon.css")}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${url("webview.css")}">
<script>
  window.__toHost = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost.push(m), getState: () => undefined, setState: () => {} });
</script></head>
<body><main id="app"></main><script src="${url("webview.js")}"></script></body></html>`,
);

const snapshot = (events: SearchEvent[], running: boolean): PanelSnapshot => ({
  runId: 1,
  seq: events.length,
  view: replay(events),
  running,
  replay: false,
  problem: events[0]!.type === "run-started" ? events[0].problem.text : "",
  options: { strategy: "beam", n: 8, beamWidth: 4, temperature: 0.8, maxSteps: 40 },
  hasVerifier: true,
  note: "",
  error: null,
});

async function openPanel(page: Page): Promise<void> {
  await page.goto(pathToFileURL(pageFile).href);
  await page.waitForFunction(() => (window as unknown as { __toHost: unknown[] }).__toHost.length > 0);
}

/**
 * Milliseconds from handing the panel a message to the frame that shows it being painted, and to
 * the frame whose paint shows all of `rows` rows (a big tree is drawn over several frames).
 */
async function timeToPaint(
  page: Page,
  message: unknown,
  rows: number,
): Promise<{ first: number; all: number; longestFrame: number }> {
  return page.evaluate(
    async ({ m, rows }) => {
      const painted = (): Promise<void> =>
        // The panel draws in its requestAnimationFrame callback; a task queued from a later
        // callback of the same frame runs once that frame has been painted.
        new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const count = (): number => document.querySelectorAll('[data-testid="node"]').length;
      const t0 = performance.now();
      window.dispatchEvent(new MessageEvent("message", { data: m }));
      await painted();
      const first = performance.now() - t0;
      // the longest gap between painted frames while the rest of the rows are drawn
      let longestFrame = first;
      for (let last = performance.now(); count() < rows;) {
        await painted();
        longestFrame = Math.max(longestFrame, performance.now() - last);
        last = performance.now();
      }
      return { first, all: performance.now() - t0, longestFrame };
    },
    { m: message, rows },
  );
}

/** Streams `batches` into the panel every BATCH_MS; returns the frame intervals seen meanwhile. */
async function streamFrames(page: Page, first: PanelSnapshot, batches: unknown[]): Promise<number[]> {
  return page.evaluate(
    async ({ first, batches, batchMs }) => {
      const send = (m: unknown): void => {
        window.dispatchEvent(new MessageEvent("message", { data: m }));
      };
      const frames: number[] = [];
      let on = true;
      const loop = (ts: number): void => {
        frames.push(ts);
        if (on) requestAnimationFrame(loop);
      };
      send({ type: "snapshot", data: first });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      requestAnimationFrame(loop);
      for (const b of batches) {
        await new Promise((r) => setTimeout(r, batchMs));
        send(b);
      }
      // the last batch drawn and painted
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
      on = false;
      return frames.slice(1).map((t, i) => t - frames[i]!);
    },
    { first, batches, batchMs: BATCH_MS },
  );
}

/** The trace cut into the batches the host would send over `streamMs`. */
function batchesOf(events: SearchEvent[], streamMs: number): { type: "events"; data: unknown }[] {
  const end = events[events.length - 1]!.t || 1;
  const count = Math.max(1, Math.round(streamMs / BATCH_MS));
  const batches: { type: "events"; data: unknown }[] = [];
  let from = 1;
  for (let b = 1; b <= count; b++) {
    let to = from;
    while (to < events.length && events[to]!.t <= (end * b) / count) to++;
    if (b === count) to = events.length;
    batches.push({ type: "events", data: { runId: 1, seq: from, events: events.slice(from, to) } });
    from = to;
  }
  return batches;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const chrome = await ensureChromium((line) => console.log(line));
  const browser = await chromium.launch({ executablePath: chrome.path, headless: true, args: CHROMIUM_ARGS });
  const version = browser.version();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  console.log(
    `bench:panel · Chromium ${version} · ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}) · load ${loadavg()[0]!.toFixed(1)} · ${o.repeats} runs each, median`,
  );
  const results: Record<string, unknown>[] = [];
  for (const size of o.sizes.split(",").map(Number)) {
    const events = beamTrace(size);
    const nodes = events.filter((e) => e.type === "node-added").length - 1;
    const paints: number[] = [];
    const allRows: number[] = [];
    const longest: number[] = [];
    const runs: { p50: number; p95: number; max: number; frames: number }[] = [];
    for (let r = 0; r < o.repeats; r++) {
      await openPanel(page);
      const painted = await timeToPaint(page, { type: "snapshot", data: snapshot(events, false) }, nodes);
      paints.push(painted.first);
      allRows.push(painted.all);
      longest.push(painted.longestFrame);
      await openPanel(page);
      const frames = await streamFrames(
        page,
        snapshot(events.slice(0, 1), true),
        batchesOf(events, o.streamMs),
      );
      runs.push({
        p50: pct(frames, 50),
        p95: pct(frames, 95),
        max: Math.max(...frames),
        frames: frames.length,
      });
    }
    const drawn = await page.evaluate(() => document.querySelectorAll('[data-testid="node"]').length);
    if (drawn !== nodes) throw new Error(`the panel drew ${drawn} rows of ${nodes} nodes`);
    const row = {
      case: `beam N=${nodes}`,
      nodes,
      events: events.length,
      firstPaintMs: median(paints),
      allRowsMs: median(allRows),
      longestFrameWhileDrawingMs: median(longest),
      frameP50Ms: median(runs.map((x) => x.p50)),
      frameP95Ms: median(runs.map((x) => x.p95)),
      frameMaxMs: median(runs.map((x) => x.max)),
      frames: median(runs.map((x) => x.frames)),
    };
    results.push(row);
    console.log(
      `${row.case.padEnd(16)} finished run: first paint ${ms(row.firstPaintMs)}, all rows ${ms(row.allRowsMs)}, longest frame ${ms(row.longestFrameWhileDrawingMs)} · streaming ${events.length} events over ${o.streamMs / 1000} s: frames p50 ${ms(row.frameP50Ms)}, p95 ${ms(row.frameP95Ms)}, max ${ms(row.frameMaxMs)} (${row.frames} frames)`,
    );
  }

  const long = longSolutionTrace(o.steps);
  const shown: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    await openPanel(page);
    shown.push((await timeToPaint(page, { type: "snapshot", data: snapshot(long, false) }, 1)).first);
  }
  const stepsDrawn = await page.evaluate(
    () => document.querySelectorAll('[data-testid="detail-step"]').length,
  );
  results.push({ case: `solution of ${o.steps} steps`, steps: o.steps, shownMs: median(shown), stepsDrawn });
  console.log(
    `${`${o.steps}-step solution`.padEnd(16)} shown in ${ms(median(shown))} (runs: ${shown.map((x) => x.toFixed(0)).join(", ")} ms; ${stepsDrawn} steps drawn at once)`,
  );
  if (errors.length) console.log(`page errors:\n${errors.join("\n")}`);
  await browser.close();
  rmSync(pageDir, { recursive: true, force: true });

  mkdirSync(o.out, { recursive: true });
  writeFileSync(
    join(o.out, "results.json"),
    JSON.stringify(
      {
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model ?? null,
          node: process.version,
          chromium: version,
        },
        repeats: o.repeats,
        streamMs: o.streamMs,
        batchMs: BATCH_MS,
        results,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`wrote ${join(o.out, "results.json")}`);
  if (errors.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
