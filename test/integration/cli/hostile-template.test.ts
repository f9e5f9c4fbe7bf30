// A hostile chat template in the CLI (`range(100000000)` ran 25 s and took 3 GB; a nested loop
// froze the editor): it fails at once (one stuck inside a step, after the template thread's
// limit), naming the setting, and no generation reaches the server.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { startCli } from "./cli-helpers.js";

let sim: Simworld;
before(async () => {
  sim = await startSimworld({ flavour: "vllm", port: 0, seed: 1 });
});
after(() => sim.close());

for (const [name, template] of [
  ["range(100000000)", "{% for i in range(100000000) %}{% endfor %}"],
  [
    "a nested range(2500) loop",
    "{% for i in range(2500) %}{% for j in range(2500) %}{% endfor %}{% endfor %}",
  ],
  [
    // One evaluation step that writes 2^40 leaves: only the limit outside its thread stops it.
    "a list nested 40 times in itself, written by tojson",
    "{% set ns = namespace(a=[1, 1]) %}{% for i in range(40) %}{% set ns.a = [ns.a, ns.a] %}{% endfor %}" +
      "{{ ns.a | tojson }}",
  ],
] as const)
  test(`solve with ${name} as the chat template fails naming the setting; nothing is generated`, async () => {
    const child = startCli([
      "solve",
      "--policy-url",
      sim.url,
      "--policy-model",
      "sim-policy-7b",
      "--policy-api-style",
      "completions-template",
      "--policy-chat-template",
      template,
      "--verifier",
      "none",
      "--strategy",
      "majority",
      "What is 1 + 1?",
    ]);
    const { code } = await child.exited;
    assert.notEqual(code, 0);
    assert.match(
      child.stderr(),
      /chat template \(setting ttsReasoner\.policy\.chatTemplate, CLI --policy-chat-template\) was stopped/,
    );
    assert.equal(sim.requests.filter((r) => r.method === "POST").length, 0, "no generation request was sent");
  });
