// Times the math grader: grading the 500 MATH-500 reference answers against themselves, and
// grouping 256 answers for a vote. Prints figures; asserts nothing. `npm run bench:grade`.
import { AnswerGrader, createMathAnswerKey } from "../src/core/answers/index.js";
import { MATH500_ANSWERS } from "../test/unit/answers/math500-answers.js";

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median wall time of `RUNS` runs of `f`, each given fresh state by `setup`, and the least CPU
 * time of this process among them: on a machine shared with other jobs the wall time follows
 * their load, the CPU time much less.
 */
function time<T>(setup: () => T, f: (state: T) => void): { wall: number; cpu: number } {
  const times: number[] = [];
  let cpu = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const state = setup();
    const t = performance.now();
    const c = process.cpuUsage();
    f(state);
    const used = process.cpuUsage(c);
    times.push(performance.now() - t);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall: median(times), cpu };
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
const both = (t: { wall: number; cpu: number }, each?: number, note = ""): string =>
  `${fmt(t.wall)}${each ? `  (${(t.wall / each).toFixed(2)} ms each)` : ""}${note}  [CPU ${fmt(t.cpu)}]`;

// The first comparison builds the computer-algebra engine; report it apart.
const coldStart = performance.now();
new AnswerGrader().grade("\\frac{1}{2}", "so the answer is $\\boxed{0.5}$");
console.log(`first grade (builds the CAS engine):      ${fmt(performance.now() - coldStart)}`);

const self = time(
  () => new AnswerGrader(),
  (g) => MATH500_ANSWERS.forEach((a) => g.grade(a, a)),
);
console.log(`500 gold answers vs themselves:           ${both(self, 500)}`);

// The same answers restated inside a response, written differently: every one parsed and compared.
const restated = MATH500_ANSWERS.map(
  (a) => `Work.\n\nSo the answer is $\\boxed{${a.replace(/\\frac/g, "\\dfrac").replace(/ /g, "")}}$.`,
);
const full = time(
  () => new AnswerGrader(),
  (g) => MATH500_ANSWERS.forEach((a, i) => g.grade(a, restated[i]!)),
);
console.log(`500 gold answers vs restated responses:   ${both(full, 500)}`);

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
console.log(`group 256 answers (${groups} groups), cold cache: ${both(once)}`);
// runSearch regroups all answers each time a path finishes: 256 calls over 1..256 answers.
const incremental = time(
  () => createMathAnswerKey(),
  (key) => {
    for (let n = 1; n <= votes.length; n++) key.group(votes.slice(0, n));
  },
);
console.log(`regroup after each of 256 answers:        ${both(incremental, undefined, " in all")}`);
console.log(
  `(wall: median of ${RUNS} runs; CPU: least of them; Node ${process.version}; ${process.platform}/${process.arch})`,
);
