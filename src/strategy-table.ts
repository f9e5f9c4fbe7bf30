// Reads a strategy table written by `tts-reasoner calibrate` (the CLI and the extension both
// load it for Auto). The table's shape is checked by the core; this adds the file and its path.
import { readFileSync, writeFileSync } from "node:fs";
import { parseCalibratedTable, type CalibratedTable } from "./core/index.js";

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
