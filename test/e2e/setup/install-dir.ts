// One cached install: built in a `.partial` folder next to its final place, then renamed, so an
// interrupted install never looks finished. The `.complete` marker records what and how long.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface InstallRecord {
  what: string;
  seconds: number;
  at: string;
}

const MARKER = ".complete";

export function isInstalled(dir: string): boolean {
  return existsSync(join(dir, MARKER));
}

export function installRecord(dir: string): InstallRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), "utf8")) as InstallRecord;
  } catch {
    return null;
  }
}

/** Runs `build(tmpDir)` and moves the result to `dir`; returns the seconds it took. */
export async function installInto(
  dir: string,
  what: string,
  build: (tmpDir: string) => Promise<void>,
): Promise<number> {
  const started = Date.now();
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const record: InstallRecord = { what, seconds, at: new Date().toISOString() };
    writeFileSync(join(tmp, MARKER), JSON.stringify(record, null, 2) + "\n");
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return seconds;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
