// The simulated world: chains of arithmetic operations told as MATH-style problems, with a
// known value after every step. The problem text alone determines the chain, so the server
// needs no shared state with whoever generated the problem: it parses the text back.
import { Rng, hashString, rngFor } from "./rng.js";

export type OpKind = "add" | "sub" | "mul" | "div" | "mod" | "square";

export interface Op {
  kind: OpKind;
  /** The operand; 2 for `square`. */
  k: number;
}

export interface Chain {
  start: number;
  ops: Op[];
  level: 1 | 2 | 3 | 4 | 5;
  /** The unit of a word problem ("muffins"), or null for a bare-number problem. */
  unit: string | null;
  /** False when the problem is not from this world and the chain was made up from its text. */
  known: boolean;
}

export interface WorldProblem {
  id: string;
  problem: string;
  answer: string;
  level: 1 | 2 | 3 | 4 | 5;
  /** A reference solution in the policies' step format, as math500.jsonl has one. */
  solution?: string;
  subject?: string;
}

export function applyOp(value: number, op: Op): number {
  switch (op.kind) {
    case "add":
      return value + op.k;
    case "sub":
      return value - op.k;
    case "mul":
      return value * op.k;
    case "div":
      return Math.trunc(value / op.k);
    case "mod":
      return ((value % op.k) + op.k) % op.k;
    case "square":
      return value * value;
  }
}

/** The true value after each operation; the last one is the answer. */
export function truthValues(chain: Chain): number[] {
  const out: number[] = [];
  let v = chain.start;
  for (const op of chain.ops) {
    v = applyOp(v, op);
    out.push(v);
  }
  return out;
}

export function chainAnswer(chain: Chain): number {
  const values = truthValues(chain);
  return values[values.length - 1] ?? chain.start;
}

// ---------------------------------------------------------------------------------------------
// Difficulty. A level sets the number of operations, the kinds allowed and the size of numbers.

interface LevelSpec {
  ops: number;
  kinds: OpKind[];
  start: [number, number];
  operand: [number, number];
  factor: [number, number];
}

export const LEVELS: Record<1 | 2 | 3 | 4 | 5, LevelSpec> = {
  1: { ops: 2, kinds: ["add", "sub"], start: [5, 40], operand: [2, 20], factor: [2, 3] },
  2: { ops: 3, kinds: ["add", "sub", "mul"], start: [10, 60], operand: [3, 40], factor: [2, 5] },
  3: { ops: 4, kinds: ["add", "sub", "mul", "div"], start: [20, 120], operand: [5, 90], factor: [2, 9] },
  4: {
    ops: 5,
    kinds: ["add", "sub", "mul", "div", "mod"],
    start: [50, 400],
    operand: [10, 400],
    factor: [3, 12],
  },
  5: {
    ops: 6,
    kinds: ["add", "sub", "mul", "div", "mod", "square"],
    start: [100, 900],
    operand: [25, 900],
    factor: [4, 15],
  },
};

const MAX_VALUE = 5_000_000;

function drawOp(rng: Rng, value: number, spec: LevelSpec, previous: OpKind | null): Op | null {
  const kind = rng.pick(spec.kinds.filter((k) => k !== previous || k === "add" || k === "sub"));
  switch (kind) {
    case "add":
      return { kind, k: rng.int(spec.operand[0], spec.operand[1]) };
    case "sub": {
      const hi = Math.min(spec.operand[1], value - 1);
      return hi >= spec.operand[0] ? { kind, k: rng.int(spec.operand[0], hi) } : null;
    }
    case "mul": {
      const k = rng.int(spec.factor[0], spec.factor[1]);
      return value * k <= MAX_VALUE ? { kind, k } : null;
    }
    case "div": {
      const divisors: number[] = [];
      for (let d = spec.factor[0]; d <= spec.factor[1]; d++)
        if (value % d === 0 && value / d >= 2) divisors.push(d);
      return divisors.length ? { kind, k: rng.pick(divisors) } : null;
    }
    case "mod": {
      const k = rng.int(Math.max(spec.factor[0], 5), spec.factor[1] * 4);
      return value > k && value % k >= 2 ? { kind, k } : null;
    }
    case "square":
      return value >= 2 && value <= 60 ? { kind, k: 2 } : null;
  }
}

