// Reads and writes a strategy table written by `tts-reasoner calibrate` (the CLI and the
// extension both load it for Auto). The table's shape is checked by the core; this adds the file
// and the one rule for its path.
import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { parseCalibratedTable, type CalibratedTable } from "../core/index.js";

/**
 * A table path as the user wrote it: `~/…`, absolute, or relative to `base` (the CLI's working
 * directory, the extension's first workspace folder).
 */
export function strategyTablePath(path: string, base: string | undefined): string {
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  if (isAbsolute(path) || base === undefined) return path;
  return join(base, path);
}

/** The table the search.strategyTable setting names, or null when it names none. */
export function loadStrategyTable(path: string, base: string | undefined): CalibratedTable | null {
  return path ? readStrategyTable(strategyTablePath(path, base)) : null;
}

export function readStrategyTable(path: string): CalibratedTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(
      `Cannot read the strategy table ${path}: ${(e as Error).message}. Run \`tts-reasoner calibrate\` to write one, or clear the search.strategyTable setting.`,
    );
  }
  try {
    return parseCalibratedTable(JSON.parse(text));
  } catch (e) {
    throw new Error(`The strategy table ${path} is not valid: ${(e as Error).message}`);
  }
}

export function writeStrategyTable(path: string, table: CalibratedTable): void {
  writeFileSync(path, JSON.stringify(table, null, 2) + "\n");
}
