// The bench report: accuracy per strategy and budget (overall and per difficulty level) with
// mean cost per problem, computed from the stored runs; as data and as a markdown document.
import type { StrategyId } from "../../core/index.js";
import type { RunRecord } from "./store.js";

export interface ReportCell {
  strategy: StrategyId;
  n: number;
  runs: number;
  correct: number;
  /** Fraction of runs whose answer was right; failed runs count as wrong. */
  accuracy: number;
  /** Wilson 95% interval of the accuracy over the runs. */
  ci: [number, number];
  /** Runs that ended in an error (they count as wrong). */
  errors: number;
  /** Paths lost to calls that failed after their retries, over all runs of the cell. */
  failures: number;
  /** Means per run, i.e. per problem solved once. */
  meanTokens: number;
  meanPolicyTokens: number;
  meanVerifierTokens: number;
  meanFlops: number;
  meanWallMs: number;
  meanRequests: number;
}

export interface LevelCell {
  strategy: StrategyId;
  n: number;
  level: number | null;
  runs: number;
  correct: number;
  accuracy: number;
}

export interface Winner {
  n: number;
  level: number | null | "all";
  /** All strategies tied at the best accuracy, in report order. */
  strategies: StrategyId[];
  accuracy: number;
}

export interface BenchReport {
  title: string;
  strategies: StrategyId[];
  budgets: number[];
  /** Levels present, ascending; null (unknown level) last. */
  levels: (number | null)[];
  problems: number;
  seeds: number[];
  cells: ReportCell[];
  byLevel: LevelCell[];
  winners: Winner[];
  /** Roles whose tokens were counted but whose parameter count was unknown: no FLOPs for them. */
  flopsUnknown: ("policy" | "verifier")[];
}

export function wilson(correct: number, runs: number, z = 1.96): [number, number] {
  if (!runs) return [0, 0];
  const p = correct / runs;
  const z2 = z * z;
  const centre = (p + z2 / (2 * runs)) / (1 + z2 / runs);
  const half = (z * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs))) / (1 + z2 / runs);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function tokensOf(r: RunRecord): { policy: number; verifier: number } {
  const p = r.cost.policy;
  const v = r.cost.verifier;
  return { policy: p.promptTokens + p.completionTokens, verifier: v.promptTokens + v.completionTokens };
}

function pickWinners(cells: { strategy: StrategyId; accuracy: number; runs: number }[]): {
  strategies: StrategyId[];
  accuracy: number;
} {
  const ran = cells.filter((c) => c.runs > 0);
  const best = Math.max(...ran.map((c) => c.accuracy));
  return { strategies: ran.filter((c) => c.accuracy === best).map((c) => c.strategy), accuracy: best };
}

/**
 * Builds the report from run records (one per problem × strategy × budget × seed). The order of
 * strategies is the one given, else first seen; budgets ascend.
 */
