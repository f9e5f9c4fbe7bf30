// Reads a benchmark problem set: JSON lines in the MATH-500 shape (`problem`, `answer`, optional
// `level` and `id`), as in data/math500.jsonl or a simworld export.
import { readFileSync } from "node:fs";

export interface BenchProblem {
  id: string;
  problem: string;
  /** The gold answer. */
  answer: string;
  /** Difficulty 1–5 when the set gives one. */
  level: number | null;
}

/** `3`, `"3"` and MATH's `"Level 3"` all read as 3; anything else as unknown. */
function readLevel(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") {
    const m = /^\s*(?:level\s*)?(\d+)\s*$/i.exec(v);
    if (m) return Number(m[1]);
  }
  return null;
}

/** Parses the set, naming the file and line of the first bad record; ids must be unique. */
export function parseProblems(text: string, source: string): BenchProblem[] {
  const problems: BenchProblem[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${source} line ${i + 1}`;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${where} is not JSON.`);
    }
    if (typeof v !== "object" || v === null || typeof v.problem !== "string" || !v.problem.trim())
      throw new Error(`${where} has no "problem" text.`);
    const answer = typeof v.answer === "number" ? String(v.answer) : v.answer;
    if (typeof answer !== "string") throw new Error(`${where} has no "answer" (the gold answer, a string).`);
    const rawId = v.id ?? v.unique_id;
    const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : `line-${i + 1}`;
    if (seen.has(id))
      throw new Error(`${where} repeats the id "${id}"; ids must be unique to resume a bench.`);
    seen.add(id);
    problems.push({ id, problem: v.problem, answer, level: readLevel(v.level) });
  });
  if (!problems.length) throw new Error(`${source} holds no problems.`);
  return problems;
}

export function readProblems(path: string): BenchProblem[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the problem set ${path}: ${(e as Error).message}`);
  }
  return parseProblems(text, path);
}
