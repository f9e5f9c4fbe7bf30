import assert from "node:assert/strict";
import { test } from "node:test";
import { replay } from "../../../src/core/index.js";
import {
  MAX_PROBLEM_CHARS,
  is,
  parseToHost,
  pathOf,
  currentAnswer,
  scoreBand,
  strategyLabel,
  toHost,
  type ToHostMessage,
} from "../../../src/protocol.js";
import { recordRun } from "./fake-run.js";

const options = { strategy: "beam", n: 8, beamWidth: 4, temperature: 0.8, maxSteps: 40 };

test("valid webview messages pass and come back typed", () => {
  for (const raw of [
    toHost("ready", {}),
    { type: "solve", data: { problem: "What is 2+2?", options } },
    { type: "stop" },
    { type: "insertAnswer", data: { nodeId: null } },
    { type: "insertSolution", data: { nodeId: "n12" } },
    { type: "copy", data: { what: "solution", nodeId: null } },
    { type: "exportTrace", data: {} },
    { type: "command", data: { command: "testConnection" } },
  ]) {
    const r = parseToHost(raw);
    assert.ok(r.ok, `refused ${JSON.stringify(raw)}: ${r.ok ? "" : r.reason}`);
  }
});

test("messages the protocol does not allow are refused with a reason", () => {
  const cases: [unknown, RegExp][] = [
    [null, /not an object/],
    ["ready", /not an object/],
    [{ type: "eval", data: {} }, /unknown message type/],
    [{ type: "__proto__", data: {} }, /unknown message type/],
    [{ type: "constructor", data: {} }, /unknown message type/],
    [{ type: "solve", data: { problem: "", options } }, /problem is empty/],
    [{ type: "solve", data: { problem: 42, options } }, /problem must be text/],
    [{ type: "solve", data: { problem: "x".repeat(MAX_PROBLEM_CHARS + 1), options } }, /longer than/],
    [{ type: "solve", data: { problem: "p", options: { ...options, strategy: "rm -rf" } } }, /strategy/],
    [{ type: "solve", data: { problem: "p", options: { ...options, n: 0 } } }, /n must be/],
    [{ type: "solve", data: { problem: "p", options: { ...options, n: 2.5 } } }, /n must be/],
    [{ type: "solve", data: { problem: "p", options: { ...options, beamWidth: "4" } } }, /beamWidth/],
    [
      { type: "solve", data: { problem: "p", options: { ...options, temperature: Number.NaN } } },
      /temperature/,
    ],
    [{ type: "solve", data: { problem: "p", options: { ...options, maxSteps: 10_000 } } }, /maxSteps/],
    [{ type: "insertSolution", data: { nodeId: "../../etc" } }, /nodeId/],
    [{ type: "copy", data: { what: "keys", nodeId: null } }, /what must be/],
    [{ type: "command", data: { command: "workbench.action.terminal.new" } }, /command must be one of/],
    [{ type: "stop", data: [] }, /data must be an object/],
  ];
  for (const [raw, reason] of cases) {
    const r = parseToHost(raw);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 80)}`);
    if (!r.ok) assert.match(r.reason, reason);
  }
});

test("fields the protocol does not know are dropped", () => {
  const r = parseToHost({
    type: "solve",
    data: { problem: "p", options: { ...options, apiKey: "sk-x" }, extra: true },
    sneaky: 1,
  });
  assert.ok(r.ok);
  assert.deepEqual(r.message, { type: "solve", data: { problem: "p", options } });
});

test("is() narrows by type", () => {
  const m = toHost("copy", { what: "answer", nodeId: null }) as ToHostMessage;
  assert.equal(is(m, "solve"), false);
  if (is(m, "copy")) assert.equal(m.data.what, "answer");
  else assert.fail("is(m, 'copy') should hold");
});

test("score bands split at 0.4 and 0.7", () => {
  assert.equal(scoreBand(0.95), "high");
  assert.equal(scoreBand(0.7), "high");
  assert.equal(scoreBand(0.69), "medium");
  assert.equal(scoreBand(0.4), "medium");
  assert.equal(scoreBand(0.39), "low");
  assert.equal(scoreBand(0), "low");
});

test("strategy labels name the budget the strategy uses", () => {
  assert.equal(strategyLabel({ strategy: "greedy", n: 8, beamWidth: 4 }), "Greedy");
  assert.equal(strategyLabel({ strategy: "dvts", n: 16, beamWidth: 4 }), "DVTS, n=16, width 4");
  assert.equal(strategyLabel({ strategy: "majority", n: 5, beamWidth: 4 }), "Majority vote, n=5");
});

test("pathOf gives the chosen candidate by default and any node's path by id", async () => {
  const view = replay(await recordRun({ strategy: "beam", n: 4, beamWidth: 2, maxSteps: 5 }));
  const chosen = pathOf(view, null);
  assert.ok(chosen && view.result?.chosen);
  assert.equal(chosen.nodeId, view.result.chosen.nodeId);
  assert.deepEqual(chosen.steps, view.result.chosen.steps);
  assert.equal(chosen.finished, true);
  assert.equal(currentAnswer(view), view.result.answer);

  // A pruned node mid-tree: its path is the chain of steps from the root.
  const pruned = view.order.map((id) => view.nodes[id]!).find((n) => n.status === "pruned" && n.depth === 2);
  assert.ok(pruned);
  const path = pathOf(view, pruned.id);
  assert.equal(path?.steps.length, 2);
  assert.equal(path?.steps[1], pruned.text);
  assert.equal(path?.finished, false);
  assert.equal(pathOf(view, "n99999"), null);
});

test("the problem kind the form chooses passes when it is auto, math or code, and only then", () => {
  for (const kind of ["auto", "math", "code"] as const) {
    const r = parseToHost({
      type: "solve",
      data: { problem: "def f(x): ...", options: { ...options, kind } },
    });
    assert.ok(r.ok && r.message.type === "solve" && r.message.data.options.kind === kind);
  }
  const bad = parseToHost({ type: "solve", data: { problem: "x", options: { ...options, kind: "shell" } } });
  assert.deepEqual(bad, { ok: false, reason: "solve: kind must be one of auto, math, code" });
  const none = parseToHost({ type: "solve", data: { problem: "x", options } });
  assert.ok(none.ok && none.message.type === "solve" && !("kind" in none.message.data.options));
});
