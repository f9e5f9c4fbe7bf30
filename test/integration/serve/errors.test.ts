// `serve`'s errors, as the `openai` client sees them and in OpenAI's envelope: 400 for a bad
// request, 401 without the key, 404 for a model it does not serve, 502 when the upstream fails
// and 504 when it times out.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { generateProblems } from "../../simworld/index.js";
import { assertSchema, get } from "../simworld/helpers.js";
import { startServed, type Served } from "./serve-helpers.js";

const problem = generateProblems({ count: 1, seed: 5, levels: [2] })[0]!.problem;
const ask = { messages: [{ role: "user" as const, content: problem }] };
let s: Served;

before(async () => {
  s = await startServed({}, {}, { apiKey: "serve-key" });
});
after(() => s.close());

/** The raw reply to a chat request with the right key: its status and body checked as an error. */
async function rawError(
  body: unknown,
  served = s,
  key = "serve-key",
): Promise<{ status: number; error: Record<string, unknown> }> {
  const res = await fetch(`${served.serve.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { error: Record<string, unknown> };
  assertSchema("ErrorResponse", json, `the ${res.status}`);
  return { status: res.status, error: json.error };
}

async function rejectsWith(
  p: Promise<unknown>,
  status: number,
  code?: string,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  let caught: unknown;
  await p.catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof OpenAI.APIError, `expected an APIError ${status}, got ${String(caught)}`);
  assert.equal(caught.status, status, caught.message);
  if (code) assert.equal(caught.code, code);
  return caught;
}

test("401 without the key or with a wrong one; /health needs none", async () => {
  await rejectsWith(s.client({ apiKey: "wrong" }).models.list(), 401, "invalid_api_key");
  await rejectsWith(
    s.client({ apiKey: "wrong" }).chat.completions.create({ model: "tts/majority-4", ...ask }),
    401,
  );
  const res = await fetch(`${s.serve.url}/models`);
  assert.equal(res.status, 401);
  assertSchema("ErrorResponse", await res.json(), "the 401");
  assert.equal((await get(s.serve.url.replace(/\/v1$/, "/health"))).status, 200);
  const ok = await s.client({ apiKey: "serve-key" }).models.list();
  assert.ok(ok.data.length > 0);
});

test("404 for a model this server does not serve", async () => {
  const client = s.client({ apiKey: "serve-key" });
  const e = await rejectsWith(
    client.chat.completions.create({ model: "gpt-4o", ...ask }),
    404,
    "model_not_found",
  );
  assert.match(e.message, /tts\/<strategy>-<n>/);
  await rejectsWith(
    client.chat.completions.create({ model: "tts/telepathy-8", ...ask }),
    404,
    "model_not_found",
  );
  await rejectsWith(client.models.retrieve("tts/beam-3"), 404);
  const raw = await rawError({ model: "nope", ...ask });
  assert.deepEqual([raw.status, raw.error.param], [404, "model"]);
});

test("400 for a bad request, naming the field", async () => {
  const cases: [unknown, string | null][] = [
    ["{not json", null],
    [{ model: "tts/majority-4", messages: [] }, "messages"],
    [{ model: "tts/majority-4", messages: [{ role: "assistant", content: "Hi" }] }, "messages"],
    [
      { model: "tts/majority-4", messages: [{ role: "user", content: [{ type: "image_url" }] }] },
      "messages[0].content[0]",
    ],
    [{ model: "tts/majority-4", temperature: 7, ...ask }, "temperature"],
    [{ model: "tts/majority-4", n: 99, ...ask }, "n"],
    [{ model: "tts/majority-4", tts: { strategy: "beam" }, ...ask }, "tts.strategy"],
    [{ model: "tts/majority-4", tts: { n: 4096 }, ...ask }, "tts.n"],
    [{ model: "tts/majority-4", tts: { maxSteps: 100_000 }, ...ask }, "tts.maxSteps"],
    [{ model: "tts/beam-4096", ...ask }, "model"],
    // Beam search needs n to be a multiple of the beam width (4).
    [{ model: "tts/beam-6", ...ask }, null],
  ];
  for (const [body, param] of cases) {
    const { status, error } = await rawError(body);
    assert.equal(status, 400, `${JSON.stringify(body).slice(0, 80)}: ${String(error.message)}`);
    assert.equal(error.type, "invalid_request_error");
    if (param) assert.equal(error.param, param, String(error.message));
  }
  await rejectsWith(
    s
      .client({ apiKey: "serve-key" })
      .chat.completions.create({ model: "tts/majority-4", temperature: 9, ...ask }),
    400,
  );
});

test("404 for a strategy that needs a verifier on a server without one", async () => {
  const bare = await startServed({}, { verifier: "none" });
  try {
    const ids = (await bare.client().models.list()).data.map((m) => m.id);
    assert.ok(ids.includes("tts/majority-8") && !ids.some((id) => id.startsWith("tts/beam")));
    await rejectsWith(
      bare.client().chat.completions.create({ model: "tts/beam-8", ...ask }),
      404,
      "model_not_found",
    );
  } finally {
    await bare.close();
  }
});

test("502 when the upstream fails, 504 when it times out", async () => {
  const failing = await startServed({ faults: "500=1" }, { maxRetries: "0" });
  try {
    const e = await rejectsWith(
      failing.client().chat.completions.create({ model: "tts/majority-4", ...ask }),
      502,
    );
    assert.match(e.message, /policy endpoint/);
    const raw = await rawError({ model: "tts/majority-4", ...ask }, failing, "");
    assert.deepEqual([raw.status, raw.error.type], [502, "upstream_error"]);
  } finally {
    await failing.close();
  }
  const slow = await startServed(
    { faults: "slow=1", slowMs: 2_000 },
    { maxRetries: "0", firstTokenTimeoutMs: "300", policyApiStyle: "whole-solution" },
  );
  try {
    const e = await rejectsWith(
      slow.client().chat.completions.create({ model: "tts/majority-4", ...ask }),
      504,
    );
    assert.match(e.message, /sent nothing back in time/);
    assert.equal(e.code, "upstream_timeout");
  } finally {
    await slow.close();
  }
});

test("streamed: an upstream failure after the stream opened arrives as an error event the client throws", async () => {
  // Detection only reads GET /v1/models, which the faults spare: the stream opens, then every
  // policy call fails.
  const failing = await startServed({ faults: "500=1" }, { maxRetries: "0" });
  try {
    const stream = await failing
      .client()
      .chat.completions.create({ model: "tts/majority-4", stream: true, ...ask });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) seen.push(JSON.stringify(chunk.choices[0]?.delta ?? {}));
      })(),
      (e: unknown) => e instanceof OpenAI.APIError && /policy endpoint.*HTTP 500/.test(e.message),
    );
    assert.ok(seen.length >= 1, "the stream was open before the error");
    assert.equal(failing.log.at(-1)?.status, 502);
  } finally {
    await failing.close();
  }
});
