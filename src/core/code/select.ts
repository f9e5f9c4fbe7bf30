// Choosing among executed candidates (AlphaCode's filtering and clustering, CodeT's weighted
// generated tests, MBR-exec's agreement on outputs): keep the candidates with the highest test
// score, group them by behaviour (their outputs on every test input), take the largest group;
// the verifier's scores break a tie between groups when there is a verifier.
import { normalizeCode } from "./extract.js";
import type { CandidateRun, CodeCandidate, CodeTest } from "./types.js";

export interface Executed {
  nodeId: string;
  code: string;
  run: CandidateRun;
  /** The verifier's path score, when one scored the candidate. */
  verifierScore?: number;
}

export interface CodeSelection {
  candidates: CodeCandidate[];
  chosen: CodeCandidate | null;
  reason: string;
}

const EPS = 1e-9;

function behaviourOf(e: Executed, tests: readonly CodeTest[]): string {
  if (e.run.parseError !== undefined) return "parse-error";
  // With no tests nothing tells candidates apart by behaviour: equal text is the best agreement left.
  if (!tests.length) return `text:${normalizeCode(e.code)}`;
  const byId = new Map(e.run.results.map((r) => [r.testId, r]));
  return tests
    .map((t) => {
      const r = byId.get(t.id);
      if (!r) return "-";
      if (r.value !== undefined) return `=${r.value}`;
      return r.passed ? "pass" : `fail:${(r.message ?? "").split(":")[0]}`;
    })
    .join("\u241e");
}

export function selectCode(executed: readonly Executed[], tests: readonly CodeTest[]): CodeSelection {
  const runnable = executed.filter((e) => e.run.parseError === undefined);
  // CodeT: a generated test counts as much as the share of candidates that pass it.
  const weight = new Map<string, number>();
  for (const t of tests) {
    if (t.origin !== "generated") {
      weight.set(t.id, 1);
      continue;
    }
    const passing = runnable.filter((e) => e.run.results.some((r) => r.testId === t.id && r.passed)).length;
    weight.set(t.id, runnable.length ? passing / runnable.length : 0);
  }
  const candidates: CodeCandidate[] = executed.map((e) => {
    const failedResults = e.run.results.filter((r) => !r.passed);
    const first = failedResults[0];
    return {
      nodeId: e.nodeId,
      code: e.code,
      ...(e.run.parseError !== undefined ? { parseError: e.run.parseError } : {}),
      passed: e.run.results.length - failedResults.length,
      failed: e.run.parseError !== undefined ? tests.length : failedResults.length,
      ...(first ? { firstFailure: { testId: first.testId, message: first.message ?? "failed" } } : {}),
      ...(e.run.parseError !== undefined && tests[0]
        ? { firstFailure: { testId: tests[0].id, message: `does not parse: ${e.run.parseError}` } }
        : {}),
      score: e.run.results.reduce((s, r) => s + (r.passed ? (weight.get(r.testId) ?? 0) : 0), 0),
      behaviour: behaviourOf(e, tests),
      results: e.run.results,
      ...(e.run.stopped ? { stopped: e.run.stopped } : {}),
    };
  });
  const pool = candidates.filter((c) => c.parseError === undefined);
  if (!pool.length)
    return {
      candidates,
      chosen: null,
      reason: executed.length ? "No candidate parses." : "No candidate to run.",
    };
  const best = Math.max(...pool.map((c) => c.score));
  const top = pool.filter((c) => c.score >= best - EPS);
  const verifierOf = new Map(executed.map((e) => [e.nodeId, e.verifierScore]));
  const groups = new Map<string, CodeCandidate[]>();
  for (const c of top) groups.set(c.behaviour, [...(groups.get(c.behaviour) ?? []), c]);
  const scoreSum = (g: CodeCandidate[]): number => g.reduce((s, c) => s + (verifierOf.get(c.nodeId) ?? 0), 0);
  // Largest group first; the verifier's summed scores break ties; then first seen (stable sort).
  const ranked = [...groups.values()].sort((a, b) => b.length - a.length || scoreSum(b) - scoreSum(a));
  const group = ranked[0]!;
  const chosen = [...group].sort(
    (a, b) => (verifierOf.get(b.nodeId) ?? 0) - (verifierOf.get(a.nodeId) ?? 0),
  )[0]!;
  const userTests = tests.filter((t) => t.origin !== "generated").length;
  const passAll = pool.filter((c) => c.failed === 0 && c.results.length === tests.length).length;
  const tied = ranked.length > 1 && ranked[1]!.length === group.length;
  const reason = !tests.length
    ? `No tests: the most common code (${group.length} of ${executed.length}).`
    : `${passAll} of ${executed.length} candidates pass all ${tests.length} tests ` +
      `(${userTests} given, ${tests.length - userTests} generated); ` +
      `${top.length} share the top score, and the largest group with the same outputs has ${group.length}` +
      (tied
        ? verifierOf.size && scoreSum(group) > 0
          ? " (tie broken by the verifier)."
          : " (tie: the first)."
        : ".");
  return { candidates, chosen, reason };
}
