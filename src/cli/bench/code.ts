// `tts-reasoner bench --kind code`: HumanEval or MBPP through real execution. For each problem
// and seed one code run samples the largest budget's candidates and the generated tests; every
// candidate also runs the hidden grading tests (kept from the selection), and each budget is
// scored on the first b candidates (code-score.ts). Finished runs are kept in code-runs.jsonl.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeRunOptions, problemOf } from "../../app/code.js";
import { connect } from "../../app/connect.js";
import { searchOptions } from "../../app/run.js";
import { normalizeCode, runCodeSearch, type CodeExecutor } from "../../core/index.js";
import { runSettings, settingsFromOptions } from "../config.js";
import { readCodeProblems } from "./code-data.js";
import { codeBenchMarkdown, scoreCodeRun, summarizeCodeBench, type CodeRunRecord } from "./code-score.js";

export interface CodeBenchOptions {
  data: string;
  out: string;
  budgets: number[];
  seeds: number[];
  limit?: number;
  concurrency: number;
  title?: string;
  settingFlags: Record<string, unknown>;
}

const GRADE_ID = "__grade";

/** The executor with the hidden grading program appended to every run; its verdict is kept apart. */
function grading(base: CodeExecutor, grade: string, verdicts: Map<string, boolean>): CodeExecutor {
  return {
    isolationNote: base.isolationNote,
    async run(language, code, tests, signal) {
      const r = await base.run(
        language,
        code,
        [...tests, { id: GRADE_ID, source: grade, origin: "file" }],
        signal,
      );
      const g = r.results.find((x) => x.testId === GRADE_ID);
      verdicts.set(normalizeCode(code), r.parseError === undefined && g?.passed === true);
      return { ...r, results: r.results.filter((x) => x.testId !== GRADE_ID) };
    },
  };
}

export async function benchCode(o: CodeBenchOptions): Promise<number> {
  const resolved = settingsFromOptions(o.settingFlags);
  const run = runSettings(resolved);
  const problems = readCodeProblems(o.data).slice(0, o.limit ?? Infinity);
  const endpoints = await connect(run);
  mkdirSync(o.out, { recursive: true });
  const store = join(o.out, "code-runs.jsonl");
  const maxB = Math.max(...o.budgets);
  const key = (r: { problem: string; seed: number }): string => `${r.problem}#${r.seed}`;
  const kept = existsSync(store)
    ? readFileSync(store, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as CodeRunRecord];
          } catch {
            return []; // A torn last line.
          }
        })
        .filter((r) => o.budgets.every((b) => r.byBudget[b]) && r.right.length >= maxB)
    : [];
  const done = new Map(kept.map((r) => [key(r), r]));
  const jobs = problems
    .flatMap((p) => o.seeds.map((seed) => ({ p, seed })))
    .filter((j) => !done.has(key({ problem: j.p.id, seed: j.seed })));
  process.stderr.write(
    `bench --kind code: ${problems.length} problems × ${o.seeds.length} seed(s), n = ${o.budgets.join(",")}; ` +
      `policy ${endpoints.policy.model}; ${done.size} runs kept, ${jobs.length} to go; results in ${o.out}\n`,
  );
  let next = 0;
  let finished = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { p, seed } = jobs[next++]!;
      const detected = problemOf(p.selection, "code", "python");
      if (detected.kind !== "code") throw new Error(`${p.id} does not read as code.`);
      const verdicts = new Map<string, boolean>();
      const options = codeRunOptions(resolved.settings, detected.task, { run: true });
      try {
        const result = await runCodeSearch(
          searchOptions(run, endpoints, {
            problem: { id: p.id, text: p.selection },
            config: { strategy: "majority", n: maxB, seed },
          }),
          { ...options, executor: grading(options.executor!, p.grade, verdicts), concurrency: 1 },
        );
        if (!result.code || result.error) throw new Error(result.error ?? "no code outcome");
        const record = scoreCodeRun(
          p.id,
          seed,
          result.code,
          (c) => verdicts.get(normalizeCode(c)) ?? false,
          o.budgets,
        );
        appendFileSync(store, JSON.stringify(record) + "\n");
        done.set(key(record), record);
      } catch (e) {
        failed++;
        process.stderr.write(`${p.id} seed ${seed}: ${(e as Error).message}\n`);
      }
      if (++finished % 20 === 0 || finished === jobs.length)
        process.stderr.write(`  ${finished}/${jobs.length} runs\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  const ids = new Set(problems.map((p) => p.id));
  const records = [...done.values()].filter((r) => ids.has(r.problem) && o.seeds.includes(r.seed));
  const summary = summarizeCodeBench(records, o.budgets);
  const title = o.title ?? `Code bench: ${endpoints.policy.model} on ${o.data}`;
  const report = codeBenchMarkdown(summary, o.budgets, title);
  writeFileSync(
    join(o.out, "results.json"),
    JSON.stringify(
      { data: o.data, policy: endpoints.policy.model, budgets: o.budgets, seeds: o.seeds, summary },
      null,
      2,
    ) + "\n",
  );
  writeFileSync(join(o.out, "report.md"), report);
  process.stdout.write(report);
  process.stderr.write(`Wrote results.json and report.md in ${o.out}\n`);
  return failed ? 1 : 0;
}
