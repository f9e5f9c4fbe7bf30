// Reads a code benchmark: HumanEval (`prompt`, `entry_point`, `test`) or MBPP (`prompt`,
// `code`, `test_list`) JSON lines, as in data/. Each problem is what a user would select and a
// hidden grading program that raises when the code before it is wrong.
import { readFileSync } from "node:fs";

export interface CodeBenchProblem {
  id: string;
  /** The selection: HumanEval's stub, or MBPP's sentence with its first test shown. */
  selection: string;
  /** Runs after the candidate; raises when it is wrong (HumanEval's check, MBPP's three asserts). */
  grade: string;
}

export function readCodeProblems(path: string): CodeBenchProblem[] {
  const text = readFileSync(path, "utf8");
  return text
    .split("\n")
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      const where = `${path} line ${i + 1}`;
      if (typeof r.entry_point === "string" && typeof r.prompt === "string" && typeof r.test === "string")
        return {
          id: String(r.task_id ?? `line-${i + 1}`),
          selection: r.prompt,
          grade: `${r.test}\ncheck(${r.entry_point})\n`,
        };
      if (typeof r.prompt === "string" && Array.isArray(r.test_list) && r.test_list.length) {
        const tests = r.test_list as string[];
        const imports = Array.isArray(r.test_imports) ? (r.test_imports as string[]) : [];
        return {
          id: `MBPP/${String(r.task_id ?? i + 1)}`,
          selection: `${r.prompt}\n${tests[0]}`,
          grade: [...imports, ...tests].join("\n") + "\n",
        };
      }
      throw new Error(`${where} is neither a HumanEval nor an MBPP record.`);
    });
}
