// A chat template is code from the settings: it renders under a step, time and size budget,
// and a template that exceeds it is an error naming where it came from.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Template } from "@huggingface/jinja";
import { CHATML_TEMPLATE, ChatTemplate, LLAMA3_TEMPLATE } from "../../../src/endpoints/chat-template.js";
import { CONFIGURED_TEMPLATE } from "../../../src/endpoints/policy/renderer.js";

const FIXTURES = join(__dirname, "../../fixtures");
const messages = [
  { role: "system" as const, content: "Solve step by step." },
  { role: "user" as const, content: "What is $2 + 3$?" },
];
const configured = (source: string): ChatTemplate => new ChatTemplate(source, CONFIGURED_TEMPLATE);

describe("chat template budget", () => {
  it("real templates render exactly as @huggingface/jinja renders them", () => {
    const props = JSON.parse(
      readFileSync(join(FIXTURES, "llamacpp-real/server/get-props.response.json"), "utf8"),
    ) as { body: string | { chat_template: string } };
    const body =
      typeof props.body === "string" ? (JSON.parse(props.body) as { chat_template: string }) : props.body;
    for (const source of [CHATML_TEMPLATE, LLAMA3_TEMPLATE, body.chat_template]) {
      const items = { messages, add_generation_prompt: true, bos_token: "", eos_token: "" };
      assert.equal(configured(source).render(messages, true), new Template(source).render(items));
    }
  });

  it("a nested range(2500) loop (it froze the extension host for seconds) stops, naming the setting", () => {
    const hostile =
      "{% for i in range(2500) %}{% for j in range(2500) %}{{ '' }}{% endfor %}{% endfor %}" +
      CHATML_TEMPLATE;
    assert.throws(
      () => configured(hostile).render(messages, true),
      (e: Error) =>
        e.message.startsWith(CONFIGURED_TEMPLATE) &&
        /ttsReasoner\.policy\.chatTemplate/.test(e.message) &&
        // The steps run out first; on a loaded machine the clock may.
        /was stopped: rendering one prompt took more than (20000 evaluation steps|250 ms)/.test(e.message),
    );
  });

  it("range(100000000) (3 GB in the CLI) is refused before the list is made", () => {
    assert.throws(
      () => configured("{% for i in range(100000000) %}{% endfor %}").render(messages, true),
      /asked range\(\) for 100000000 numbers \(at most 10000\)/,
    );
  });

  it("text that doubles itself is stopped by the size budget", () => {
    const doubling =
      "{% set ns = namespace(s='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') %}" +
      "{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}";
    assert.throws(() => configured(doubling).render(messages, true), /produced more than 4000000 characters/);
  });

  it("a slow template is stopped by the clock", () => {
    const slow = new ChatTemplate(
      "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
      "The test template",
      { steps: 1e12, ms: 50, produced: 1e9, range: 1e6 },
    );
    assert.throws(
      () => slow.render(messages, true),
      /^Error: The test template was stopped: .*more than 50 ms/,
    );
  });

  it("a template that raises, or is too long, fails with the setting's name", () => {
    assert.throws(
      () => configured("{{ raise_exception('no system role') }}").render(messages, true),
      (e: Error) => e.message === `${CONFIGURED_TEMPLATE} failed to render: no system role`,
    );
    assert.throws(() => configured("x".repeat(200_000)), /chatTemplate.*200000 characters long/);
  });
});