export function buildReport(
  records: readonly RunRecord[],
  options: { title: string; strategies?: readonly StrategyId[]; budgets?: readonly number[] },
): BenchReport {
  const strategies = [...(options.strategies ?? new Set(records.map((r) => r.strategy)))];
  const budgets = [...new Set(options.budgets ?? records.map((r) => r.n))].sort((a, b) => a - b);
  const levelSet = new Set(records.map((r) => r.level));
  const levels = [...levelSet].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const cells: ReportCell[] = [];
  const byLevel: LevelCell[] = [];
  for (const strategy of strategies)
    for (const n of budgets) {
      const rs = records.filter((r) => r.strategy === strategy && r.n === n);
      const correct = rs.filter((r) => r.correct).length;
      const tokens = rs.map(tokensOf);
      cells.push({
        strategy,
        n,
        runs: rs.length,
        correct,
        accuracy: rs.length ? correct / rs.length : 0,
        ci: wilson(correct, rs.length),
        errors: rs.filter((r) => r.error).length,
        failures: rs.reduce((a, r) => a + (r.failures ?? []).reduce((b, f) => b + f.paths, 0), 0),
        meanTokens: mean(tokens.map((t) => t.policy + t.verifier)),
        meanPolicyTokens: mean(tokens.map((t) => t.policy)),
        meanVerifierTokens: mean(tokens.map((t) => t.verifier)),
        meanFlops: mean(rs.map((r) => r.cost.flops)),
        meanWallMs: mean(rs.map((r) => r.cost.wallMs)),
        meanRequests: mean(rs.map((r) => r.cost.policy.requests + r.cost.verifier.requests)),
      });
      for (const level of levels) {
        const lr = rs.filter((r) => r.level === level);
        const lc = lr.filter((r) => r.correct).length;
        byLevel.push({
          strategy,
          n,
          level,
          runs: lr.length,
          correct: lc,
          accuracy: lr.length ? lc / lr.length : 0,
        });
      }
    }
  const winners: Winner[] = [];
  for (const n of budgets) {
    winners.push({ n, level: "all", ...pickWinners(cells.filter((c) => c.n === n)) });
    for (const level of levels)
      winners.push({ n, level, ...pickWinners(byLevel.filter((c) => c.n === n && c.level === level)) });
  }
  return {
    title: options.title,
    strategies,
    budgets,
    levels,
    problems: new Set(records.map((r) => r.problemId)).size,
    seeds: [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b),
    cells,
    byLevel,
    winners: winners.filter((w) => w.strategies.length > 0),
    flopsUnknown: (["policy", "verifier"] as const).filter((role) => {
      const spent = records.filter((r) => r.cost[role].promptTokens + r.cost[role].completionTokens > 0);
      return spent.length > 0 && spent.every((r) => r.cost[role].flops === 0);
    }),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}`;

export function formatQuantity(x: number): string {
  if (!x) return "0";
  if (x >= 1e6) return x.toExponential(2).replace("e+", "e");
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  return x >= 100 || Number.isInteger(x) ? x.toFixed(0) : x.toFixed(1);
}

function table(head: string[], rows: string[][], left = 2): string[] {
  const align = head.map((_, i) => (i < left ? "---" : "--:"));
  return [head, align, ...rows].map((r) => `| ${r.join(" | ")} |`);
}

function levelName(level: number | null | "all"): string {
  return level === "all" ? "all" : level === null ? "unknown" : `level ${level}`;
}

/** The report as markdown: accuracy and cost table, per-level table, winners per budget. */
export function reportMarkdown(
  report: BenchReport,
  options: { plot?: string; heading?: string } = {},
): string {
  const h = options.heading ?? "#";
  const lines: string[] = [`${h} ${report.title}`, ""];
  const runs = report.cells.reduce((a, c) => a + c.runs, 0);
  lines.push(
    `${report.problems} problems × ${report.strategies.length} strategies × ${report.budgets.length} budgets × ` +
      `${report.seeds.length} seed${report.seeds.length === 1 ? "" : "s"} = ${runs} runs. Accuracy in %, with a ` +
      `Wilson 95% interval over runs; failed runs count as wrong (errors), and failures counts the paths lost ` +
      `to calls that failed after their retries, in all runs. Costs are means per run (one problem, one seed); ` +
      `tokens = prompt + completion, policy and verifier; FLOPs ≈ 2 × parameters × tokens.` +
      report.flopsUnknown
        .map(
          (role) =>
            ` The ${role}'s parameter count is unknown (none in its model name and no --${role}-params), so its FLOPs are left out.`,
        )
        .join(""),
    "",
  );
  if (options.plot) lines.push(`![accuracy against budget](${options.plot})`, "");
  lines.push(
    ...table(
      [
        "strategy",
        "n",
        "accuracy",
        "95% CI",
        "runs",
        "errors",
        "failures",
        "tokens",
        "policy tok",
        "verifier tok",
        "requests",
        "FLOPs",
        "time (s)",
      ],
      report.cells.map((c) => [
        c.strategy,
        String(c.n),
        c.runs ? pct(c.accuracy) : "–",
        c.runs ? `${pct(c.ci[0])}–${pct(c.ci[1])}` : "–",
        String(c.runs),
        String(c.errors),
        String(c.failures),
        formatQuantity(c.meanTokens),
        formatQuantity(c.meanPolicyTokens),
        formatQuantity(c.meanVerifierTokens),
        formatQuantity(c.meanRequests),
        formatQuantity(c.meanFlops),
        (c.meanWallMs / 1000).toFixed(2),
      ]),
    ),
    "",
  );
  if (report.levels.length > 1 || report.levels[0] !== null) {
    lines.push(`${h}# Accuracy by difficulty level (%, runs in brackets)`, "");
    lines.push(
      ...table(
        ["strategy", "n", ...report.levels.map((l) => levelName(l))],
        report.cells.map((c) => [
          c.strategy,
          String(c.n),
          ...report.levels.map((level) => {
            const lc = report.byLevel.find(
              (b) => b.strategy === c.strategy && b.n === c.n && b.level === level,
            )!;
            return lc.runs ? `${pct(lc.accuracy)} (${lc.runs})` : "–";
          }),
        ]),
      ),
      "",
    );
  }
  lines.push(`${h}# Best strategy per budget`, "");
  const scopes: (number | null | "all")[] = ["all", ...report.levels];
  lines.push(
    ...table(
      ["problems", ...report.budgets.map((n) => `n=${n}`)],
      scopes.map((scope) => [
        levelName(scope),
        ...report.budgets.map((n) => {
          const w = report.winners.find((x) => x.n === n && x.level === scope);
          return w ? `${w.strategies.join(" = ")} (${pct(w.accuracy)})` : "–";
        }),
      ]),
      1,
    ),
    "",
  );
  return lines.join("\n");
}
