// `npm start` as a person runs it on a machine with no endpoints configured: it prints the URL of
// an isolated VS Code with the extension, says plainly in the terminal and in the panel that the
// models are simulated, a problem from its starter file solves to simworld's answer, and Ctrl+C
// stops everything.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { gradeAnswer } from "../../src/core/answers/index.js";
import { chainAnswer, findWorldProblem } from "../simworld/index.js";
import { saveFailure, saveScreenshot } from "./harness/artifacts.js";
import { launchBrowser, openWorkbench, type WorkbenchBrowser } from "./harness/browser.js";
// Not from harness/npm-start.ts: importing that module starts npm start in this process.
import { SIMULATED_NOTE } from "./harness/settings.js";
import { waitUntil } from "./harness/wait.js";
import { Workbench } from "./pages/workbench.js";
import { Webview } from "./pages/webview.js";
import { TtsPanel } from "./pages/tts-panel.js";
import { ensureE2eTools, REPO_ROOT } from "./setup/index.js";

const root = mkdtempSync(join(tmpdir(), "tts-npm-start-"));
let child: ChildProcess | undefined;
let output = "";
let browser: Browser | undefined;
let wb: WorkbenchBrowser | undefined;

before(
  async () => {
    // The first e2e suite installs the tools; here they are only looked up.
    await ensureE2eTools();
  },
  { timeout: 8 * 60_000 },
);

after(async () => {
  await wb?.close();
  await browser?.close();
  if (child && child.exitCode === null) child.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

test(
  "npm start serves the extension with simulated models, says so, and stops on Ctrl+C",
  { timeout: 8 * 60_000 },
  async () => {
    const label = "npm-start-serves-the-extension-with-simulated-models";
    // No endpoint anywhere: no TTS_REASONER_* variables, no VS Code user settings.
    const env: NodeJS.ProcessEnv = { ...process.env, TTS_START_DIR: join(root, "state") };
    for (const k of Object.keys(env)) if (k.startsWith("TTS_REASONER_")) delete env[k];
    env.XDG_CONFIG_HOME = join(root, "config");
    env.XDG_DATA_HOME = join(root, "data");
    child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "start.mjs")], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
    let page: WorkbenchBrowser["page"] | undefined;
    try {
      const url = await waitUntil(
        "npm start to print the URL to open",
        { timeoutMs: 5 * 60_000, intervalMs: 250 },
        () => {
          if (child!.exitCode !== null) throw new Error(`npm start exited ${child!.exitCode}:\n${output}`);
          return /^\s+(http:\/\/localhost:\d+\/\S*)$/m.exec(output)?.[1];
        },
      );
      assert.match(output, /The models are SIMULATED/, "the terminal says the models are simulated");
      assert.ok(
        output.includes(`State is kept in ${join(root, "state")}`),
        "npm start kept its state elsewhere",
      );

      const tools = await ensureE2eTools();
      browser = await launchBrowser(tools.chromium);
      wb = await openWorkbench(browser, url);
      page = wb.page;
      const workbench = new Workbench(page);
      await workbench.palette.waitForCommand("TTS Reasoner: Solve with TTS", 90_000);
      await workbench.editor.open("simworld-problems.md");
      const text = await workbench.editor.text();
      // The starter file: a heading, a line of help, then "## Problem k (level l)" and its text.
      const lines = text.split("\n");
      const at = lines.findIndex((l) => l.startsWith("## Problem 1 "));
      assert.ok(at >= 0, `the starter file has no problems:\n${text}`);
      const problem = lines[at + 2]!;
      const found = findWorldProblem(problem);
      assert.ok(found, `the starter problem is not simworld's: ${problem}`);
      const truth = String(chainAnswer(found.chain));
      await workbench.editor.selectLines(at + 3, at + 3);
      assert.equal(await workbench.editor.selectedText(), problem);
      await workbench.runCommand("TTS Reasoner: Solve with TTS");

      const panel = new TtsPanel(
        new Webview(page, { extensionId: "tts-reasoner.tts-reasoner", title: "TTS Reasoner" }),
      );
      await panel.waitReady();
      assert.equal((await panel.webview.byTestId("endpoint-note").innerText()).trim(), SIMULATED_NOTE);
      const status = await panel.waitForStatus(["Finished", "Failed", "Cancelled"], 180_000);
      assert.equal(status, "Finished", `the run ended ${status}: ${JSON.stringify(await panel.error())}`);
      const { answer } = await panel.answer();
      assert.ok(gradeAnswer(truth, answer).equal, `the answer "${answer}" is not simworld's ${truth}`);
      await saveScreenshot(page, `${label}.png`);

      // Ctrl+C (SIGINT) stops code-server and simworld, and npm start exits cleanly.
      child.kill("SIGINT");
      const code = await waitUntil(
        "npm start to exit after Ctrl+C",
        { timeoutMs: 30_000, intervalMs: 200 },
        () => child!.exitCode ?? undefined,
      );
      assert.equal(code, 0, output);
      assert.match(output, /Stopping code-server and simworld/);
      await waitUntil(
        `code-server at ${url} to stop answering`,
        { timeoutMs: 15_000, intervalMs: 250 },
        async () => {
          try {
            await fetch(url, { signal: AbortSignal.timeout(2_000) });
            return undefined;
          } catch {
            return true;
          }
        },
      );
    } catch (err) {
      const server = join(root, "state", "server");
      const dir = await saveFailure(label, {
        page,
        error: err,
        console: wb?.console,
        serverLog: join(server, "code-server.log"),
        coderLogsDir: join(server, "home", ".local", "share", "code-server", "coder-logs"),
      });
      if (err instanceof Error)
        err.message += `\n--- npm start printed ---\n${output}\n(e2e artifacts: ${dir})`;
      throw err;
    }
  },
);
