// `npm start` (via scripts/start.mjs): the product in a real VS Code for a person. Installs what
// it needs (the e2e setup step), builds and installs the VSIX into an isolated code-server that
// keeps its state in .cache/start/, and prints the URL to open. Endpoints come from the
// environment or the person's VS Code settings; without any, simworld plays the models, and the
// terminal says so plainly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generateProblems } from "../../simworld/index.js";
import { ensureE2eTools, REPO_ROOT } from "../setup/index.js";
import { installExtension, prepareDirs, startCodeServer, type CodeServer } from "./code-server.js";
import { checkContributed, endpointSettings, SIMULATED_NOTE, type Settings } from "./settings.js";
import { SIM_POLICY_MODEL, SIM_PRM_MODEL, startSimworld, type Simworld } from "./simworld.js";
import { parseJsonc } from "../../../src/ignored-settings.js";
import { envName, hasPolicyEndpoint, readPersonSettings } from "./user-settings.js";
import { buildVsix } from "./vsix.js";

/** Where the instance keeps its state between starts; TTS_START_DIR moves it (the e2e test does). */
const STATE_DIR = process.env.TTS_START_DIR || join(REPO_ROOT, ".cache", "start");

/** For a person: a quiet start, but their editor behaves as usual (no test-only typing settings). */
const PERSON_WORKBENCH: Settings = {
  // No empty chat side bar or Welcome tab crowding the panel.
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true,
};

const USAGE = `Usage: npm start -- [--port <port>] [--simworld]

Builds the extension, installs it into an isolated code-server (VS Code in the browser) and
prints the URL to open. Endpoints come from environment variables named like the CLI's
(${envName("ttsReasoner.policy.baseUrls")}, ${envName("ttsReasoner.policy.model")},
${envName("ttsReasoner.verifier.baseUrls")}, ${envName("ttsReasoner.verifier.model")}, ...;
lists comma-separated) or from ttsReasoner.* in your VS Code user settings. With none, or
with --simworld, simulated models (simworld) stand in. PORT or --port picks the port (default: a free one).`;

interface Args {
  port: number;
  simworld: boolean;
}

