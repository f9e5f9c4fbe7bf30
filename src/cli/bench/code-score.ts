// Scores one code run for the bench at every budget: the first b candidates, chosen from as a
// run of budget b would (majority by text, execution with the given tests, execution with the
// given and generated tests), each graded by the hidden tests; pass@1 is the share of right samples.
import { normalizeCode, selectCode, type CodeOutcome, type Executed } from "../../core/index.js";

export const CODE_METHODS = ["majority-text", "exec-given", "exec-codet"] as const;
export type CodeMethod = (typeof CODE_METHODS)[number];

export interface CodeRunRecord {
  problem: string;
  seed: number;
  /** Per candidate in sampling order: the hidden tests pass. */
  right: boolean[];
  /** Per budget: whether each method's pick is right, and whether any of the b is (oracle). */
  byBudget: Record<string, Record<CodeMethod | "oracle", boolean>>;
}

function executedOf(outcome: CodeOutcome, onlyGiven: boolean): Executed[] {
  const given = new Set(outcome.tests.filter((t) => t.origin !== "generated").map((t) => t.id));
  return outcome.candidates.map((c) => ({
    nodeId: c.nodeId,
    code: c.code,
    run: {
      ...(c.parseError !== undefined ? { parseError: c.parseError } : {}),
      results: onlyGiven ? c.results.filter((r) => given.has(r.testId)) : c.results,
    },
  }));
}

function majorityText(prefix: Executed[]): Executed | null {
  const counts = new Map<string, { n: number; first: Executed }>();
  for (const e of prefix) {
    const k = normalizeCode(e.code);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { n: 1, first: e });
  }
  let best: { n: number; first: Executed } | null = null;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.first ?? null;
}

export function scoreCodeRun(
  problem: string,
  seed: number,
  outcome: CodeOutcome,
  rightByCode: (code: string) => boolean,
  budgets: readonly number[],
): CodeRunRecord {
  const all = executedOf(outcome, false);
  const givenOnly = executedOf(outcome, true);
  const givenTests = outcome.tests.filter((t) => t.origin !== "generated");
  const right = all.map((e) => rightByCode(e.code));
  const isRight = (e: { nodeId: string } | null): boolean =>
    e !== null && right[all.findIndex((x) => x.nodeId === e.nodeId)] === true;
  const byBudget: CodeRunRecord["byBudget"] = {};
  for (const b of budgets) {
    byBudget[b] = {
      "majority-text": isRight(majorityText(all.slice(0, b))),
      "exec-given": isRight(selectCode(givenOnly.slice(0, b), givenTests).chosen),
      "exec-codet": isRight(selectCode(all.slice(0, b), outcome.tests).chosen),
      oracle: right.slice(0, b).some(Boolean),
    };
  }
  return { problem, seed, right, byBudget };
}

export interface CodeBenchSummary {
  problems: number;
  seeds: number;
  /** pass@1: mean share of right samples, with its 95% interval (over problems). */
  passAt1: { mean: number; ci: number };
  /** Per budget and method: accuracy and its 95% interval; paired differences against pass@1 and majority by text. */
  byBudget: Record<
    string,
    Record<
      string,
      {
        mean: number;
        ci: number;
        vsPassAt1?: { mean: number; ci: number };
        vsMajority?: { mean: number; ci: number };
      }
    >
  >;
}

/** Mean and the half-width of its 95% normal interval, over per-problem values. */
function meanCi(xs: number[]): { mean: number; ci: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, n);
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, ci: n > 1 ? (1.96 * sd) / Math.sqrt(n) : 0 };
}

/** Averages the runs per problem (over seeds), then over problems: intervals count problems, not runs. */
export function summarizeCodeBench(
  records: readonly CodeRunRecord[],
  budgets: readonly number[],
): CodeBenchSummary {
  const byProblem = new Map<string, CodeRunRecord[]>();
  for (const r of records) byProblem.set(r.problem, [...(byProblem.get(r.problem) ?? []), r]);
  const groups = [...byProblem.values()];
  const avg = (rs: CodeRunRecord[], f: (r: CodeRunRecord) => number): number =>
    rs.reduce((s, r) => s + f(r), 0) / rs.length;
  const pass1 = groups.map((rs) =>
    avg(rs, (r) => r.right.filter(Boolean).length / Math.max(1, r.right.length)),
  );
  const byBudget: CodeBenchSummary["byBudget"] = {};
  for (const b of budgets) {
    const row: CodeBenchSummary["byBudget"][string] = {};
    const majority = groups.map((rs) => avg(rs, (r) => Number(r.byBudget[b]!["majority-text"])));
    for (const m of [...CODE_METHODS, "oracle"] as const) {
      const xs = groups.map((rs) => avg(rs, (r) => Number(r.byBudget[b]![m])));
      row[m] = {
        ...meanCi(xs),
        ...(m.startsWith("exec")
          ? {
              vsPassAt1: meanCi(xs.map((x, i) => x - pass1[i]!)),
              vsMajority: meanCi(xs.map((x, i) => x - majority[i]!)),
            }
          : {}),
      };
    }
    byBudget[b] = row;
  }
  const seeds = new Set(records.map((r) => r.seed)).size;
  return { problems: groups.length, seeds, passAt1: meanCi(pass1), byBudget };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const pm = (v: { mean: number; ci: number }): string => `${pct(v.mean)} ± ${(v.ci * 100).toFixed(1)}`;
const diff = (v: { mean: number; ci: number }): string =>
  `${v.mean >= 0 ? "+" : "−"}${Math.abs(v.mean * 100).toFixed(1)} ± ${(v.ci * 100).toFixed(1)}`;

const LABELS: Record<CodeMethod | "oracle", string> = {
  "majority-text": "majority by text",
  "exec-given": "execution: given tests",
  "exec-codet": "execution: given + generated tests (CodeT)",
  oracle: "oracle (pass@n: any right)",
};

export function codeBenchMarkdown(s: CodeBenchSummary, budgets: readonly number[], title: string): string {
  const lines = [
    `## ${title}`,
    "",
    `${s.problems} problems × ${s.seeds} seed(s); 95% intervals over problems (normal approximation). ` +
      `Single-sample pass@1: ${pm(s.passAt1)}.`,
    "",
    `| method | ${budgets.map((b) => `n = ${b}`).join(" | ")} |`,
    `| --- | ${budgets.map(() => "---").join(" | ")} |`,
    `| single sample (pass@1) | ${budgets.map(() => pm(s.passAt1)).join(" | ")} |`,
  ];
  for (const m of [...CODE_METHODS, "oracle"] as const)
    lines.push(`| ${LABELS[m]} | ${budgets.map((b) => pm(s.byBudget[b]![m]!)).join(" | ")} |`);
  lines.push("", "Paired differences (points, 95%):", "");
  lines.push(`| method | ${budgets.map((b) => `n = ${b}: vs pass@1 / vs majority`).join(" | ")} |`);
  lines.push(`| --- | ${budgets.map(() => "---").join(" | ")} |`);
  for (const m of ["exec-given", "exec-codet"] as const)
    lines.push(
      `| ${LABELS[m]} | ${budgets
        .map((b) => {
          const v = s.byBudget[b]![m]!;
          return `${diff(v.vsPassAt1!)} / ${diff(v.vsMajority!)}`;
        })
        .join(" | ")} |`,
    );
  return lines.join("\n") + "\n";
}