/** A random chain of the given level: every value stays a whole number between 1 and 5,000,000. */
export function drawChain(rng: Rng, level: 1 | 2 | 3 | 4 | 5, unit: string | null, known = true): Chain {
  const spec = LEVELS[level];
  const start = rng.int(spec.start[0], spec.start[1]);
  const ops: Op[] = [];
  let value = start;
  let previous: OpKind | null = null;
  while (ops.length < spec.ops) {
    let op: Op | null = null;
    for (let attempt = 0; attempt < 30 && !op; attempt++) op = drawOp(rng, value, spec, previous);
    op ??= { kind: "add", k: rng.int(spec.operand[0], spec.operand[1]) };
    ops.push(op);
    value = applyOp(value, op);
    previous = op.kind;
  }
  return { start, ops, level, unit, known };
}

// ---------------------------------------------------------------------------------------------
// Problem text. Each phrase is both a template ({k}, {u}) and, escaped, the pattern that reads
// it back, so the generator and the parser cannot drift apart.

interface Theme {
  opening: string;
  unit: string;
  question: string;
}

const THEMES: Theme[] = [
  {
    opening: "A bakery has ${k}$ muffins on its shelves.",
    unit: "muffins",
    question: "How many muffins are there at the end?",
  },
  {
    opening: "A library holds ${k}$ books.",
    unit: "books",
    question: "How many books are there at the end?",
  },
  {
    opening: "A farmer has ${k}$ apples.",
    unit: "apples",
    question: "How many apples are there at the end?",
  },
  {
    opening: "A warehouse stores ${k}$ crates.",
    unit: "crates",
    question: "How many crates are there at the end?",
  },
  {
    opening: "A collector owns ${k}$ stamps.",
    unit: "stamps",
    question: "How many stamps are there at the end?",
  },
];

const STORY_OPS: Record<OpKind, string[]> = {
  add: ["Then ${k}$ more {u} arrive.", "Next, ${k}$ more {u} are added."],
  sub: ["Then ${k}$ {u} are taken away.", "Next, ${k}$ {u} are given away."],
  mul: ["Then the number of {u} becomes ${k}$ times as large."],
  div: ["Then the {u} are split equally into ${k}$ groups, and only one group is kept."],
  mod: ["Then the {u} are packed into full boxes of ${k}$, and only the {u} left over are kept."],
  square: ["Then the number of {u} is replaced by its square."],
};

const BARE_OPENING = "Start with the number ${k}$.";
const BARE_QUESTION = "What is the final result?";
const BARE_OPS: Record<OpKind, string[]> = {
  add: ["Add ${k}$ to it."],
  sub: ["Subtract ${k}$ from it."],
  mul: ["Multiply it by ${k}$."],
  div: ["Divide it by ${k}$."],
  mod: ["Replace it by its remainder upon division by ${k}$."],
  square: ["Square it."],
};

function fill(template: string, k: number, unit: string | null): string {
  return template.replaceAll("{k}", String(k)).replaceAll("{u}", unit ?? "");
}

/** The problem statement of a chain, worded with the given generator. */
export function renderProblem(chain: Chain, rng: Rng): string {
  const theme = chain.unit ? THEMES.find((t) => t.unit === chain.unit) : undefined;
  const parts = [fill(theme ? theme.opening : BARE_OPENING, chain.start, chain.unit)];
  for (const op of chain.ops)
    parts.push(fill(rng.pick((theme ? STORY_OPS : BARE_OPS)[op.kind]), op.k, chain.unit));
  parts.push(theme ? theme.question : BARE_QUESTION);
  return parts.join(" ");
}

function toPattern(template: string, unit: string | null): string {
  return template
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("\\{k\\}", "(\\d+)")
    .replaceAll("\\{u\\}", unit ? unit : "");
}

interface Reader {
  unit: string | null;
  opening: RegExp;
  question: string;
  ops: { kind: OpKind; re: RegExp }[];
}

const READERS: Reader[] = [
  ...THEMES.map((t) => ({
    unit: t.unit,
    opening: new RegExp(toPattern(t.opening, t.unit), "g"),
    question: t.question,
    ops: Object.entries(STORY_OPS).flatMap(([kind, ts]) =>
      ts.map((tpl) => ({ kind: kind as OpKind, re: new RegExp(toPattern(tpl, t.unit), "y") })),
    ),
  })),
  {
    unit: null,
    opening: new RegExp(toPattern(BARE_OPENING, null), "g"),
    question: BARE_QUESTION,
    ops: Object.entries(BARE_OPS).flatMap(([kind, ts]) =>
      ts.map((tpl) => ({ kind: kind as OpKind, re: new RegExp(toPattern(tpl, null), "y") })),
    ),
  },
];

