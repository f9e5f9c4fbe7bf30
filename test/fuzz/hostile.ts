// Seeded hostile inputs for the grader and the step splitter: what a small model stuck in a
// loop, a broken server or an attacker sends. Each input is about `length` characters.

/** A small seeded generator (mulberry32): the same seed gives the same inputs everywhere. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HostileInput {
  /** What it is, short enough to print. */
  name: string;
  text: string;
}

const PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "…", "·", "—", "\u00a0", "。", "，"];

/** LaTeX spacing commands and other fillers that normalization removes or rewrites. */
const SPACING = [
  "\\,",
  "\\;",
  "\\:",
  "\\!",
  "\\ ",
  "\\>",
  "~",
  "\\quad",
  "\\qquad",
  "\\quad ",
  "\\hspace{1em}",
  "\\enspace",
  "\\thinspace",
  "\\left.",
  "\\right.",
  "\\displaystyle",
  "\\text{ }",
  "\\text{and}",
  " and ",
  " or ",
  "\\\\",
  "&",
  "\\approx",
  "\\pm",
  "\\cup",
  "\\le",
  "=",
  "^\\circ",
  "\\%",
  "\\$",
  "{,}",
  ",\\!",
  "\\frac",
  "\\sqrt",
  "\\boxed",
  "\\boxed{",
  "\\fbox{",
  "# Answer\n",
  "The answer is ",
  "final answer is $",
  "answer: ",
  "**",
  "\n",
  "\n\n",
  " \n",
  "\r\n",
  "\t",
  // What the grader's own rules look for: thinking tags, verbs, boxes per answer, labels.
  "<think>",
  "</think>",
  " is ",
  "The answer is the value $k$ is ",
  "$\\boxed{1}$ and ",
  ", since ",
  " (",
  ":",
  "|",
  "_1",
  "<=",
  "(a,b)=",
  "x<1 or ",
  "2 1/3",
  "12days",
  "QBXT7Q",
];

/** What a model wraps around an answer; `X` is replaced by the repeated filler. */
const FRAMES = [
  "The answer is X",
  "The answer is Xa",
  "The answer is 5X",
  "Final answer: $X$",
  "So $\\boxed{X}$",
  "So $\\boxed{5X}$",
  "# Answer\n\nX",
  "X",
  "Xa",
  "5X",
  "$X",
  "X$",
  "\\(X",
  "The final answer is $X$. I hope it is correct.",
  "**X",
];

function fill(unit: string, length: number): string {
  return unit.repeat(Math.max(1, Math.ceil(length / Math.max(1, unit.length))));
}

/** Random bytes decoded as UTF-8 (invalid sequences become U+FFFD), and lone surrogates. */
function brokenUnicode(random: () => number, length: number): string[] {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  const lone = Array.from({ length }, (_, i) => String.fromCharCode(i % 2 ? 0xdc00 : 0xd800 + (i % 7))).join(
    "",
  );
  return [bytes.toString("utf8"), "\ud800".repeat(length), lone, fill("\ud83d", length) + "\\boxed{\udc00}"];
}

/**
 * The hostile inputs: every punctuation mark and spacing command repeated inside every frame,
 * nesting, huge numbers, broken Unicode, and `random` mixtures of all of them.
 */
export function hostileInputs(length: number, seed: number, random = 40): HostileInput[] {
  const rnd = seeded(seed);
  const out: HostileInput[] = [];
  const add = (name: string, text: string): void => {
    out.push({ name, text });
  };
  for (const unit of [...PUNCTUATION, ...SPACING])
    for (const frame of FRAMES)
      add(
        `${JSON.stringify(frame)} with ${JSON.stringify(unit)} × n`,
        frame.replace("X", () => fill(unit, length)),
      );
  // Answers just under the grader's 1000-character cap: these reach normalization and the parser.
  for (const unit of [...PUNCTUATION, ...SPACING])
    add(`a box of 990 characters of ${JSON.stringify(unit)}`, `\\boxed{1${fill(unit, 980).slice(0, 980)}2}`);
  const half = Math.floor(length / 2);
  for (const [open, close] of [
    ["{", "}"],
    ["(", ")"],
    ["[", "]"],
    ["\\{", "\\}"],
    ["\\left(", "\\right)"],
    ["\\boxed{", "}"],
    ["\\frac{1}{", "}"],
    ["\\sqrt{", "}"],
    ["$", "$"],
    ["\\text{", "}"],
    ["\\begin{pmatrix}", "\\end{pmatrix}"],
  ] as const) {
    const depth = Math.floor(half / (open.length + close.length));
    add(`nested ${open}…${close}`, open.repeat(depth) + "1" + close.repeat(depth));
    add(`unclosed ${open}`, "The answer is " + fill(open, length));
    add(`unopened ${close}`, "The answer is $\\boxed{" + fill(close, length));
  }
  for (const digits of ["9", "1", "0", "1,000", "0.", "1/", "-", "e9"]) {
    add(`huge number of ${JSON.stringify(digits)}`, "The answer is " + fill(digits, length));
    add(`boxed huge number of ${JSON.stringify(digits)}`, "\\boxed{" + fill(digits, length) + "}");
  }
  add("scientific notation", `\\boxed{1e${fill("9", 50)}}`);
  add("tower", `\\boxed{${fill("9^{", 60)}9${fill("}", 60)}}`);
  for (const text of brokenUnicode(rnd, length)) add("broken unicode", text);
  const atoms = [
    ...PUNCTUATION,
    ...SPACING,
    "x",
    "1",
    "12",
    "\\pi",
    "(",
    ")",
    "{",
    "}",
    "\\frac{",
    "\\boxed{",
    "$",
  ];
  for (let r = 0; r < random; r++) {
    const parts: string[] = [];
    let size = 0;
    // A few atoms, each repeated a random number of times: runs are what hurt backtracking.
    while (size < length) {
      const atom = atoms[Math.floor(rnd() * atoms.length)]!;
      const run = atom.repeat(1 + Math.floor(rnd() ** 3 * (length / 4 / atom.length)));
      parts.push(run);
      size += run.length;
    }
    add(`random mixture #${r}`, parts.join(""));
  }
  return out;
}

/**
 * An ordinary response of `length` characters: short steps with some math and no answer marker,
 * so reading it takes the whole scan (the last-number fallback) and splitting it makes many steps.
 * Its answer needs the parser, as a hostile answer does: a plain number is read without it
 * (issue 16), which would make this reference, and so the limits, a fraction of a parse.
 */
export function plainResponse(length: number): string {
  const step = "We add $2 + 3 = 5$, then halve it to get 2.5.\n\n";
  const end = "So it is $\\sqrt{25}/2$";
  return fill(step, length).slice(0, length - end.length) + end;
}
