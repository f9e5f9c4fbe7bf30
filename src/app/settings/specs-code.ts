// The settings of code problems: whether candidates may run, and the sandbox's limits. Kept
// apart from specs.ts (the search and endpoint settings) so each file stays one concern.
import { DEFAULT_TEST_SAMPLES } from "../../core/index.js";

export const EXECUTION_CONSENT = ["ask", "allow", "never"] as const;
export type ExecutionConsent = (typeof EXECUTION_CONSENT)[number];

export const CODE_SPECS = [
  {
    key: "code.execution",
    group: "code",
    type: "string",
    default: "ask",
    enum: EXECUTION_CONSENT,
    enumDescriptions: [
      "Ask once per workspace, showing the command that will run the candidates.",
      "Run candidates without asking (trusted workspaces only).",
      "Never run candidates: code problems are chosen by majority of text (and the verifier).",
    ],
    scope: "machine",
    restricted: true,
    description:
      "Code problems: whether candidate code may be run against tests (in a sandbox: a temporary directory, time and memory limits, no network where the OS allows). Never in an untrusted workspace. User settings only.",
  },
  {
    key: "code.testSamples",
    group: "code",
    type: "integer",
    default: DEFAULT_TEST_SAMPLES,
    minimum: 0,
    maximum: 16,
    scope: "window",
    description:
      "Code problems: policy samples that write test cases (CodeT), beside the tests in the selection. 0: only the selection's own tests.",
  },
  {
    key: "code.testFile",
    group: "code",
    type: "string",
    default: "",
    scope: "window",
    description:
      "Code problems: a test file whose top-level `assert` lines every candidate must pass, beside the selection's own tests (as the CLI's `--tests`). Relative to the workspace folder, and inside it. Empty: none.",
  },
  {
    key: "code.testTimeoutMs",
    group: "code",
    type: "integer",
    default: 2000,
    minimum: 100,
    maximum: 60000,
    scope: "machine",
    restricted: true,
    description:
      "Code problems: milliseconds one test (or loading a candidate) may run before it is stopped. User settings only.",
  },
  {
    key: "code.memoryMb",
    group: "code",
    type: "integer",
    default: 512,
    minimum: 64,
    maximum: 16384,
    scope: "machine",
    restricted: true,
    description: "Code problems: memory limit of a candidate's process in MiB. User settings only.",
  },
] as const;