export interface FoundProblem {
  chain: Chain;
  /** Where the problem statement starts and ends in the searched text. */
  start: number;
  end: number;
}

/** The level a chain's shape suggests (the problem text does not state it). */
function levelOf(ops: Op[]): 1 | 2 | 3 | 4 | 5 {
  const n = Math.min(Math.max(ops.length - 1, 1), 5);
  return n as 1 | 2 | 3 | 4 | 5;
}

/**
 * Finds the last world problem in the text (a few-shot prompt may hold several) and reads its
 * chain back, or null when there is none.
 */
export function findWorldProblem(text: string): FoundProblem | null {
  let best: FoundProblem | null = null;
  for (const reader of READERS) {
    reader.opening.lastIndex = 0;
    for (const m of text.matchAll(reader.opening)) {
      const start = m.index ?? 0;
      let at = start + m[0].length;
      const ops: Op[] = [];
      for (;;) {
        while (text[at] === " ") at++;
        let matched = false;
        for (const { kind, re } of reader.ops) {
          re.lastIndex = at;
          const om = re.exec(text);
          if (om) {
            ops.push({ kind, k: kind === "square" ? 2 : Number(om[1]) });
            at = re.lastIndex;
            matched = true;
            break;
          }
        }
        if (!matched) break;
      }
      if (!ops.length || !text.startsWith(reader.question, at)) continue;
      const found = {
        chain: { start: Number(m[1]), ops, level: levelOf(ops), unit: reader.unit, known: true },
        start,
        end: at + reader.question.length,
      };
      if (!best || found.start > best.start) best = found;
    }
  }
  return best;
}

/**
 * A chain for a problem that is not from this world (say, from MATH-500): made up from the
 * text's hash, starting from a number that appears in it, so that every simulated model and
 * PRM agrees on it and solutions to it look like any other.
 */
export function inventChain(problemText: string): Chain {
  const key = problemText.replace(/\s+/g, " ").trim();
  const rng = rngFor("invented", key);
  const level = (1 + (hashString(key) % 5)) as 1 | 2 | 3 | 4 | 5;
  const numbers = [...key.matchAll(/\d+/g)].map((m) => Number(m[0])).filter((n) => n >= 2 && n <= 1000);
  const chain = drawChain(rng, level, null, false);
  if (numbers.length) chain.start = rng.pick(numbers);
  // Re-draw the operations from the new start so the values stay whole.
  const spec = LEVELS[level];
  const ops: Op[] = [];
  let value = chain.start;
  for (let i = 0; i < spec.ops; i++) {
    let op: Op | null = null;
    for (let attempt = 0; attempt < 30 && !op; attempt++)
      op = drawOp(rng, value, spec, ops[i - 1]?.kind ?? null);
    op ??= { kind: "add", k: rng.int(spec.operand[0], spec.operand[1]) };
    ops.push(op);
    value = applyOp(value, op);
  }
  chain.ops = ops;
  return chain;
}

// ---------------------------------------------------------------------------------------------
// Problem sets.

/** A reproducible set of world problems, in the shape of math500.jsonl. */
export function generateProblems(opts: { count: number; seed: number; levels?: number[] }): WorldProblem[] {
  const levels = (opts.levels?.length ? opts.levels : [1, 2, 3, 4, 5]).filter((l) => l >= 1 && l <= 5) as (
    1 | 2 | 3 | 4 | 5
  )[];
  if (!levels.length) throw new Error("generateProblems: levels must be between 1 and 5");
  const rng = rngFor("problems", opts.seed);
  const out: WorldProblem[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < opts.count && i < opts.count * 20; i++) {
    const level = levels[out.length % levels.length] as 1 | 2 | 3 | 4 | 5;
    const unit = rng.next() < 0.7 ? rng.pick(THEMES).unit : null;
    const chain = drawChain(rng, level, unit);
    const problem = renderProblem(chain, rng);
    if (seen.has(problem)) continue;
    seen.add(problem);
    out.push({
      id: `simworld/${opts.seed}/${out.length}`,
      problem,
      answer: String(chainAnswer(chain)),
      level,
      solution: referenceSolution(chain),
      subject: "Simworld Arithmetic",
    });
  }
  return out;
}

