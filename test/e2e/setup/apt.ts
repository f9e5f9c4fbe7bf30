// Debian packages for the e2e setup (Chromium, build tools), only ever when running as root.
import { cleanEnv, runCommand } from "./command.js";

/** `apt-get install -y pkgs`; on failure refreshes the package lists once and retries. */
export async function aptInstall(pkgs: string[], log: (line: string) => void): Promise<void> {
  const env = cleanEnv({ DEBIAN_FRONTEND: "noninteractive" });
  const install = (): Promise<unknown> =>
    runCommand("apt-get", ["install", "-y", ...pkgs], {
      cwd: "/",
      env,
      timeoutMs: 10 * 60_000,
      what: `apt-get install ${pkgs.join(" ")}`,
    });
  try {
    await install();
  } catch {
    log("apt-get install failed; running apt-get update and trying again");
    await runCommand("apt-get", ["update"], { cwd: "/", env, timeoutMs: 5 * 60_000, what: "apt-get update" });
    await install();
  }
}
