// Runs the test suites with node's own test runner (TypeScript through tsx).
// `npm test` runs: format, lint, typecheck, build, then unit, integration, real (a real
// llama-server: test/real/README.md) and e2e tests.
// `node scripts/test.mjs unit integration` runs only the named suites, without the checks.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";

const all = ["unit", "integration", "real", "e2e"];
const asked = process.argv.slice(2);
const suites = asked.length ? asked : all;

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\nFAILED: ${cmd} ${args.join(" ")} (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out.sort();
}

if (!asked.length) {
  run("npx", ["prettier", "--check", "."]);
  run("npx", ["eslint", "."]);
  run("npx", ["tsc", "--noEmit"]);
  run("node", ["scripts/build.mjs"]);
}

for (const suite of suites) {
  const files = testFiles(join("test", suite));
  if (!files.length) {
    console.log(`\n(no ${suite} tests yet)`);
    continue;
  }
  const concurrency = suite === "e2e" ? "1" : "2";
  run("node", ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files]);
}