/** The right solution in the policies' format (steps separated by blank lines). */
export function referenceSolution(chain: Chain): string {
  const steps: string[] = [];
  let value = chain.start;
  for (const op of chain.ops) {
    const result = applyOp(value, op);
    steps.push(stepText(op, value, op.k, result, chain.unit, 0));
    value = result;
  }
  steps.push(finalText(value, 0));
  return steps.join("\n\n");
}

// ---------------------------------------------------------------------------------------------
// Step text: how the simulated policies write a step. One equation per step, in LaTeX.

export function equation(kind: OpKind, a: number, k: number, r: number): string {
  switch (kind) {
    case "add":
      return `${a} + ${k} = ${r}`;
    case "sub":
      return `${a} - ${k} = ${r}`;
    case "mul":
      return `${a} \\times ${k} = ${r}`;
    case "div":
      return `${a} \\div ${k} = ${r}`;
    case "mod":
      return `${a} \\bmod ${k} = ${r}`;
    case "square":
      return `${a}^2 = ${r}`;
  }
}

const STEP_LEADS: Record<OpKind, string[]> = {
  add: ["Adding ${k}$ gives ${eq}$.", "Next we add ${k}$: ${eq}$.", "After adding ${k}$ we have ${eq}$."],
  sub: [
    "Subtracting ${k}$ gives ${eq}$.",
    "Next we subtract ${k}$: ${eq}$.",
    "Taking away ${k}$ leaves ${eq}$.",
  ],
  mul: [
    "Multiplying by ${k}$ gives ${eq}$.",
    "Next we multiply by ${k}$: ${eq}$.",
    "Scaling by ${k}$ gives ${eq}$.",
  ],
  div: [
    "Dividing by ${k}$ gives ${eq}$.",
    "Next we divide by ${k}$: ${eq}$.",
    "Splitting into ${k}$ equal parts gives ${eq}$.",
  ],
  mod: [
    "The remainder upon division by ${k}$ is ${eq}$.",
    "Next we reduce modulo ${k}$: ${eq}$.",
    "Keeping the remainder modulo ${k}$ gives ${eq}$.",
  ],
  square: [
    "Squaring gives ${eq}$.",
    "Next we square the value: ${eq}$.",
    "Squaring the current value gives ${eq}$.",
  ],
};

const UNIT_TAILS = [" {u}", ""];

/** One step: `variant` picks the wording (0 is what greedy decoding writes). */
export function stepText(
  op: Op,
  a: number,
  k: number,
  r: number,
  unit: string | null,
  variant: number,
): string {
  const leads = STEP_LEADS[op.kind];
  const lead = leads[variant % leads.length] ?? leads[0] ?? "${eq}$.";
  let text = lead.replaceAll("{k}", String(k)).replaceAll("{eq}", equation(op.kind, a, k, r));
  const tail = unit ? (UNIT_TAILS[Math.floor(variant / leads.length) % UNIT_TAILS.length] ?? "") : "";
  if (tail && text.endsWith("$.")) text = text.slice(0, -1) + tail.replace("{u}", unit ?? "") + ".";
  return text;
}

const FINALS = [
  "The final answer is $\\boxed{{v}}$.",
  "Therefore, the answer is $\\boxed{{v}}$.",
  "So the result is $\\boxed{{v}}$.",
];

export function finalText(value: number, variant: number): string {
  return (FINALS[variant % FINALS.length] ?? "").replace("{v}", String(value));
}

/** How the policies' steps begin: finds where a solution starts in text that also holds the problem. */
export const STEP_OPENING = new RegExp(
  `(?:^|(?<=[.?!:]\\s+)|(?<=\\n))(?:${[...Object.values(STEP_LEADS).flat(), ...FINALS]
    .map((lead) => lead.slice(0, lead.search(/[$:]/)).trim())
    .filter((lead, i, all) => lead.length > 3 && all.indexOf(lead) === i)
    .map((lead) => lead.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|")}|Step 1:)`,
);

/** How many wording variants `stepText`/`finalText` know. */
export const STEP_VARIANTS = 6;
