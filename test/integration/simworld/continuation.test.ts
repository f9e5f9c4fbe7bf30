// A partial solution with a wrong step is continued from the wrong value (the final answer
// follows from it), whichever form the prompt takes; the same request with the same seed gives
// the same answer, and a solution written step by step equals the one written in one go.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { startSimworld, type Simworld } from "../../simworld/index.js";
import { applyOp, findWorldProblem, generateProblems } from "../../simworld/world.js";
import { post, MATH500 } from "./helpers.js";

type Json = Record<string, unknown>;

const problem = generateProblems({ count: 1, seed: 21, levels: [3] })[0]!;
const chain = findWorldProblem(problem.problem)!.chain;
const rightSteps = problem.solution!.split("\n\n");
// Step 1 states a value 5 too high; later steps should carry it on.
const firstValue = applyOp(chain.start, chain.ops[0]!);
const wrongValue = firstValue + 5;
const wrongStep = rightSteps[0]!.replace(`= ${firstValue}$`, `= ${wrongValue}$`);
const partial = `${wrongStep}\n\n`;
const expected = chain.ops.slice(1).reduce((v, op) => applyOp(v, op), wrongValue);

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
const chatml = `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${problem.problem}<|im_end|>\n<|im_start|>assistant\n`;
const llama3 = `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n${SYSTEM}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n${problem.problem}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`;

function boxed(text: string): number | null {
  const m = /\\boxed\{(\d+)\}/.exec(text);
  return m ? Number(m[1]) : null;
}

const content = (v: unknown) => String((((v as Json).choices as Json[])[0]!.message as Json).content);
const text = (v: unknown) => String(((v as Json).choices as Json[])[0]!.text);

describe("simworld continuation", () => {
  let vllm: Simworld;
  let llamacpp: Simworld;
  let ollama: Simworld;
  before(async () => {
    [vllm, llamacpp, ollama] = await Promise.all([
      startSimworld({ flavour: "vllm" }),
      startSimworld({ flavour: "llamacpp" }),
      startSimworld({ flavour: "ollama" }),
    ]);
  });
  after(() => Promise.all([vllm.close(), llamacpp.close(), ollama.close()]));

  it("carries a wrong intermediate value to the final answer, in every prompt form", async () => {
    assert.notEqual(expected, Number(problem.answer), "the wrong step changes the answer");
    const model = "sim-policy-72b";
    const messages = [
      { role: "system", content: SYSTEM },
      { role: "user", content: problem.problem },
      { role: "assistant", content: partial },
    ];
    const forms: [string, Promise<string>][] = [
      [
        "vLLM chat, continue_final_message",
        post(`${vllm.url}/v1/chat/completions`, {
          model,
          messages,
          add_generation_prompt: false,
          continue_final_message: true,
          temperature: 0,
        }).then((r) => content(r.json())),
      ],
      [
        "completions, ChatML rendered by the client",
        post(`${vllm.url}/v1/completions`, {
          model,
          prompt: chatml + partial,
          max_tokens: 400,
          temperature: 0,
        }).then((r) => text(r.json())),
      ],
      [
        "completions, Llama-3 template",
        post(`${vllm.url}/v1/completions`, {
          model,
          prompt: llama3 + partial,
          max_tokens: 400,
          temperature: 0,
        }).then((r) => text(r.json())),
      ],
      [
        "llama.cpp chat, assistant prefill",
        post(`${llamacpp.url}/v1/chat/completions`, { model, messages, temperature: 0 }).then((r) =>
          content(r.json()),
        ),
      ],
      [
        "Ollama /api/generate raw",
        post(`${ollama.url}/api/generate`, {
          model,
          prompt: chatml + partial,
          raw: true,
          stream: false,
          options: { temperature: 0 },
        }).then((r) => String((r.json() as Json).response)),
      ],
    ];
    const outputs = await Promise.all(forms.map(([, p]) => p));
    for (const [i, out] of outputs.entries()) {
      const form = forms[i]![0];
      assert.equal(boxed(out), expected, `${form}: ${out}`);
      assert.ok(
        out.includes(`${wrongValue} `),
        `${form}: the next step starts from the wrong value ${wrongValue}: ${out}`,
      );
      assert.equal(out, outputs[0], `${form} continues exactly like the others`);
    }
  });

  it("gives the same answer to the same request and seed, and varies across seeds", async () => {
    const body = (seed: number) => ({
      model: "sim-policy-0.5b",
      messages: [{ role: "user", content: problem.problem }],
      temperature: 0.9,
      seed,
    });
    const a = content((await post(`${vllm.url}/v1/chat/completions`, body(42))).json());
    const b = content((await post(`${vllm.url}/v1/chat/completions`, body(42))).json());
    assert.equal(a, b);
    const others = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (s) =>
        content((await post(`${vllm.url}/v1/chat/completions`, body(s))).json()),
      ),
    );
    assert.ok(new Set([a, ...others]).size > 1, "sampling with other seeds writes other solutions");
    const greedy = { ...body(0), temperature: 0, n: 3 };
    delete (greedy as Partial<typeof greedy>).seed;
    const g = (await post(`${vllm.url}/v1/chat/completions`, greedy)).json() as Json;
    const texts = (g.choices as Json[]).map((c) => String((c.message as Json).content));
    assert.equal(new Set(texts).size, 1, "temperature 0 is greedy: every choice is the same");
  });

  it("writes the same solution step by step as in one go (same seed)", async () => {
    const seed = 9;
    const whole = text(
      (
        await post(`${vllm.url}/v1/completions`, {
          model: "sim-policy-0.5b",
          prompt: chatml,
          max_tokens: 600,
          temperature: 1,
          seed,
        })
      ).json(),
    );
    const steps: string[] = [];
    for (let i = 0; i < 12; i++) {
      const prefix = steps.length ? steps.join("\n\n") + "\n\n" : "";
      const r = (
        await post(`${vllm.url}/v1/completions`, {
          model: "sim-policy-0.5b",
          prompt: chatml + prefix,
          max_tokens: 200,
          temperature: 1,
          seed,
          stop: ["\n\n"],
        })
      ).json() as Json;
      const choice = (r.choices as Json[])[0]!;
      steps.push(String(choice.text));
      if (choice.stop_reason === null) break; // EOS: the solution ended
    }
    assert.equal(steps.join("\n\n"), whole);
  });

  it("writes a plausible step-by-step answer to a problem it does not know", async () => {
    const math500 = JSON.parse(readFileSync(MATH500, "utf8").split("\n")[0]!) as {
      problem: string;
    };
    const out = content(
      (
        await post(`${vllm.url}/v1/chat/completions`, {
          model: "sim-policy-7b",
          messages: [{ role: "user", content: math500.problem }],
          temperature: 0,
        })
      ).json(),
    );
    const steps = out.split("\n\n");
    assert.ok(steps.length >= 3, out);
    assert.ok(
      steps.slice(0, -1).every((s) => /=\s*\d+\$/.test(s)),
      out,
    );
    assert.notEqual(boxed(out), null, out);
  });
});
