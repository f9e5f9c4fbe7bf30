// Adding a strategy is one file and one registry line: everything the products derive from the
// registry (settings, picker, validation, bench and calibrate checks, Auto's tables) knows it.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { JSDOM } from "jsdom";
import * as core from "../../../src/core/index.js";
import { METHODS } from "../../../src/core/strategies/registry.js";
import { firstAnswerStrategy } from "./throwaway/first-answer.js";
import { toyProblem, ToyPolicy, ToyVerifier } from "./toy-world.js";

// The one registry line. The settings table is built when its module loads, so the tests below
// import the settings (and what imports them) only after it.
METHODS.push(firstAnswerStrategy);

test("the search runs it, and validation accepts it", async () => {
  const config = core.resolveSearchConfig({ strategy: "first-answer", n: 3 });
  assert.equal(config.strategy, "first-answer");
  const result = await core.runSearch({
    problem: toyProblem({ start: 1, ops: [2, 3] }),
    policy: new ToyPolicy({ errorRate: 0 }),
    verifier: new ToyVerifier(),
    config: { strategy: "first-answer", seed: 1 },
  });
  assert.equal(result.error, undefined);
  assert.equal(result.candidates.length, 2);
  assert.equal(result.answer, "6");
});

test("without a verifier, the settings and checks refuse it as they refuse beam search", async () => {
  const { checkPlan } = await import("../../../src/app/plan-check.js");
  const grid = { strategies: ["first-answer"], budgets: [4], search: {}, hasVerifier: false };
  assert.throws(() => checkPlan(grid, "set one"), /first-answer needs a verifier/);
  const plan = core.lookupPlan(
    "hard",
    "small",
    "none",
    core.parseCalibratedTable({
      version: 1,
      policy: "p",
      verifier: "none",
      plans: { hard: { method: "first-answer", beamWidth: 1, aggregation: "last", selection: "prm-vote" } },
    }),
  );
  assert.equal(plan.plan.method, "majority", "Auto falls back when the method needs a verifier");
});

test("the settings, the CLI and the panel's protocol list it with its label and description", async () => {
  const { SETTING_SPECS } = await import("../../../src/app/settings/index.js");
  const spec = SETTING_SPECS.find((s) => s.key === "search.strategy")!;
  assert.ok(spec.enum?.includes("first-answer"));
  assert.ok(spec.enumDescriptions?.includes(firstAnswerStrategy.description));
  const { parseStrategies } = await import("../../../src/cli/bench/command.js");
  assert.deepEqual(parseStrategies("majority,first-answer"), ["majority", "first-answer"]);
  const { checkOptions, strategyLabel } = await import("../../../src/protocol.js");
  const options = { strategy: "first-answer", n: 4, beamWidth: 4, temperature: 0.8, maxSteps: 5 };
  assert.equal(checkOptions(options), null);
  assert.equal(strategyLabel(options), "First answer, n=4");
});

let App: typeof import("../../../webview/app.js").App;
const dom = new JSDOM("<!DOCTYPE html><body><main id=app></main></body>");
before(async () => {
  (globalThis as Record<string, unknown>).document = dom.window.document;
  ({ App } = await import("../../../webview/app.js"));
});

test("the panel's picker offers it", () => {
  const root = dom.window.document.createElement("main");
  new App(root, { postMessage: () => {}, getState: () => undefined, setState: () => {} }, () => {});
  const option = root.querySelector('[data-testid="strategy"] [value="first-answer"]');
  assert.equal(option?.textContent, "First answer");
});
