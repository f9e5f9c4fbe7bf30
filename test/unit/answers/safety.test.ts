import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AnswerGrader, answersEqual, gradeAnswer } from "../../../src/core/answers/index.js";
import * as Q from "../../../src/core/answers/rational.js";

const rep = (s: string, n: number): string => s.repeat(n);

/** Inputs that would hang, exhaust memory or crash a naive grader: each must come back "not equal". */
const hostile: [string, string, string, RegExp | null][] = [
  ["100 KB answer", "1", rep("1", 100_000), /longer than/],
  ["100 KB answers, identical", rep("7", 100_000), rep("7", 100_000), /longer than/],
  ["deep braces", rep("{", 300) + "1" + rep("}", 300), "1", /nested deeper/],
  ["unbalanced parentheses (exponential in the parser)", rep("(", 40) + "1", "1", /nested deeper|unbalanced/],
  ["unbalanced brackets", rep("[", 12) + "1", rep("[", 12) + "2", /unbalanced/],
  ["tower of exponents", "9^{9^{9^{9}}}", "9^{9^{9^{9}}}+1", /too large/],
  ["giant power", "10^{10^{10}}", "10^{10^{10}}+1", /too large/],
  ["giant factorial", "(10^{100})!", "(10^{100})!+1", /too large/],
  ["nested exponentials", "e^{e^{e^{e^{10}}}}", "e^{e^{e^{e^{10}}}}+1", /too large/],
  ["\\underbrace soup", rep("\\underbrace{x}_{y}", 20), "x", /could not compare/],
  [
    "repeated \\int (exponential in the parser)",
    rep("\\int", 30) + "x",
    rep("\\int", 30) + "y",
    /could not compare/,
  ],
  ["a list too long to match", Array.from({ length: 200 }, (_, i) => i).join(","), "1", null],
];

describe("grader safety", () => {
  for (const [what, a, b, reason] of hostile) {
    it(`${what}: not equal, with a reason`, () => {
      const v = answersEqual(a, b);
      assert.equal(v.equal, false);
      if (reason) assert.match(v.reason ?? "", reason);
    });
  }

  it("still decides what it safely can about large values", () => {
    assert.equal(answersEqual("10^{10^{10}}", "10^{10^{10}}").equal, true, "the same string");
    assert.equal(answersEqual("10^{1000}/10^{999}", "10").equal, true, "exact big rationals");
    assert.equal(answersEqual("2^{10000}", "4^{5000}").equal, true);
    assert.equal(answersEqual("30!", "265252859812191058636308480000000").equal, true);
    assert.equal(answersEqual(rep("-", 60) + "x", "x").equal, true, "sign runs collapse");
  });

  it("stops a comparison that runs out of work", () => {
    const grader = new AnswerGrader({ limits: { maxWork: 50 } });
    const sum = Array.from({ length: 60 }, (_, i) => `${i}x`).join("+");
    const v = grader.compare(sum, "1770x");
    assert.equal(v.equal, false);
    assert.match(v.reason ?? "", /work units/);
  });

  it("stops a comparison that runs out of time, by the clock it is given", () => {
    let t = 0;
    const grader = new AnswerGrader({ now: () => (t += 1000), limits: { maxMillis: 500 } });
    const v = grader.compare("x^2+2x+1", "(x+1)^2");
    assert.equal(v.equal, false);
    assert.match(v.reason ?? "", /longer than 500 ms/);
  });

  it("grades a 100 KB response whose answer is at the end", () => {
    const r = gradeAnswer("5", rep("We think hard. ", 7000) + "So the answer is $\\boxed{5}$.");
    assert.equal(r.equal, true);
  });

  it("never throws on random LaTeX-like input", () => {
    const atoms = [
      "x",
      "1",
      "0.5",
      "\\pi",
      "+",
      "-",
      "^",
      "_",
      "\\frac",
      "\\sqrt",
      "!",
      ",",
      "=",
      "\\le",
      "\\cup",
      "\\pm",
    ];
    atoms.push(
      "\\text{a}",
      "\\int",
      "\\left(",
      "\\right)",
      "&",
      "\\\\",
      "|",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "\\{",
      "\\}",
    );
    atoms.push(
      "\\begin{pmatrix}",
      "\\end{pmatrix}",
      "\\infty",
      "\\%",
      " and ",
      "\\in",
      "^{10^{10}}",
      "\\boxed{",
      "$",
    );
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const grader = new AnswerGrader();
    for (let i = 0; i < 300; i++) {
      const make = (): string =>
        Array.from(
          { length: 1 + Math.floor(next() * 30) },
          () => atoms[Math.floor(next() * atoms.length)],
        ).join("");
      const a = make();
      const b = next() < 0.3 ? a : make();
      assert.doesNotThrow(() => grader.compare(a, b), `${a} vs ${b}`);
      assert.doesNotThrow(() => grader.grade(a, `The answer is $${b}$.`), `${a} vs ${b}`);
    }
  });
});

