// The browser that drives code-server: CHROME_PATH when set, else Debian's /usr/bin/chromium,
// else one Playwright already downloaded, else (as root) `apt-get install chromium`. Playwright's
// own browser download needs hosts this project's CI cannot reach, so it is never attempted.
import { accessSync, constants, existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { isRoot, onPath } from "./command.js";
import { aptInstall } from "./apt.js";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

const FIX =
  "Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`), or point CHROME_PATH at a Chrome or Chromium " +
  "binary (`CHROME_PATH=/path/to/chrome npm test`).";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface ChromiumFound {
  path: string;
  /** Where it came from, for the setup log. */
  source: "CHROME_PATH" | "debian" | "playwright" | "apt-get";
  seconds: number;
}

export async function ensureChromium(log: (line: string) => void): Promise<ChromiumFound> {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!executable(fromEnv))
      throw new Error(`CHROME_PATH is ${fromEnv}, which is not an executable file. ${FIX}`);
    return { path: fromEnv, source: "CHROME_PATH", seconds: 0 };
  }
  if (executable(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: "debian", seconds: 0 };
  const playwrights = chromium.executablePath();
  if (playwrights && existsSync(playwrights) && executable(playwrights))
    return { path: playwrights, source: "playwright", seconds: 0 };
  if (isRoot() && (await onPath("apt-get"))) {
    const started = Date.now();
    log("installing Chromium with apt-get (Debian package `chromium`)");
    await aptInstall(["chromium"], log);
    if (executable(DEBIAN_CHROMIUM))
      return {
        path: DEBIAN_CHROMIUM,
        source: "apt-get",
        seconds: Math.round((Date.now() - started) / 100) / 10,
      };
    throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing. ${FIX}`);
  }
  throw new Error(
    `The end-to-end tests need Chromium and none was found (CHROME_PATH unset, no ${DEBIAN_CHROMIUM}, not root for apt-get). ${FIX}`,
  );
}
