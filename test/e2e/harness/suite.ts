// node:test glue: one session (one code-server, one browser) per suite, shared by its scenarios,
// which run in order. A session that fails to start fails every scenario of the suite, loudly.
import { after, before, describe, test } from "node:test";
import { startSession, type E2eSession, type SessionOptions } from "./session.js";

/** Starting a session: the cold setup step (installs) may take minutes; a warm one, seconds. */
const START_TIMEOUT_MS = 8 * 60_000;
const SCENARIO_TIMEOUT_MS = 3 * 60_000;

export type Scenario = (
  title: string,
  fn: (session: E2eSession) => Promise<void>,
  opts?: { timeoutMs?: number },
) => void;

/**
 * Declares a suite of scenarios against one session:
 *
 *   describeE2e("solving", { name: "solving", simworld: true }, (scenario) => {
 *     scenario("solves a problem with beam search", async ({ workbench }) => { ... });
 *   });
 */
export function describeE2e(title: string, opts: SessionOptions, body: (scenario: Scenario) => void): void {
  describe(title, () => {
    let session: E2eSession | undefined;
    before(
      async () => {
        session = await startSession({ log: (line) => console.log(`[e2e] ${line}`), ...opts });
      },
      { timeout: START_TIMEOUT_MS },
    );
    after(async () => {
      await session?.close();
    });
    body((name, fn, scenarioOpts) => {
      test(name, { timeout: scenarioOpts?.timeoutMs ?? SCENARIO_TIMEOUT_MS }, async () => {
        if (!session)
          throw new Error("The e2e session did not start; see the error of the suite's before hook.");
        await session.run(name, fn);
      });
    });
  });
}