/**
 * Inputs that once took compute-engine's parser or evaluator tens of seconds, hundreds of MB or
 * the whole process (V8 heap exhausted): [what, gold, pred (a whole response), reason, or null
 * where the values were computed and differ].
 */
const explosive: [string, string, string, RegExp | null][] = [
  ["scientific exponent 10^8 (was 40 s, 600 MB)", "1", "\\boxed{1e100000000}", /exponent past 9864/],
  ["\\times 10^{10^8} (was 45 s)", "1", "\\boxed{1\\times10^{100000000}}", /exponent past 9864/],
  ["scientific exponent 4·10^8 (was a heap out of memory)", "1", "\\boxed{1e400000000}", /exponent past/],
  ["a 13-digit exponent, spaced", "1", "$\\boxed{2.5 \\cdot 10^{ + 1234567890123}}$", /exponent past/],
  ["E notation with a sign", "0", "The answer is $1E+999999999$.", /exponent past/],
  ["a tiny exponent is no zero", "0", "\\boxed{1.5e-99999999}", /exponent past/],
  ["an underflowed power is no zero", "0", "\\boxed{10^{-100000000}}", /too large or undefined/],
  ["one over an overflowed power is no zero", "0", "\\boxed{\\frac{1}{2^{40000}}}", /too large or undefined/],
  ["a million-digit decimal", "1", `\\boxed{0.${rep("3", 1_000_000)}}`, /longer than/],
  ["a 400-digit integer with an exponent", "1", `\\boxed{${rep("7", 380)}e99999}`, /exponent past/],
  ["repeated factorials", "1", `\\boxed{10${rep("!", 300)}}`, /could not compare|too large/],
  ["a huge \\binom", "1", "\\boxed{\\binom{10^{9}}{5\\cdot 10^{8}}}", /could not compare/],
  [
    "IsPrime, left to the CAS (was minutes)",
    "x",
    "\\boxed{\\operatorname{IsPrime}(1000000007)}",
    /could not compare/,
  ],
  [
    "a sum of 10^9 terms, left to the CAS",
    "1",
    "\\boxed{\\operatorname{Sum}(k,k,1,10^{9})}",
    /could not compare/,
  ],
  [
    "a product of 60 000-bit fractions (gcds took seconds)",
    "1",
    `\\boxed{${rep("\\frac{2^{32000}+1}{3^{20000}+7}\\cdot\\frac{5^{13000}+1}{7^{11000}+3}", 3)}}`,
    null,
  ],
];

