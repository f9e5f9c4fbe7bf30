// A person writes code with TTS in a real VS Code, against simworld's code world (policy
// sim-policy-72b, majority sampling n = 8, candidates run in the sandbox):
//   1. selects a Python stub with a docstring (HumanEval/0) in a .py file, runs "Solve with TTS",
//      sees each candidate with its test results in the panel, inserts the chosen code (it
//      replaces the stub), and the file's own tests pass when python3 runs it;
//   2. the same for a JavaScript function with a JSDoc, run with node.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JS_TASKS } from "../simworld/code-tasks.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";
import type { E2eSession } from "./harness/session.js";
import { TtsPanel } from "./pages/tts-panel.js";

const HUMANEVAL_0 = JSON.parse(
  readFileSync(join(__dirname, "../../data/humaneval.jsonl"), "utf8").split("\n")[0]!,
) as {
  prompt: string;
  test: string;
};
const PY_STUB = HUMANEVAL_0.prompt.trimEnd();
// The file's own tests, after the stub: HumanEval's check, run when the file is run.
const PY_FILE = `${PY_STUB}\n\n\n${HUMANEVAL_0.test.trim()}\n\n\nif __name__ == "__main__":\n    check(has_close_elements)\n    print("all tests pass")\n`;
const JS = JS_TASKS[0]!;
const JS_STUB = JS.selection.trimEnd();
const JS_FILE = `${JS_STUB}\n\nconst assert = require("assert");\n${JS.asserts.join(";\n")};\nconsole.log("all tests pass");\n`;

const scratch = mkdtempSync(join(tmpdir(), "tts-e2e-code-"));

async function solveStub(
  session: E2eSession,
  file: string,
  lines: number,
  stubText: string,
  original: string,
  language: "python" | "javascript",
): Promise<{ panel: TtsPanel; text: string }> {
  const { workbench } = session;
  await workbench.editor.open(file);
  await workbench.editor.selectLines(1, lines);
  assert.equal((await workbench.editor.selectedText()).trimEnd(), stubText);
  await workbench.runCommand("TTS Reasoner: Solve with TTS");
  const panel = new TtsPanel(session.panel("TTS Reasoner"));
  await panel.waitReady();
  // This run's code section (a previous run's, in another language, may still be up at first).
  await waitUntil(
    `the panel to show the ${language} run's candidates`,
    { timeoutMs: 120_000, intervalMs: 250 },
    async () =>
      (await panel.status()) === "Finished" &&
      (await panel.webview.byTestId("code-section").getAttribute("data-language")) === language &&
      (await panel.webview.byTestId("code-section").isVisible()),
  );
  // The panel lists every candidate with its tests passed, and a pass/fail mark.
  const rows = panel.webview.byTestId("code-candidate");
  const marks = await rows.evaluateAll((els) =>
    els.map((e) => ({
      mark: e.querySelector(".mark")?.textContent ?? "",
      passed: Number((e as HTMLElement).dataset.passed),
      failed: Number((e as HTMLElement).dataset.failed),
      chosen: e.classList.contains("chosen"),
    })),
  );
  assert.equal(marks.length, 8, `candidates shown: ${JSON.stringify(marks)}`);
  assert.ok(marks.every((m) => m.mark === "✓" || m.mark === "✗"));
  // The chosen candidate passes the most tests (a generated test may be wrong, so not always all).
  const chosen = marks.filter((m) => m.chosen);
  assert.equal(chosen.length, 1);
  assert.equal(chosen[0]!.passed, Math.max(...marks.map((m) => m.passed)), JSON.stringify(marks));
  assert.match(await panel.webview.byTestId("code-tests").innerText(), /Tests: \d+ given, \d+ generated/);
  await panel.click("insert-code");
  const { editor } = workbench;
  const text = await waitUntil(
    `the chosen code to replace the stub in ${file}`,
    { timeoutMs: 15_000, intervalMs: 250 },
    async () => {
      if ((await editor.activeTitle()) !== file) return undefined;
      const t = await editor.text();
      return t !== original ? t : undefined;
    },
  );
  assert.ok(text.startsWith(stubText.split("\n")[0]!), `the code replaced the stub in place:\n${text}`);
  assert.ok(!text.includes(`${stubText}\n\n`), `the stub is still there:\n${text}`);
  return { panel, text };
}

describeE2e(
  "code problems in the editor",
  {
    name: "code",
    simworld: true,
    settings: {
      "ttsReasoner.policy.model": "sim-policy-72b",
      "ttsReasoner.search.strategy": "majority",
      "ttsReasoner.search.n": 8,
      "ttsReasoner.search.seed": 5,
      "ttsReasoner.verifier.kind": "none",
      "ttsReasoner.code.execution": "allow",
    },
    files: { "close.py": PY_FILE, "clamp.js": JS_FILE },
  },
  (scenario) => {
    scenario(
      "a Python stub is solved, its candidates tested, and the inserted code passes the file's tests",
      async (session) => {
        const { text } = await solveStub(
          session,
          "close.py",
          PY_STUB.split("\n").length,
          PY_STUB,
          PY_FILE,
          "python",
        );
        const path = join(scratch, "close.py");
        writeFileSync(path, text);
        assert.match(execFileSync("python3", [path], { encoding: "utf8" }), /all tests pass/);
      },
    );

    scenario(
      "a JavaScript function is solved the same way, and node runs the file's tests",
      async (session) => {
        const { text } = await solveStub(
          session,
          "clamp.js",
          JS_STUB.split("\n").length,
          JS_STUB,
          JS_FILE,
          "javascript",
        );
        const path = join(scratch, "clamp.js");
        writeFileSync(path, text);
        assert.match(execFileSync(process.execPath, [path], { encoding: "utf8" }), /all tests pass/);
      },
    );
  },
);
