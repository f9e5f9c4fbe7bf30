// A cross-process lock around installs into the cache, so `npm start` and `npm test` (or two
// test files) never install into the same folder at once. A folder made with mkdir is the lock;
// a lock whose owner process is gone is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryTake(dir: string): boolean {
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "pid"), String(process.pid));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(dir, "pid"), "utf8"));
    } catch {
      // The owner is between mkdir and writing its pid; wait for it.
      return false;
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      return tryTake(dir);
    }
    return false;
  }
}

/** Runs `fn` holding the lock `dir`; waits up to `timeoutMs` for another process to release it. */
export async function withLock<T>(
  dir: string,
  timeoutMs: number,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!tryTake(dir)) {
    if (Date.now() > deadline)
      throw new Error(
        `Waited ${timeoutMs / 1000} s for the e2e install lock ${dir} (held by another install). ` +
          `If no other npm test/npm start is running, delete that folder.`,
      );
    if (!told) log(`waiting for another process installing into the e2e cache (lock ${dir})`);
    told = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