/** Grades the cases in a child process, so a hang or a crash fails this test, not the suite. */
function gradeInChild(cases: [string, string][]): {
  results: { equal: boolean; reason?: string; ms: number }[];
} {
  const grader = fileURLToPath(new URL("../../../src/core/answers/index.ts", import.meta.url));
  const script = [
    `import { AnswerGrader } from ${JSON.stringify(grader)};`,
    `import { readFileSync } from "node:fs";`,
    "const g = new AnswerGrader();",
    'const cases = JSON.parse(readFileSync(0, "utf8"));',
    "for (const [gold, pred] of cases) {",
    "  const t = performance.now();",
    "  const r = g.grade(gold, pred);",
    "  console.log(JSON.stringify({ equal: r.equal, reason: r.reason, ms: performance.now() - t }));",
    "}",
  ].join("\n");
  const dir = mkdtempSync(join(tmpdir(), "grade-safety-"));
  const entry = join(dir, "safety-entry.ts");
  writeFileSync(entry, script);
  try {
    const r = spawnSync(process.execPath, ["--max-old-space-size=1024", "--import", "tsx", entry], {
      input: JSON.stringify(cases),
      encoding: "utf8",
      timeout: 90_000,
    });
    const lines = r.stdout.trim().split("\n").filter(Boolean);
    assert.equal(
      r.status,
      0,
      `the grader died (${r.signal ?? r.status}) after ${lines.length} of ${cases.length} cases: ${r.stderr.slice(-500)}`,
    );
    return { results: lines.map((l) => JSON.parse(l)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("grader safety: inputs that blew up the CAS", () => {
  it("each comes back not equal, with a reason, in well under 5 s", { timeout: 120_000 }, () => {
    const { results } = gradeInChild(explosive.map(([, gold, pred]) => [gold, pred]));
    assert.equal(results.length, explosive.length);
    explosive.forEach(([what, , , reason], i) => {
      const r = results[i]!;
      assert.equal(r.equal, false, what);
      if (reason) assert.match(r.reason ?? "", reason, what);
      assert.ok(r.ms < 5_000, `${what}: ${Math.round(r.ms)} ms`);
    });
  });

  it("still compares large scientific numbers within the exact cap, and each huge one with itself", () => {
    assert.equal(answersEqual("1e9000", "10^{9000}").equal, true);
    assert.equal(answersEqual("1e9864", "10^{9864}").equal, true, "the last exact power of ten");
    assert.equal(answersEqual("2.5\\times 10^{300}", "25\\cdot 10^{299}").equal, true);
    assert.equal(answersEqual("1e-9000", "10^{-9000}").equal, true);
    assert.equal(answersEqual("1e9000", "10^{9000}+1").equal, false);
    assert.equal(answersEqual("1e100000000", "1e100000000").equal, true, "the same string");
    assert.equal(answersEqual("1e100000000", "10^{100000000}").equal, false);
    assert.equal(answersEqual("\\sqrt{10^{400}}", "10^{200}").equal, true, "exact roots past a double");
    assert.equal(answersEqual("(-1)^{10^{20}+1}", "-1").equal, true, "parity past 2^53");
  });

  it("computes gcds of big numbers exactly and fast (Lehmer's algorithm)", () => {
    const euclid = (a: bigint, b: bigint): bigint => {
      while (b !== 0n) [a, b] = [b, a % b];
      return a;
    };
    let seed = 12345n;
    const random = (bits: number): bigint => {
      let x = 1n;
      for (let i = 0; i < bits; i += 31) {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
        x = (x << 31n) | (seed >> 33n);
      }
      return x;
    };
    for (let i = 0; i < 300; i++) {
      const bits = [40, 64, 65, 130, 700, 3000][i % 6]!;
      const g = random(1 + (i % 90));
      const [a, b] = [random(bits) * g, random(bits + (i % 5) * 13) * g];
      assert.equal(Q.gcd(a, b), euclid(a, b), `${a} ${b}`);
      assert.equal(Q.gcd(-a, b), euclid(a, b));
    }
    let [f0, f1] = [1n, 1n];
    for (let i = 0; i < 5000; i++) [f0, f1] = [f1, f0 + f1];
    assert.equal(Q.gcd(f1, f0), 1n, "consecutive Fibonacci numbers, Euclid's worst case");
    const t = performance.now();
    Q.rational(2n ** 60000n + 1n, 3n ** 37000n + 7n);
    assert.ok(performance.now() - t < 2_000);
  });
});
