// simworld's code world: a simulated policy asked for a known function (HumanEval, MBPP, or our
// JavaScript tasks) answers with the reference or with one realistic mistake, at a rate set by
// the model's size and the task's difficulty; asked for tests (CodeT), it writes the task's own
// asserts, some with a wrong expected value. Text alone decides the task; draws are keyed.
import type { PolicyModel, JudgeModel } from "./models.js";
import { mutate, MUTATION_KINDS } from "./code-mutations.js";
import { findCodeTask, type KnownCodeTask } from "./code-tasks.js";
import { hashString, rngFor } from "./rng.js";

/** The phrase core/code/prompt.ts opens a test request with. */
const TEST_REQUEST = "Write test cases for the following function.";

/** P(right code) on a task of middling difficulty, by policy size (HumanEval-like pass@1). */
export function codeSkill(params: number): { solve: number; testError: number } {
  if (params >= 50e9) return { solve: 0.85, testError: 0.06 };
  if (params >= 5e9) return { solve: 0.65, testError: 0.12 };
  if (params >= 1e9) return { solve: 0.45, testError: 0.22 };
  return { solve: 0.3, testError: 0.3 };
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The task's difficulty in [0, 1]: fixed per task, the same for every model. */
function difficulty(task: KnownCodeTask): number {
  return (hashString(`difficulty|${task.id}`) % 10007) / 10007;
}

export function solveRate(params: number, task: KnownCodeTask): number {
  return sigmoid(logit(codeSkill(params).solve) + 3 * (0.5 - difficulty(task)));
}

// Comments models add: equal code in different words, so majority by text splits its votes.
const REMARKS = [
  "",
  "# straightforward approach",
  "# go through the input once",
  "# handle each case in turn",
];

function remark(code: string, language: KnownCodeTask["language"], variant: number): string {
  const text = REMARKS[variant % REMARKS.length]!;
  if (!text) return code;
  const comment = language === "python" ? text : text.replace(/^#/, "//");
  // After the signature (and its docstring): the first line of the body.
  const lines = code.split("\n");
  let at = lines.findIndex((l) => /^\s*(def|function)\b/.test(l));
  if (at < 0) return code;
  if (language === "python") {
    let quotes = 0;
    for (let i = at + 1; i < lines.length; i++) {
      quotes += (lines[i]!.match(/"""|'''/g) ?? []).length;
      if (quotes % 2 === 0 && (quotes > 0 || !/^\s*[rRbBuU]?("""|''')/.test(lines[i]!))) {
        at = quotes > 0 ? i : at;
        break;
      }
    }
  }
  const indent = /^\s*/.exec(lines[at + 1] ?? "")?.[0] || "    ";
  lines.splice(at + 1, 0, `${indent}${comment}`);
  return lines.join("\n");
}

function fence(task: KnownCodeTask, code: string): string {
  return `Here is the function:\n\n\`\`\`${task.language}\n${code.trimEnd()}\n\`\`\``;
}

/** A solution to the task, right or with one mistake. */
export function writeCode(
  model: PolicyModel | JudgeModel,
  task: KnownCodeTask,
  key: readonly (string | number)[],
): string {
  const rng = rngFor("code", model.id, task.id, ...key);
  const variant = rng.int(0, REMARKS.length - 1);
  if (rng.next() < solveRate(model.params, task))
    return fence(task, remark(task.reference, task.language, variant));
  // Half the mistakes are the task's own (the one most models make), half any kind.
  const typical = MUTATION_KINDS[hashString(`typical|${task.id}`) % MUTATION_KINDS.length]!;
  const kind = rng.next() < 0.5 ? typical : MUTATION_KINDS[rng.int(0, MUTATION_KINDS.length - 1)]!;
  const siteRng = kind === typical ? rngFor("typical-site", task.id) : rng;
  const wrong =
    mutate(task.reference, kind, siteRng, task.language)?.code ??
    task.reference.replace(/\breturn\b/, "return None and");
  return fence(task, remark(wrong, task.language, variant));
}

function corrupt(assertion: string, language: KnownCodeTask["language"]): string {
  if (language !== "python") return assertion.replace(/,\s*([^,]+)\)\s*;?$/, (_, v: string) => `, ${v} + 1)`);
  const eq = assertion.lastIndexOf("==");
  if (eq < 0) return assertion.replace(/^assert /, "assert not ");
  const want = assertion.slice(eq + 2).trim();
  const swapped =
    want === "True"
      ? "False"
      : want === "False"
        ? "True"
        : /^-?\d+$/.test(want)
          ? String(Number(want) + 1)
          : `${want} * 2`;
  return `${assertion.slice(0, eq)}== ${swapped}`;
}

/** Test cases for the task: some of its own asserts, a share with a wrong expected value. */
export function writeTests(
  model: PolicyModel | JudgeModel,
  task: KnownCodeTask,
  key: readonly (string | number)[],
): string {
  const rng = rngFor("tests", model.id, task.id, ...key);
  const pool = task.asserts.filter((a) => a.includes(`${task.entry}(`));
  const picked: string[] = [];
  for (let i = 0; i < Math.min(5, pool.length); i++) {
    const a = pool[rng.int(0, pool.length - 1)]!;
    picked.push(rng.next() < codeSkill(model.params).testError ? corrupt(a, task.language) : a);
  }
  return `\`\`\`${task.language}\n${[...new Set(picked)].join("\n")}\n\`\`\``;
}

/** A code world answer to a prompt, or null when the prompt is not about a known code task. */
export function codeAnswer(
  model: PolicyModel | JudgeModel,
  prompt: string,
  key: readonly (string | number)[],
): string | null {
  const task = findCodeTask(prompt);
  if (!task) return null;
  return prompt.includes(TEST_REQUEST) ? writeTests(model, task, key) : writeCode(model, task, key);
}
