import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Choice } from "../../../src/endpoints/adapters/choices.js";
import { stopCause } from "../../../src/endpoints/adapters/choices.js";
import { toGeneration } from "../../../src/endpoints/policy/generation.js";

const choice = (text: string, stop: Choice["stop"]): Choice => ({ index: 0, text, stop, logprobs: [] });

describe("step end versus solution end", () => {
  it("follows the server where it names the stop (vLLM stop_reason, SGLang matched_stop)", () => {
    assert.equal(stopCause({ finish_reason: "stop", stop_reason: "\n\n" }), "stop-string");
    assert.equal(stopCause({ finish_reason: "stop", stop_reason: null }), "eos");
    assert.equal(stopCause({ finish_reason: "stop", stop_reason: 151645 }), "eos");
    assert.equal(stopCause({ finish_reason: "stop", matched_stop: "\n\n" }), "stop-string");
    assert.equal(stopCause({ finish_reason: "stop", matched_stop: 151643 }), "eos");
    assert.equal(stopCause({ finish_reason: "stop" }), "stop");
    assert.equal(stopCause({ finish_reason: "length", stop_reason: null }), "length");
    assert.equal(toGeneration(choice("Adding 3 gives 5.", "stop-string"), "step", "\n\n").ended, false);
    assert.equal(toGeneration(choice("Adding 3 gives 5.", "eos"), "step", "\n\n").ended, true);
  });

  it("where the server does not, a final answer or an empty step ends the solution", () => {
    assert.equal(toGeneration(choice("So $\\boxed{5}$.", "stop"), "step", "\n\n").ended, true);
    assert.equal(toGeneration(choice("  ", "stop"), "step", "\n\n").ended, true);
    assert.equal(toGeneration(choice("Adding 3 gives 5.", "stop"), "step", "\n\n").ended, false);
  });

  it("cuts a step at a delimiter the server wrote anyway, and marks the token limit", () => {
    assert.deepEqual(toGeneration(choice("One.\n\nTwo.", "eos"), "step", "\n\n"), {
      text: "One.",
      ended: false,
    });
    assert.deepEqual(toGeneration(choice("One", "length"), "step", "\n\n"), {
      text: "One",
      ended: false,
      truncated: true,
    });
  });

  it("in solution mode always ends, keeping the delimiters inside", () => {
    assert.deepEqual(toGeneration(choice("One.\n\nTwo.", "stop"), "solution", "\n\n"), {
      text: "One.\n\nTwo.",
      ended: true,
    });
  });
});
