// Times the math grader: grading the 500 MATH-500 reference answers against themselves, and
// grouping 256 answers for a vote. Prints figures; asserts nothing. `npm run bench:grade`.
import { AnswerGrader, createMathAnswerKey } from "../src/core/answers/index.js";
import { MATH500_ANSWERS } from "../test/unit/answers/math500-answers.js";

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of `RUNS` runs of `f`, each given fresh state by `setup`. */
function time<T>(setup: () => T, f: (state: T) => void): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const state = setup();
    const t = performance.now();
    f(state);
    times.push(performance.now() - t);
  }
  return median(times);
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

// The first comparison builds the computer-algebra engine; report it apart.
const coldStart = performance.now();
new AnswerGrader().grade("\\frac{1}{2}", "so the answer is $\\boxed{0.5}$");
console.log(`first grade (builds the CAS engine):      ${fmt(performance.now() - coldStart)}`);

const self = time(
  () => new AnswerGrader(),
  (g) => MATH500_ANSWERS.forEach((a) => g.grade(a, a)),
);
console.log(`500 gold answers vs themselves:           ${fmt(self)}  (${(self / 500).toFixed(2)} ms each)`);

// The same answers restated inside a response, written differently: every one parsed and compared.
const restated = MATH500_ANSWERS.map(
  (a) => `Work.\n\nSo the answer is $\\boxed{${a.replace(/\\frac/g, "\\dfrac").replace(/ /g, "")}}$.`,
);
const full = time(
  () => new AnswerGrader(),
  (g) => MATH500_ANSWERS.forEach((a, i) => g.grade(a, restated[i]!)),
);
console.log(`500 gold answers vs restated responses:   ${fmt(full)}  (${(full / 500).toFixed(2)} ms each)`);

// 256 votes as a sampling run produces them: a few values in several forms, plus stray answers.
const FORMS = [
  ["\\frac{1}{2}", "0.5", "\\dfrac12", "1/2", "\\frac{2}{4}"],
  ["2\\sqrt{5}", "\\sqrt{20}", "4.47213595"],
  ["(1,2)", "\\left( 1, 2 \\right)"],
  ["x^2+2x+1", "(x+1)^2"],
  ["10080", "10,\\!080"],
];
const votes = Array.from({ length: 256 }, (_, i) => {
  if (i % 3 === 2) return MATH500_ANSWERS[(i * 7) % 500]!;
  const forms = FORMS[i % FORMS.length]!;
  return forms[Math.floor(i / FORMS.length) % forms.length]!;
});
const once = time(
  () => createMathAnswerKey(),
  (key) => key.group(votes),
);
const groups = new Set(createMathAnswerKey().group(votes)).size;
console.log(`group 256 answers (${groups} groups), cold cache: ${fmt(once)}`);
// runSearch regroups all answers each time a path finishes: 256 calls over 1..256 answers.
const incremental = time(
  () => createMathAnswerKey(),
  (key) => {
    for (let n = 1; n <= votes.length; n++) key.group(votes.slice(0, n));
  },
);
console.log(`regroup after each of 256 answers:        ${fmt(incremental)} in all`);
console.log(`(median of ${RUNS} runs; Node ${process.version}; ${process.platform}/${process.arch})`);
