// A chat template is code from the settings: it renders on its own thread under a step, time and
// size budget, the thread is stopped from outside when it does not answer in time, and a
// template that exceeds either is an error naming where it came from.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Template } from "@huggingface/jinja";
import { CHATML_TEMPLATE, ChatTemplate, LLAMA3_TEMPLATE } from "../../../src/endpoints/chat-template.js";
import { CONFIGURED_TEMPLATE } from "../../../src/endpoints/policy/renderer.js";
import { TEMPLATE_BUDGET } from "../../../src/endpoints/template-budget.js";

const FIXTURES = join(__dirname, "../../fixtures");
const messages = [
  { role: "system" as const, content: "Solve step by step." },
  { role: "user" as const, content: "What is $2 + 3$?" },
];
const configured = (source: string): ChatTemplate => new ChatTemplate(source, CONFIGURED_TEMPLATE);

/**
 * A list nested `depth` times in itself: `tojson` writes 2^depth leaves inside ONE evaluation
 * step, so neither the step counter nor the clock (read between steps) ever sees it.
 */
const selfNested = (depth: number): string =>
  "{% set ns = namespace(a=[1, 1]) %}" +
  `{% for i in range(${depth}) %}{% set ns.a = [ns.a, ns.a] %}{% endfor %}{{ ns.a | tojson | length }}`;

describe("chat template budget", () => {
  it("real templates render exactly as @huggingface/jinja renders them", async () => {
    const props = JSON.parse(
      readFileSync(join(FIXTURES, "llamacpp-real/server/get-props.response.json"), "utf8"),
    ) as { body: string | { chat_template: string } };
    const body =
      typeof props.body === "string" ? (JSON.parse(props.body) as { chat_template: string }) : props.body;
    for (const source of [CHATML_TEMPLATE, LLAMA3_TEMPLATE, body.chat_template]) {
      const items = { messages, add_generation_prompt: true, bos_token: "", eos_token: "" };
      assert.equal(await configured(source).render(messages, true), new Template(source).render(items));
    }
  });

  it("a nested range(2500) loop (it froze the extension host for seconds) stops, naming the setting", async () => {
    const hostile =
      "{% for i in range(2500) %}{% for j in range(2500) %}{{ '' }}{% endfor %}{% endfor %}" +
      CHATML_TEMPLATE;
    await assert.rejects(
      configured(hostile).render(messages, true),
      (e: Error) =>
        e.message.startsWith(CONFIGURED_TEMPLATE) &&
        /ttsReasoner\.policy\.chatTemplate/.test(e.message) &&
        // The steps run out first; on a loaded machine the clock may.
        /was stopped: rendering one prompt took more than (20000 evaluation steps|250 ms)/.test(e.message),
    );
  });

  it("range(100000000) (3 GB in the CLI) is refused before the list is made", async () => {
    await assert.rejects(
      configured("{% for i in range(100000000) %}{% endfor %}").render(messages, true),
      /asked range\(\) for 100000000 numbers \(at most 10000\)/,
    );
  });

  it("text that doubles itself is stopped by the size budget", async () => {
    const doubling =
      "{% set ns = namespace(s='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') %}" +
      "{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}";
    await assert.rejects(
      configured(doubling).render(messages, true),
      /produced more than 4000000 characters/,
    );
  });

  it("a slow template is stopped by the clock", async () => {
    const slow = new ChatTemplate(
      "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
      "The test template",
      { steps: 1e12, ms: 50, produced: 1e9, range: 1e6, answerMs: 60_000 },
    );
    await assert.rejects(
      slow.render(messages, true),
      /^Error: The test template was stopped: .*more than 50 ms/,
    );
  });

  it("a template stuck inside one step is stopped from outside its thread, naming the setting", async () => {
    // The small depths render (the template works); 40 would take hours and terabytes.
    assert.equal(await configured(selfNested(3)).render(messages, true), "76");
    const stuck = new ChatTemplate(selfNested(40), CONFIGURED_TEMPLATE, {
      ...TEMPLATE_BUDGET,
      answerMs: 500,
    });
    await assert.rejects(stuck.render(messages, true), (e: Error) =>
      e.message.startsWith(`${CONFIGURED_TEMPLATE} was stopped: rendering one prompt took more than 500 ms`),
    );
    // The thread was replaced: the next render works.
    assert.match(await configured(CHATML_TEMPLATE).render(messages, true), /^<\|im_start\|>system/);
  });

  it("the calling thread keeps running while a hostile template renders", async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      const stuck = new ChatTemplate(selfNested(40), CONFIGURED_TEMPLATE, {
        ...TEMPLATE_BUDGET,
        answerMs: 300,
      });
      await assert.rejects(stuck.render(messages, true), /was stopped/);
    } finally {
      clearInterval(ticker);
    }
    // Rendered on this thread, the interval could not have run until the render ended.
    assert.ok(ticks >= 2, `the interval ran ${ticks} times`);
  });

  it("renders asked at once are answered in order, each with its own result", async () => {
    const renders = Array.from({ length: 20 }, (_, i) =>
      configured(CHATML_TEMPLATE).render([{ role: "user", content: `problem ${i}` }], true),
    );
    const failing = configured("{{ raise_exception('bad ' + messages[0].content) }}").render(messages, false);
    const prompts = await Promise.all(renders);
    prompts.forEach((p, i) => assert.ok(p.includes(`problem ${i}<|im_end|>`), p));
    await assert.rejects(failing, /failed to render: bad Solve step by step\./);
  });

  it("a template that raises, or is too long, fails with the setting's name", async () => {
    await assert.rejects(
      configured("{{ raise_exception('no system role') }}").render(messages, true),
      (e: Error) => e.message === `${CONFIGURED_TEMPLATE} failed to render: no system role`,
    );
    assert.throws(() => configured("x".repeat(200_000)), /chatTemplate.*200000 characters long/);
    assert.throws(() => configured("{% for %}"), /chatTemplate.*could not be parsed/);
  });
});
