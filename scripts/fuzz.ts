// The long fuzz run of the grader and the step splitter: hostile inputs of several lengths and
// seeds, each timed against a plain input of the same length. Prints the slowest inputs; exits 1
// when one throws or takes more than the limit (`npm run fuzz [-- --length N --seeds K]`).
import { parseArgs } from "node:util";
import { hostileInputs } from "../test/fuzz/hostile.js";
import { limitsFor, measure, plainTimes, type Measured } from "../test/fuzz/measure.js";

const { values } = parseArgs({
  options: {
    length: { type: "string", default: "100000" },
    seeds: { type: "string", default: "5" },
    top: { type: "string", default: "15" },
  },
});
const lengths = [Math.floor(Number(values.length) / 5), Number(values.length)];
const seeds = Number(values.seeds);

let failures = 0;
for (const length of lengths) {
  const plain = plainTimes(length);
  const limit = limitsFor(plain);
  const results: (Measured & { ratio: number })[] = [];
  let count = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    // The grid of fillers is the same for every seed; only the first seed runs it.
    const inputs = hostileInputs(length, seed, 200).filter((i) => seed === 1 || i.name.startsWith("random"));
    for (const input of inputs) {
      const m = measure(input, limit);
      count++;
      results.push({ ...m, ratio: m.gradeMs / plain.gradeMs });
      if (m.error || m.gradeMs > limit.gradeMs || m.splitMs > limit.splitMs) failures++;
    }
  }
  results.sort((a, b) => b.gradeMs - a.gradeMs);
  console.log(
    `\n${count} inputs of ${length} characters; plain: grade ${plain.gradeMs.toFixed(2)} ms, ` +
      `split ${plain.splitMs.toFixed(2)} ms; limit: grade ${limit.gradeMs.toFixed(0)} ms, split ${limit.splitMs.toFixed(1)} ms`,
  );
  console.log("slowest to grade:");
  for (const r of results.slice(0, Number(values.top)))
    console.log(`  ${r.gradeMs.toFixed(1).padStart(8)} ms  ${r.ratio.toFixed(1).padStart(6)}×  ${r.name}`);
  const bySplit = [...results].sort((a, b) => b.splitMs - a.splitMs).slice(0, 5);
  console.log("slowest to split into steps:");
  for (const r of bySplit) console.log(`  ${r.splitMs.toFixed(2).padStart(8)} ms  ${r.name}`);
  for (const r of results.filter((x) => x.error)) console.log(`  THREW: ${r.name}: ${r.error}`);
}
console.log(
  failures ? `\n${failures} inputs over the limit or threw` : "\nno input over the limit; nothing threw",
);
process.exit(failures ? 1 : 0);
