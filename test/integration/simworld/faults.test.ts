// Faults: each kind occurs at its configured rate and shows the client what it should (a 429
// with Retry-After, a 5xx, a reset, broken JSON, a stream without its end); the server never
// goes down. Also: a client that goes away mid-stream is seen as a closed connection and frees
// its batch slot; the queue and the prefix cache of the latency model.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../simworld/engine.js";
import { FAULT_KINDS, parseFaults, type FaultKind } from "../../simworld/faults.js";
import { startSimworld, type Flavour, type Simworld } from "../../simworld/index.js";
import { generateProblems } from "../../simworld/world.js";
import { get, post, sseData } from "./helpers.js";

type Json = Record<string, unknown>;
const problem = generateProblems({ count: 1, seed: 5, levels: [2] })[0]!;
const messages = [{ role: "user", content: problem.problem }];

/** What the client saw. */
type Outcome = "ok" | "429" | "500" | "503" | "reset" | "bad-json" | "no-end";

async function call(url: string, stream: boolean, id = 0): Promise<Outcome> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-policy-7b", messages, max_tokens: 40, stream, user: `call-${id}` }),
    });
    if (res.status === 429) assert.ok(Number(res.headers.get("retry-after")) >= 0, "429 carries Retry-After");
    text = await res.text();
  } catch {
    return "reset";
  }
  if (res.status === 429 || res.status === 500 || res.status === 503) {
    JSON.parse(text); // error bodies are whole JSON
    return String(res.status) as Outcome;
  }
  assert.equal(res.status, 200);
  if (!stream) {
    try {
      JSON.parse(text);
      return "ok";
    } catch {
      return "bad-json";
    }
  }
  const data = sseData(text);
  try {
    for (const d of data) if (d !== "[DONE]") JSON.parse(d);
  } catch {
    return "bad-json";
  }
  return data[data.length - 1] === "[DONE]" ? "ok" : "no-end";
}

/** The outcome a fault should produce for a plain or a streamed request. */
function expectedOutcome(fault: FaultKind | undefined, stream: boolean): Outcome[] {
  switch (fault) {
    case undefined:
    case "slow":
      return ["ok"];
    case "429":
    case "500":
    case "503":
      return [fault];
    case "reset":
      return ["reset"];
    case "malformed":
      return ["bad-json"];
    case "truncated":
      return stream ? ["no-end"] : ["bad-json"];
  }
}

const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n) + 0.01;

