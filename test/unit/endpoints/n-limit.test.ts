import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EndpointError } from "../../../src/endpoints/errors.js";
import { samplesAllowed } from "../../../src/endpoints/policy/n-limit.js";

const refusal = (message: string, status = 400): EndpointError =>
  new EndpointError({
    endpoint: "policy",
    url: "http://x/v1/chat/completions",
    status,
    serverMessage: message,
  });

describe("samplesAllowed: the samples a request may ask for, from the server's 400", () => {
  it("reads today's llama-server wording on chat (n) and /completion (n_cmpl)", () => {
    // Captured: test/fixtures/llamacpp-real/server/post-v1-chat-n-8-over-slots, post-completion-n-cmpl-8-over-slots.
    assert.equal(samplesAllowed(refusal("Field 'n': Value must be between 1 <= value <= 4, but got 8")), 4);
    assert.equal(
      samplesAllowed(refusal("Field 'n_cmpl': Value must be between 1 <= value <= 4, but got 8")),
      4,
    );
  });
  it("reads the wording of builds before n", () => {
    assert.equal(samplesAllowed(refusal("Only one completion choice is allowed")), 1);
  });
  it("is null for other errors", () => {
    assert.equal(samplesAllowed(refusal("the prompt is too long")), null);
    assert.equal(samplesAllowed(refusal("Field 'n': Value must be between 1 <= value <= 4", 500)), null);
    assert.equal(samplesAllowed(new Error("x")), null);
  });
});
