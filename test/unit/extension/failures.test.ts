import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyRunView } from "../../../src/core/index.js";
import { EndpointError } from "../../../src/endpoints/index.js";
import { failureOf, runFailureOf } from "../../../src/extension/failures.js";
import { SettingsError } from "../../../src/app/settings/index.js";

test("an endpoint error names the endpoint and URL and offers Test Connection", () => {
  const e = new EndpointError({
    endpoint: "policy",
    url: "http://127.0.0.1:9/v1/chat/completions",
    transport: "refused",
  });
  const f = failureOf(e);
  assert.equal(f.endpoint, "policy");
  assert.match(f.url!, /127\.0\.0\.1:9/);
  assert.equal(f.action, "testConnection");
  assert.match(f.message, /policy endpoint \(http:\/\/127\.0\.0\.1:9.*refused/);
  assert.match(f.message, /Test Connection/);
});

test("bad settings offer to open the settings", () => {
  const f = failureOf(new SettingsError([{ key: "policy.baseUrls", message: "is empty" }]));
  assert.equal(f.action, "openSettings");
  assert.match(f.message, /ttsReasoner\.policy\.baseUrls is empty/);
});

test("a run that failed says why, with the first endpoint failure it warned of", () => {
  const view = emptyRunView();
  view.warnings.push(
    "A policy call failed: The policy endpoint (http://localhost:1/v1) refused the connection.",
  );
  view.result = {
    strategy: "beam",
    answer: null,
    chosen: null,
    candidates: [],
    tally: [],
    cost: view.cost,
    aborted: false,
    error: "The search produced no finished solution: every policy call failed (see the warnings).",
    errorCode: "no-solution",
    errorRole: "policy",
    failures: [
      {
        role: "policy",
        code: "endpoint",
        message: "The policy endpoint (http://localhost:1/v1) refused the connection.",
        paths: 4,
      },
    ],
  };
  const f = runFailureOf(view);
  assert.ok(f);
  assert.match(
    f.message,
    /every policy call failed.*First failure: .*policy endpoint \(http:\/\/localhost:1\/v1\)/,
  );
  assert.equal(f.action, "testConnection");
  // The core's own error names the first failure: it is not repeated.
  view.result.error =
    "The search produced no finished solution: policy calls failed (first: The policy endpoint (http://localhost:1/v1) refused the connection.).";
  const g = runFailureOf(view);
  assert.equal(g?.message.match(/localhost:1/g)?.length, 1, g?.message);
  assert.equal(g?.action, "testConnection");
  view.result.error = undefined;
  assert.equal(runFailureOf(view), null);
});
