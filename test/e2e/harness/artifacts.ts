// What a scenario leaves under test-results/e2e/: a screenshot of its end state and, when it
// failed, the error, the code-server log, VS Code's logs (server, extension host, our output
// channel) and the browser console, so a red CI run can be read without re-running it.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "../setup/index.js";

export const RESULTS_DIR = join(REPO_ROOT, "test-results", "e2e");

/** A file-name-safe form of a scenario title. */
export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

/** Removes what an earlier run of `label` left, so the folder shows this run only. */
export function clearArtifacts(label: string): void {
  rmSync(join(RESULTS_DIR, `${label}.png`), { force: true });
  rmSync(join(RESULTS_DIR, `${label}-failure`), { recursive: true, force: true });
}

export async function saveScreenshot(page: Page, file: string): Promise<string | null> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, file);
  try {
    await page.screenshot({ path, timeout: 15_000 });
    return path;
  } catch {
    return null;
  }
}

export interface FailureSources {
  page?: Page;
  error: unknown;
  serverLog?: string;
  /** VS Code's logs folder (user-data/logs). */
  logsDir?: string;
  /** code-server's own logs (HOME/.local/share/code-server/coder-logs). */
  coderLogsDir?: string;
  console?: string[];
}

/** Writes test-results/e2e/<label>-failure/ and returns its path. */
export async function saveFailure(label: string, src: FailureSources): Promise<string> {
  const dir = join(RESULTS_DIR, `${label}-failure`);
  mkdirSync(dir, { recursive: true });
  const error = src.error instanceof Error ? (src.error.stack ?? src.error.message) : String(src.error);
  writeFileSync(join(dir, "error.txt"), error + "\n");
  if (src.page) await saveScreenshot(src.page, join(`${label}-failure`, "screenshot.png"));
  copyLogs(dir, src);
  return dir;
}

/** Copies the logs again (after shutdown they are complete: spdlog flushes on exit). */
export function copyLogs(dir: string, src: Omit<FailureSources, "error" | "page">): void {
  mkdirSync(dir, { recursive: true });
  if (src.serverLog && existsSync(src.serverLog)) cpSync(src.serverLog, join(dir, "code-server.log"));
  if (src.logsDir && existsSync(src.logsDir))
    cpSync(src.logsDir, join(dir, "vscode-logs"), { recursive: true });
  if (src.coderLogsDir && existsSync(src.coderLogsDir))
    cpSync(src.coderLogsDir, join(dir, "coder-logs"), { recursive: true });
  if (src.console) writeFileSync(join(dir, "browser-console.log"), src.console.join("\n") + "\n");
}
