// An e2e session: everything a scenario needs, started in order and torn down in reverse even
// when a step or a scenario fails. setup → VSIX → (simworld) → code-server with the VSIX and
// seeded settings → headless Chromium on the workbench.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Page } from "playwright-core";
import { ensureE2eTools, type E2eTools } from "../setup/index.js";
import { Workbench } from "../pages/workbench.js";
import { Webview } from "../pages/webview.js";
import { clearArtifacts, copyLogs, RESULTS_DIR, saveFailure, saveScreenshot, slug } from "./artifacts.js";
import { launchBrowser, openWorkbench, type WorkbenchBrowser } from "./browser.js";
import { installExtension, prepareDirs, startCodeServer, type CodeServer } from "./code-server.js";
import {
  checkContributed,
  endpointSettings,
  QUIET_WORKBENCH,
  RESTRICTED_MODE,
  type Settings,
} from "./settings.js";
import {
  SIM_POLICY_MODEL,
  SIM_PRM_MODEL,
  startSimworld,
  type Simworld,
  type SimworldOptions,
} from "./simworld.js";
import { buildVsix, paletteCommandTitles, type Vsix } from "./vsix.js";
import type { Browser } from "playwright-core";

export interface SessionOptions {
  /** Names the session's artifacts (test-results/e2e/<name>-setup-failure on a failed start). */
  name: string;
  /**
   * Start simworld and point the extension's endpoint settings at it (policy sim-policy-1.5b,
   * PRM sim-prm-qwen over vLLM pooling). An object passes simworld options (flavour defaults to vllm).
   */
  simworld?: boolean | Partial<SimworldOptions>;
  /**
   * Serve the verifier from a second simworld, on its own origin (another port), e.g. to check
   * that an API key set for the policy's origin never reaches the verifier's. Needs `simworld`.
   */
  verifierSimworld?: boolean | Partial<SimworldOptions>;
  /** User settings over the quiet defaults and the simworld endpoints (e.g. a dead policy URL). */
  settings?: Settings | ((simworld: Simworld | undefined) => Settings);
  /** Files to create in the workspace folder, by relative path (a function runs at the start). */
  files?: Record<string, string> | (() => Record<string, string>);
  /**
   * Open the folder in Restricted Mode (workspace trust on, the folder not trusted, no prompt);
   * default: trust off, as a trusted window.
   */
  restricted?: boolean;
  /** Progress lines; default: none (the setup step still reports installs on stderr). */
  log?: (line: string) => void;
}

