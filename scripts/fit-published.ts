// Prints the published world's CoT / majority@64 / pass@64 per policy, next to the published
// figures they are fitted to (test/simworld/published.ts), to re-fit the shapes by hand.
import { publishedStats } from "../test/simworld/published-stats.js";

const TARGETS: Record<string, [number, number]> = {
  "sim-policy-0.5b": [31.6, 47.2],
  "sim-policy-1.5b": [54.4, 68.4],
  "sim-policy-7b": [76.8, 83.6],
  "sim-policy-72b": [83.8, 87.2],
};
const count = Number(process.argv[2] ?? 500);
const started = Date.now();
const stats = publishedStats({
  policies: Object.keys(TARGETS),
  count,
  problemSeed: Number(process.argv[3] ?? 2026),
  samples: 64,
  temperature: 0.8,
  sampleSeed: 1,
});
const pct = (x: number): string => (100 * x).toFixed(1);
for (const s of stats) {
  const [cot, maj] = TARGETS[s.policy]!;
  console.log(
    `${s.policy.padEnd(16)} CoT ${pct(s.cot)} (paper ${cot})  maj@64 ${pct(s.majority)} (paper ${maj})  pass@64 ${pct(s.passAtN)}  CoT by level ${s.cotByLevel.map(pct).join(" / ")}`,
  );
}
console.log(`${count} problems, ${((Date.now() - started) / 1000).toFixed(1)} s`);
