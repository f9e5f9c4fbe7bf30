// Failures against a real llama-server: a prompt over one slot's context, cancelling mid-stream
// (the server frees its slots), and the server killed mid-run (a clear error, nothing hangs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSearch } from "../../src/core/index.js";
import { createPolicy, type RequestLogLine } from "../../src/endpoints/index.js";
import { realSuite, withServers } from "./llama-server/server.js";

async function slotsBusy(url: string): Promise<number> {
  const slots = (await (await fetch(`${url}/slots`)).json()) as { is_processing: boolean }[];
  return slots.filter((s) => s.is_processing).length;
}

describe("real llama-server: failures", realSuite(), () => {
  it("a prompt over one slot's context fails at once, saying the context is split over the slots", () =>
    withServers([{ slots: 4, ctx: 1024 }], async ([s]) => {
      const policy = await createPolicy({ baseUrls: [s!.url], model: "", apiStyle: "auto" });
      const long = "Add the numbers one by one. ".repeat(120) + "What is $2 + 3$?";
      const r = await runSearch({
        problem: { text: long },
        policy,
        config: { strategy: "greedy", maxTokens: 16 },
      });
      assert.ok(r.error, "the run fails");
      assert.match(r.error, /one slot's context \(256 tokens\)/);
      assert.match(r.error, /-np/);
      assert.equal(r.cost.policy.retries, 0, "a context overflow is not retried");
    }));

  it("cancelling mid-stream ends the run as aborted and the server frees every slot", () =>
    withServers([{ slots: 4 }], async ([s]) => {
      const controller = new AbortController();
      const log = (l: RequestLogLine): void => {
        if (l.method === "POST" && l.url.endsWith("/completion")) controller.abort();
      };
      const policy = await createPolicy({ baseUrls: [s!.url], model: "", apiStyle: "auto" }, { log });
      const r = await runSearch({
        problem: { text: "What is $2 + 3$?" },
        policy,
        signal: controller.signal,
        config: { strategy: "majority", n: 64, maxTokens: 512, earlyStop: false },
      });
      assert.equal(r.aborted, true);
      const until = Date.now() + 10_000;
      while ((await slotsBusy(s!.url)) > 0 && Date.now() < until) await new Promise((x) => setTimeout(x, 50));
      assert.equal(await slotsBusy(s!.url), 0, "no slot keeps generating for a cancelled run");
    }));

  it("the server killed mid-run: the run ends with an error naming the server, nothing hangs", () =>
    withServers([{ slots: 2 }], async ([s]) => {
      const policy = await createPolicy({ baseUrls: [s!.url], model: "", apiStyle: "auto", maxRetries: 2 });
      const run = runSearch({
        problem: { text: "What is $2 + 3$?" },
        policy,
        config: { strategy: "majority", n: 32, maxTokens: 64, earlyStop: false },
      });
      // The run has started its requests: the server dies under them.
      process.kill(s!.pid, "SIGKILL");
      const r = await run;
      assert.ok(r.error, "the run fails");
      assert.match(r.error, new RegExp(s!.url.replace(/[.:/]/g, "\\$&")));
      assert.match(r.error, /refused|reset|closed/i);
    }));
});
