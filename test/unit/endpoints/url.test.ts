import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeBaseUrl } from "../../../src/endpoints/index.js";
import { hintForStatus } from "../../../src/endpoints/errors.js";
import { displayUrl } from "../../../src/endpoints/url.js";

describe("normalizeBaseUrl", () => {
  const cases: [string, string][] = [
    ["http://localhost:8000/v1", "http://localhost:8000"],
    ["http://localhost:8000/v1/", "http://localhost:8000"],
    ["http://localhost:8000", "http://localhost:8000"],
    ["http://localhost:8000/", "http://localhost:8000"],
    ["http://localhost:8000/v1/v1", "http://localhost:8000"],
    ["http://localhost:8000/v1/chat/completions", "http://localhost:8000"],
    ["http://localhost:8000/v1/completions/", "http://localhost:8000"],
    ["http://localhost:8000/v1/models", "http://localhost:8000"],
    ["http://localhost:8000/pooling", "http://localhost:8000"],
    ["http://localhost:11434/api/generate", "http://localhost:11434"],
    ["  localhost:8080  ", "http://localhost:8080"],
    ["https://openrouter.ai/api/v1", "https://openrouter.ai/api"],
    ["https://host.example/proxy/llm/v1/chat/completions?x=1#y", "https://host.example/proxy/llm"],
    ["HTTP://LOCALHOST:8000/V1", "http://localhost:8000"],
  ];
  for (const [input, root] of cases)
    it(`${JSON.stringify(input)} → ${root}`, () => assert.equal(normalizeBaseUrl(input), root));

  it("refuses what is not an http(s) URL, saying what to enter", () => {
    assert.throws(() => normalizeBaseUrl(""), /empty/);
    assert.throws(() => normalizeBaseUrl("ftp://host/v1"), /http:\/\/ or https:\/\//);
    assert.throws(() => normalizeBaseUrl("http://"), /not a URL/);
  });

  it("refuses a user name or password in the URL in words, without echoing them, instead of dropping them", () => {
    for (const url of ["http://user:s3cret-pass@localhost:8000/v1", "https://token@host.example/v1"])
      assert.throws(
        () => normalizeBaseUrl(url),
        (e: Error) =>
          /user name or password in it/.test(e.message) &&
          /Set API Key/.test(e.message) &&
          !/s3cret|token@/.test(e.message),
      );
  });

  it("the 401 hint says a password in the URL is not sent", () => {
    assert.match(
      hintForStatus(401, {}, "http://localhost:8000/v1/models")!,
      /password written in the URL is not sent/,
    );
  });

  it("shows URLs without credentials or query", () => {
    assert.equal(displayUrl("https://user:secret@host:8443/v1?key=abc"), "https://host:8443/v1");
  });
});
