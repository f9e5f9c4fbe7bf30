// The tasks simworld's code world knows: HumanEval and MBPP (data/, with their sources and
// licences in data/README.md) and a few JavaScript and TypeScript functions of our own for the
// editor tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface KnownCodeTask {
  id: string;
  language: "python" | "javascript" | "typescript";
  entry: string;
  /** The text that identifies the task in a prompt (whitespace-insensitive). */
  key: string;
  /** The whole reference solution. */
  reference: string;
  /** The task's test statements (dataset tests): what a simulated test writer draws from. */
  asserts: string[];
  /** A program fragment that raises when the code before it is wrong: the grade. */
  grade: string;
  /** MBPP shows its first test in the prompt. */
  visible: string[];
  /** What a user would select for it: HumanEval's stub, MBPP's sentence and first test, a JSDoc stub. */
  selection: string;
}

const DATA = join(__dirname, "../../data");

export const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

function humanEval(): KnownCodeTask[] {
  return readFileSync(join(DATA, "humaneval.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as Record<string, string>;
      const entry = r.entry_point!;
      const asserts = r
        .test!.split("\n")
        .map((l) => l.trim())
        .filter((l) => l.startsWith("assert") && l.includes("candidate("))
        .map((l) => l.replaceAll("candidate(", `${entry}(`).replace(/,\s*"[^"]*"\s*$/, ""));
      return {
        id: r.task_id!,
        language: "python" as const,
        entry,
        key: squash(r.prompt!),
        reference: r.prompt! + r.canonical_solution!,
        asserts,
        grade: `${r.test}\ncheck(${entry})\n`,
        visible: [],
        selection: r.prompt!,
      };
    });
}

function mbpp(): KnownCodeTask[] {
  return readFileSync(join(DATA, "mbpp-sanitized.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as {
        task_id: number;
        prompt: string;
        code: string;
        test_imports: string[];
        test_list: string[];
      };
      const names = [...r.code.matchAll(/^def (\w+)\(/gm)].map((m) => m[1]!);
      const entry = names.find((n) => r.test_list[0]!.includes(`${n}(`)) ?? names[names.length - 1] ?? "f";
      return {
        id: `MBPP/${r.task_id}`,
        language: "python" as const,
        entry,
        key: squash(r.prompt),
        reference: r.code,
        asserts: r.test_list,
        grade: [...r.test_imports, ...r.test_list].join("\n") + "\n",
        visible: r.test_list.slice(0, 1),
        selection: `${r.prompt}\n${r.test_list[0]}`,
      };
    });
}

/** JavaScript tasks for the editor tests: a JSDoc stub, a reference, tests. */
export const JS_TASKS: KnownCodeTask[] = [
  {
    id: "js/clamp",
    language: "javascript",
    entry: "clamp",
    key: squash("Clamps x to the range [lo, hi]."),
    reference:
      "/**\n * Clamps x to the range [lo, hi].\n * clamp(5, 0, 3) // => 3\n * clamp(-1, 0, 3) // => 0\n */\n" +
      "function clamp(x, lo, hi) {\n  if (x < lo) {\n    return lo;\n  }\n  if (x > hi) {\n    return hi;\n  }\n  return x;\n}",
    asserts: [
      "assert.deepStrictEqual(clamp(5, 0, 3), 3)",
      "assert.deepStrictEqual(clamp(-1, 0, 3), 0)",
      "assert.deepStrictEqual(clamp(2, 0, 3), 2)",
      "assert.deepStrictEqual(clamp(0, 0, 3), 0)",
      "assert.deepStrictEqual(clamp(3, 0, 3), 3)",
    ],
    grade: "",
    visible: [],
    selection: "",
  },
  {
    id: "js/countVowels",
    language: "javascript",
    entry: "countVowels",
    key: squash("Counts the vowels (a, e, i, o, u, either case) in a string."),
    reference:
      '/**\n * Counts the vowels (a, e, i, o, u, either case) in a string.\n * countVowels("Hello") // => 2\n */\n' +
      'function countVowels(s) {\n  let n = 0;\n  for (const c of s.toLowerCase()) {\n    if ("aeiou".includes(c)) {\n      n += 1;\n    }\n  }\n  return n;\n}',
    asserts: [
      'assert.deepStrictEqual(countVowels("Hello"), 2)',
      'assert.deepStrictEqual(countVowels(""), 0)',
      'assert.deepStrictEqual(countVowels("AEIOU xyz"), 5)',
    ],
    grade: "",
    visible: [],
    selection: "",
  },
];

/** TypeScript tasks: a stub with type annotations (and an export) that only runs once its types are stripped. */
export const TS_TASKS: KnownCodeTask[] = [
  {
    id: "ts/sumRange",
    language: "typescript",
    entry: "sumRange",
    key: squash("Sums the integers from lo to hi, both included; 0 when lo > hi."),
    reference:
      "/**\n * Sums the integers from lo to hi, both included; 0 when lo > hi.\n * sumRange(1, 4) // => 10\n * sumRange(3, 3) // => 3\n */\n" +
      "export function sumRange(lo: number, hi: number): number {\n  let total: number = 0;\n  for (let i: number = lo; i <= hi; i++) {\n    total += i;\n  }\n  return total;\n}",
    asserts: [
      "assert.deepStrictEqual(sumRange(1, 4), 10)",
      "assert.deepStrictEqual(sumRange(3, 3), 3)",
      "assert.deepStrictEqual(sumRange(5, 2), 0)",
      "assert.deepStrictEqual(sumRange(-2, 2), 0)",
      "assert.deepStrictEqual(sumRange(0 as number, 10), 55)",
    ],
    grade: "",
    visible: [],
    selection: "",
  },
];

for (const t of [...JS_TASKS, ...TS_TASKS]) t.selection = t.reference.replace(/\{[^]*\}$/, "{\n}\n");

let all: KnownCodeTask[] | null = null;
let byEntry: Map<string, KnownCodeTask[]> | null = null;

export function codeTasks(): KnownCodeTask[] {
  return (all ??= [...humanEval(), ...mbpp(), ...JS_TASKS, ...TS_TASKS]);
}

/** The known task a prompt is about: a function name it mentions, and the task's text in it. */
export function findCodeTask(prompt: string): KnownCodeTask | null {
  if (!byEntry) {
    byEntry = new Map();
    for (const t of codeTasks()) byEntry.set(t.entry, [...(byEntry.get(t.entry) ?? []), t]);
  }
  const flat = squash(prompt);
  const names = new Set([...prompt.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1]!));
  for (const name of names) for (const t of byEntry.get(name) ?? []) if (flat.includes(t.key)) return t;
  return null;
}