export interface E2eSession {
  readonly name: string;
  readonly tools: E2eTools;
  readonly page: Page;
  readonly workbench: Workbench;
  readonly simworld: Simworld | undefined;
  /** The verifier's own simworld, when the session was started with `verifierSimworld`. */
  readonly verifierSimworld: Simworld | undefined;
  readonly codeServer: CodeServer;
  /** The workspace folder the workbench has open. */
  readonly workspace: string;
  readonly vsix: Vsix;
  /** `id@version` lines of `code-server --list-extensions --show-versions`. */
  readonly installedExtensions: string[];
  /** The user settings the instance started with. */
  readonly settings: Settings;
  /** Seconds each start step took, for the log. */
  readonly timings: Record<string, number>;
  /** Our extension's panel (its webview). */
  panel(title?: string): Webview;
  /** Writes a workspace file (creating folders), e.g. a problem to open. */
  writeFile(relativePath: string, text: string): string;
  /**
   * Runs one scenario: on success saves test-results/e2e/<slug>.png of its end state; on failure
   * saves <slug>-failure/ (screenshot, error, logs) and rethrows.
   */
  run(title: string, fn: (session: E2eSession) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startSession(opts: SessionOptions): Promise<E2eSession> {
  const log = opts.log ?? ((): void => undefined);
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[step] = Math.round((Date.now() - t0) / 100) / 10;
    }
  };
  // Processes to stop, in reverse order of starting; the temp folder goes after the logs are copied.
  const teardown: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of teardown.splice(0).reverse()) await step().catch(() => undefined);
  };
  rmSync(join(RESULTS_DIR, `${slug(opts.name)}-setup-failure`), { recursive: true, force: true });
  const root = mkdtempSync(join(tmpdir(), "tts-e2e-"));
  const removeRoot = (): void => {
    if (!process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
  };
  let codeServer: CodeServer | undefined;
  let wb: WorkbenchBrowser | undefined;
  try {
    const tools = await timed("setup", () => ensureE2eTools());
    const vsix = await timed("vsix", () => buildVsix(join(root, "extension.vsix"), log));

    let simworld: Simworld | undefined;
    if (opts.simworld) {
      const simOptions = typeof opts.simworld === "object" ? opts.simworld : {};
      simworld = await timed("simworld", () => startSimworld({ flavour: "vllm", port: 0, ...simOptions }));
      const sim = simworld;
      teardown.push(() => sim.close());
    }
    let verifierSimworld: Simworld | undefined;
    if (opts.verifierSimworld) {
      if (!simworld)
        throw new Error("verifierSimworld needs simworld: the policy is served by the first one");
      const simOptions = typeof opts.verifierSimworld === "object" ? opts.verifierSimworld : {};
      verifierSimworld = await timed("verifier simworld", () =>
        startSimworld({ flavour: "vllm", port: 0, ...simOptions }),
      );
      const sim = verifierSimworld;
      teardown.push(() => sim.close());
    }
    const extra = typeof opts.settings === "function" ? opts.settings(simworld) : (opts.settings ?? {});
    const settings: Settings = {
      ...QUIET_WORKBENCH,
      ...(simworld
        ? endpointSettings({
            baseUrl: simworld.url,
            policyModel: SIM_POLICY_MODEL,
            verifierModel: SIM_PRM_MODEL,
            ...(verifierSimworld ? { verifierBaseUrl: verifierSimworld.url } : {}),
          })
        : {}),
      ...extra,
      ...(opts.restricted ? RESTRICTED_MODE : {}),
    };
    checkContributed(settings);

    const dirs = prepareDirs(join(root, "server"), settings);
    const installed = await timed("install", () => installExtension(tools, dirs, vsix));
    const workspace = join(root, "workspace");
    mkdirSync(workspace, { recursive: true });
    const writeFile = (rel: string, text: string): string => {
      const path = join(workspace, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    };
    const files = typeof opts.files === "function" ? opts.files() : (opts.files ?? {});
    for (const [rel, text] of Object.entries(files)) writeFile(rel, text);

    codeServer = await timed("code-server", () =>
      startCodeServer({ tools, dirs, workspace, workspaceTrust: opts.restricted === true }),
    );
    const cs = codeServer;
    teardown.push(() => cs.stop());
    const browser: Browser = await timed("chromium", () => launchBrowser(tools.chromium));
    teardown.push(() => browser.close());
    wb = await timed("workbench", () => openWorkbench(browser, cs.workspaceUrl));
    const page = wb.page;
    const consoleLines = wb.console;
    const logSources = {
      serverLog: dirs.serverLog,
      logsDir: cs.logsDir,
      coderLogsDir: join(dirs.home, ".local", "share", "code-server", "coder-logs"),
      console: consoleLines,
    };
    const failed: string[] = [];
    const workbench = new Workbench(page);
    // Ready means our extension is known to the workbench, not just that the workbench drew.
    const probe = paletteCommandTitles()[0];
    if (probe) await timed("extension", () => workbench.palette.waitForCommand(probe, 90_000));
    log(
      `session "${opts.name}" ready: ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v} s`)
        .join(", ")}`,
    );

    const session: E2eSession = {
      name: opts.name,
      tools,
      page,
      workbench,
      simworld,
      verifierSimworld,
      codeServer: cs,
      workspace,
      vsix,
      installedExtensions: installed,
      settings,
      timings,
      panel: (title?: string) => new Webview(page, { extensionId: vsix.id, title }),
      writeFile,
      async run(title, fn) {
        const label = slug(title);
        clearArtifacts(label);
        try {
          await fn(session);
          await saveScreenshot(page, `${label}.png`);
        } catch (err) {
          failed.push(label);
          const dir = await saveFailure(label, { ...logSources, page, error: err });
          if (err instanceof Error) err.message += `\n(e2e artifacts: ${dir})`;
          throw err;
        }
      },
      async close() {
        const t0 = Date.now();
        await stopAll();
        log(`session "${opts.name}" stopped in ${Math.round((Date.now() - t0) / 100) / 10} s`);
        // Stopped, the servers have flushed their logs: copy the complete ones.
        for (const label of failed) copyLogs(join(RESULTS_DIR, `${label}-failure`), logSources);
        removeRoot();
      },
    };
    return session;
  } catch (err) {
    const label = `${slug(opts.name)}-setup`;
    const sources = {
      serverLog: codeServer?.dirs.serverLog,
      logsDir: codeServer?.logsDir,
      coderLogsDir: codeServer
        ? join(codeServer.dirs.home, ".local", "share", "code-server", "coder-logs")
        : undefined,
      console: wb?.console,
    };
    const dir = await saveFailure(label, { ...sources, error: err, page: wb?.page });
    await stopAll();
    copyLogs(dir, sources);
    removeRoot();
    if (err instanceof Error) err.message += `\n(e2e artifacts: ${dir})`;
    throw err;
  }
}
