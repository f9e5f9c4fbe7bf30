import assert from "node:assert/strict";
import { test } from "node:test";
import { codeRunOptions } from "../../../src/app/code.js";
import { executionGate, type GateFacts } from "../../../src/app/exec-gate.js";
import { readSettings } from "../../../src/app/settings/index.js";
import { detectProblem, type CodeTask } from "../../../src/core/index.js";

const facts = (f: Partial<GateFacts>): GateFacts => ({
  trusted: true,
  consent: "ask",
  allowedHere: false,
  command: "python3 -I -B harness.py",
  ...f,
});

test("an untrusted workspace never runs code, whatever the consent says", () => {
  for (const consent of ["ask", "allow", "never"] as const)
    for (const allowedHere of [false, true]) {
      const v = executionGate(facts({ trusted: false, consent, allowedHere }));
      assert.equal(v.run, false);
      assert.equal(v.run === false && v.ask, false, "nor asks");
    }
});

test("ask: asks once, showing the command; once allowed here, runs; never: never", () => {
  assert.deepEqual(executionGate(facts({})), { run: false, ask: true, command: "python3 -I -B harness.py" });
  assert.deepEqual(executionGate(facts({ allowedHere: true })), { run: true });
  assert.deepEqual(executionGate(facts({ consent: "allow" })), { run: true });
  const never = executionGate(facts({ consent: "never", allowedHere: true }));
  assert.equal(never.run, false);
});

test("a refused gate gives the code run no executor at all", () => {
  const task = (
    detectProblem('def f(x):\n    """Double.\n    >>> f(2)\n    4\n    """', { languageId: "python" }) as {
      task: CodeTask;
    }
  ).task;
  const s = readSettings(() => undefined);
  const refused = codeRunOptions(s, task, { run: false, reason: "this workspace is not trusted" });
  assert.equal(refused.executor, null);
  assert.equal(refused.notRunReason, "this workspace is not trusted");
  assert.notEqual(codeRunOptions(s, task, { run: true }).executor, null);
});