function parseArgs(argv: string[]): Args | null {
  const args: Args = { port: Number(process.env.PORT ?? 0), simworld: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") return null;
    else if (a === "--simworld") args.simworld = true;
    else if (a === "--port") args.port = Number(argv[++i]);
    else throw new Error(`Unknown option ${a}.\n\n${USAGE}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
    throw new Error(`--port/PORT must be a port number (0-65535).`);
  return args;
}

/** The endpoint settings, set afresh on every start (a stale simworld URL must not survive). */
const ENDPOINT_KEYS = Object.keys(
  endpointSettings({ baseUrl: "http://x", policyModel: "", verifierModel: "" }),
);

const NOTE_KEY = "ttsReasoner.policy.note";

/** The settings the person set in this instance last time (through its Settings UI), minus endpoints. */
function previousSettings(file: string): Settings {
  if (!existsSync(file)) return {};
  try {
    const previous = parseJsonc(readFileSync(file, "utf8")) as Settings;
    for (const key of ENDPOINT_KEYS) delete previous[key];
    // Our own note belongs to the simulated models only, not to whatever is configured now.
    if (previous[NOTE_KEY] === SIMULATED_NOTE) delete previous[NOTE_KEY];
    return previous;
  } catch {
    return {};
  }
}

/** A file to start from: problems to select and solve. */
function writeProblems(workspace: string, simulated: boolean): void {
  const path = join(workspace, simulated ? "simworld-problems.md" : "problems.md");
  if (existsSync(path)) return;
  const intro =
    "Select a problem and run **TTS Reasoner: Solve with TTS** from the command palette (Ctrl+Shift+P).\n";
  const problems = simulated
    ? generateProblems({ count: 5, seed: 1 }).map(
        (p, i) => `## Problem ${i + 1} (level ${p.level})\n\n${p.problem}\n`,
      )
    : [
        "## Problem 1\n\nWhat is the sum of the first 20 positive odd integers?\n",
        "## Problem 2\n\nIf 3x + 7 = 25, what is x?\n",
        "## Problem 3\n\nHow many positive divisors does 36 have?\n",
      ];
  const header = simulated
    ? "# Simworld problems\n\nThese problems come from simworld, the simulated model server: its policy and PRM are simulations, not real models.\n\n"
    : "# Problems\n\n";
  writeFileSync(path, header + intro + "\n" + problems.join("\n"));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.log(USAGE);
    return;
  }
  const say = (line: string): void => console.log(line);
  say(
    "Preparing (first run installs Node 24, code-server and Chromium into .cache/e2e/: a minute or two)...",
  );
  const tools = await ensureE2eTools({ log: (line) => say(`  ${line}`) });
  say("Building and packaging the extension (npm run package)...");
  const vsix = await buildVsix(join(STATE_DIR, "tts-reasoner.vsix"), (line) => say(`  ${line}`));

  const person = readPersonSettings();
  for (const w of person.warnings) say(`  warning: ${w}`);
  const simulated = args.simworld || !hasPolicyEndpoint(person.settings);
  let simworld: Simworld | undefined;
  let endpoints: Settings = person.settings;
  if (simulated) {
    simworld = await startSimworld({ flavour: "vllm", port: 0, latency: "realistic" });
    endpoints = {
      ...person.settings,
      ...endpointSettings({
        baseUrl: simworld.url,
        policyModel: SIM_POLICY_MODEL,
        verifierModel: SIM_PRM_MODEL,
      }),
      [NOTE_KEY]: SIMULATED_NOTE,
    };
  }
  checkContributed(endpoints);

  mkdirSync(STATE_DIR, { recursive: true });
  const userData = join(STATE_DIR, "server", "user-data");
  // What the person changed last time (User, or Remote = Machine) stays; endpoints are set afresh.
  const settings = {
    ...PERSON_WORKBENCH,
    ...previousSettings(join(userData, "User", "settings.json")),
    ...previousSettings(join(userData, "Machine", "settings.json")),
    ...endpoints,
  };
  const dirs = prepareDirs(join(STATE_DIR, "server"), settings);
  say("Installing the extension into code-server...");
  await installExtension(tools, dirs, vsix);
  const workspace = join(STATE_DIR, "workspace");
  mkdirSync(workspace, { recursive: true });
  writeProblems(workspace, simulated);

  let codeServer: CodeServer | undefined;
  const stop = async (): Promise<void> => {
    await codeServer?.stop();
    await simworld?.close();
  };
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    say("\nStopping code-server" + (simworld ? " and simworld" : "") + "...");
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    codeServer = await startCodeServer({ tools, dirs, workspace, port: args.port });
  } catch (err) {
    await stop();
    throw err;
  }

  say("");
  if (simworld) {
    say("!! The models are SIMULATED. No policy endpoint is configured, so simworld (a test server that");
    say(
      `!! imitates vLLM) answers at ${simworld.url}/v1 as ${SIM_POLICY_MODEL} (policy) and ${SIM_PRM_MODEL} (PRM).`,
    );
    say("!! Its solutions and scores are simulations, not real model output. To use your own servers, set");
    say(
      `!! ${envName("ttsReasoner.policy.baseUrls")} (and ${envName("ttsReasoner.verifier.baseUrls")}), or ttsReasoner.* in your VS Code settings.`,
    );
  } else {
    say("Endpoints:");
    for (const [key, value] of Object.entries(endpoints))
      if (/baseUrls|model|kind/.test(key))
        say(`  ${key} = ${JSON.stringify(value)}   (from ${person.sources[key] ?? "default"})`);
  }
  say("");
  say(
    `TTS Reasoner in VS Code (code-server ${tools.codeServer.version}, VS Code ${tools.codeServer.vscodeVersion}):`,
  );
  say("");
  say(`    ${codeServer.workspaceUrl}`);
  say("");
  say(
    `Open it in a browser on this machine (use localhost: webviews need it). State is kept in ${STATE_DIR}.`,
  );
  say("Press Ctrl+C to stop.");
}

// Only as the entry script (scripts/start.mjs runs it): an import must not start anything.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  main().catch((err: unknown) => {
    console.error(`\nnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