/** A POST, timed from the moment the request is sent to the first byte of the response. */
function timedPost(
  url: string,
  body: unknown,
): Promise<{ firstByteMs: number; status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
    });
    let sent = 0;
    req.on("error", reject);
    req.on("response", (res) => {
      const firstByteMs = performance.now() - sent;
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve({ firstByteMs, status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.end(payload, () => (sent = performance.now()));
  });
}

describe("simworld faults", () => {
  it("parses fault specs", () => {
    const spread = parseFaults("0.21");
    for (const kind of FAULT_KINDS) assert.ok(Math.abs(spread[kind]! - 0.03) < 1e-12);
    assert.deepEqual(parseFaults("429=0.1,reset=0.05"), { "429": 0.1, reset: 0.05 });
    assert.throws(() => parseFaults("teapot=0.1"), /unknown fault kind/);
    assert.throws(() => parseFaults("429=0.8,500=0.5"), /more than 1/);
  });

  for (const kind of FAULT_KINDS) {
    it(`injects "${kind}" at its rate, as the client sees it`, async () => {
      const rate = 0.3;
      const sw = await startSimworld({ flavour: "vllm", faults: `${kind}=${rate}`, seed: 42, slowMs: 5 });
      try {
        const n = 200;
        const streams = Array.from({ length: n }, (_, i) => i % 2 === 1);
        const outcomes: Outcome[] = [];
        // Twelve at a time; each request names itself in `user`, so records and outcomes line up.
        for (let i = 0; i < n; i += 12)
          await Promise.all(
            streams.slice(i, i + 12).map(async (stream, j) => {
              outcomes[i + j] = await call(sw.url, stream, i + j);
            }),
          );
        const posts = sw.requests.filter((r) => r.method === "POST");
        assert.equal(posts.length, n);
        const hits = posts.filter((r) => r.fault === kind).length;
        assert.ok(Math.abs(hits / n - rate) <= tolerance(rate, n), `${kind}: ${hits} of ${n}`);
        for (const r of posts) {
          const i = Number(String((r.body as Json).user).slice("call-".length));
          assert.ok(
            expectedOutcome(r.fault as FaultKind | undefined, streams[i]!).includes(outcomes[i]!),
            `request ${i} (${streams[i] ? "stream" : "plain"}, fault ${r.fault ?? "none"}): got ${outcomes[i]}`,
          );
        }
        assert.equal((await get(`${sw.url}/v1/models`)).status, 200, "still serving");
      } finally {
        await sw.close();
      }
    });
  }

  it('"slow" holds back the first byte for slowMs, then answers as usual', async () => {
    const slowMs = 400;
    const sw = await startSimworld({ flavour: "vllm", faults: "slow=1", seed: 4, slowMs });
    try {
      for (const stream of [false, true]) {
        const r = await timedPost(`${sw.url}/v1/chat/completions`, {
          model: "sim-policy-7b",
          messages,
          max_tokens: 20,
          stream,
        });
        // Timers may fire a little early on a coarse clock; nothing can make the bytes come sooner.
        assert.ok(r.firstByteMs >= slowMs - 15, `first byte after ${r.firstByteMs.toFixed(0)} ms`);
        assert.equal(r.status, 200);
        if (stream) assert.equal(sseData(r.text).at(-1), "[DONE]");
        else JSON.parse(r.text);
      }
      assert.deepEqual(
        sw.requests.filter((q) => q.method === "POST").map((q) => q.fault),
        ["slow", "slow"],
      );
    } finally {
      await sw.close();
    }
  });

  for (const flavour of ["vllm", "llamacpp", "ollama", "openai"] as Flavour[]) {
    it(`spreads a total rate over every kind and stays up (${flavour})`, async () => {
      const sw = await startSimworld({ flavour, faults: "0.7", seed: 9, slowMs: 1 });
      try {
        const n = 140;
        await Promise.all(Array.from({ length: n }, (_, i) => call(sw.url, i % 2 === 0)));
        const posts = sw.requests.filter((r) => r.method === "POST");
        const faulty = posts.filter((r) => r.fault).length;
        assert.ok(Math.abs(faulty / n - 0.7) <= tolerance(0.7, n), `${faulty} of ${n}`);
        assert.deepEqual(
          new Set(posts.map((r) => r.fault).filter(Boolean)),
          new Set(FAULT_KINDS),
          "every kind occurs",
        );
        assert.equal((await get(`${sw.url}/v1/models`)).status, 200);
      } finally {
        await sw.close();
      }
    });
  }

  it("survives garbage: bad JSON bodies, wrong types, unknown paths", async () => {
    const sw = await startSimworld({ flavour: "llamacpp" });
    try {
      const raw = await fetch(`${sw.url}/v1/completions`, { method: "POST", body: "{not json" });
      assert.equal(raw.status, 400);
      for (const body of [[], "x", { prompt: 5 }, { messages: "hi" }, { model: 3, n: "many" }, null])
        for (const path of [
          "/v1/completions",
          "/v1/chat/completions",
          "/completion",
          "/tokenize",
          "/apply-template",
        ]) {
          const r = await post(`${sw.url}${path}`, body);
          assert.ok(
            r.status >= 400 && r.status < 500,
            `${path} ${JSON.stringify(body)}: ${r.status} ${r.text}`,
          );
          assert.ok(((r.json() as Json).error as Json).message);
        }
      assert.equal((await get(`${sw.url}/health`)).status, 200);
    } finally {
      await sw.close();
    }
  });
});

describe("simworld latency model", () => {
  let sw: Simworld;
  before(async () => {
    // One slot and a slowed-down decode: a stream stays open long enough to cancel it.
    sw = await startSimworld({ flavour: "vllm", latency: "realistic", slots: 1, latencyScale: 2 });
  });
  after(() => sw.close());

  it("sees a cancelled stream as a closed connection and frees its slot", async () => {
    const closedBefore = sw.closedConnections();
    const abort = new AbortController();
    const res = await fetch(`${sw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ model: "sim-policy-72b", messages, stream: true }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first chunk arrived: generation is under way
    abort.abort();
    await reader.cancel().catch(() => {});
    for (let i = 0; i < 200 && sw.closedConnections() === closedBefore; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(sw.closedConnections() > closedBefore, "the server saw the connection close");
    // With one slot, this completes only if the cancelled request gave its slot back.
    const r = await post(`${sw.url}/v1/chat/completions`, {
      model: "sim-policy-72b",
      messages,
      max_tokens: 2,
    });
    assert.equal(r.status, 200);
  });

  it("reuses a cached prompt prefix", async () => {
    const body = { model: "sim-policy-0.5b", prompt: `${problem.problem}\n\n`.repeat(4), max_tokens: 1 };
    const first = (await post(`${sw.url}/v1/completions`, body)).json() as {
      usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
    };
    const second = (await post(`${sw.url}/v1/completions`, body)).json() as typeof first;
    assert.equal(first.usage.prompt_tokens_details.cached_tokens, 0);
    assert.ok(second.usage.prompt_tokens_details.cached_tokens >= second.usage.prompt_tokens - 16);
  });

  it("queues sequences beyond the batch slots, first come first served", async () => {
    const engine = new Engine({ prefillMsPerToken: 0, decodeMsPerToken: 0, slots: 2 }, false);
    const order: string[] = [];
    const a = [await engine.admit(), await engine.admit()];
    const b = engine.admit().then((release) => (order.push("b"), release));
    const c = engine.admit().then((release) => (order.push("c"), release));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], "both wait while the slots are full");
    assert.equal(engine.queued, 2);
    a[0]!();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ["b"], "one freed slot admits the first in line");
    a[1]!();
    (await b)();
    (await c)();
    assert.deepEqual(order, ["b", "c"]);
    assert.equal(engine.busy, 0);
  });
});
