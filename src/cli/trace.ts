// `tts-reasoner trace <file>`: what a saved run did, from the same events the panel replays.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { failedPaths, parseTrace, replay, type RunView, type SearchEvent } from "../core/index.js";
import {
  bestPaths,
  costLine,
  formatMs,
  oneLine,
  pathTo,
  scoreText,
  tallyLines,
  terminalJson,
  treeCounts,
  type TreeCounts,
} from "./view-text.js";

export interface TraceSummary {
  problem: string;
  policy: string | null;
  verifier: string | null;
  strategy: string | null;
  n: number | null;
  events: number;
  finished: boolean;
  aborted: boolean;
  error: string | null;
  answer: string | null;
  tree: TreeCounts;
  tally: RunView["tally"];
  cost: RunView["cost"];
  warnings: string[];
  /** Auto: the method it chose and why, and the samples an early stop saved. */
  decision: RunView["decision"];
  earlyStop: RunView["earlyStop"];
  durationMs: number;
}

export function summarizeTrace(events: readonly SearchEvent[]): { summary: TraceSummary; view: RunView } {
  const view = replay(events);
  const r = view.result;
  return {
    view,
    summary: {
      problem: view.problem?.text ?? "",
      policy: view.policy,
      verifier: view.verifier,
      strategy: view.config?.strategy ?? null,
      n: view.config?.n ?? null,
      events: events.length,
      finished: r !== null,
      aborted: r?.aborted ?? false,
      error: r?.error ?? null,
      answer: r?.answer ?? null,
      tree: treeCounts(view),
      tally: view.tally,
      cost: view.cost,
      warnings: view.warnings,
      decision: view.decision,
      earlyStop: view.earlyStop,
      durationMs: r?.cost.wallMs ?? view.t,
    },
  };
}

/** The summary as text lines for a terminal. Model text is sanitized and cut to `width`. */
export function traceText(events: readonly SearchEvent[], width = 100): string[] {
  const { summary: s, view } = summarizeTrace(events);
  const c = view.config;
  const lines = [
    `Problem:   ${oneLine(s.problem, width - 11)}`,
    `Policy:    ${s.policy ?? "?"}    Verifier: ${s.verifier ?? "none"}`,
    c
      ? `Search:    ${c.strategy}, n=${c.n}, beamWidth=${c.beamWidth}, maxSteps=${c.maxSteps}, T=${c.temperature}, ` +
        `aggregation=${c.aggregation}, selection=${c.selection}${c.seed !== undefined ? `, seed=${c.seed}` : ""}`
      : "Search:    ?",
    `Events:    ${s.events} over ${formatMs(s.durationMs)}`,
    `Tree:      ${s.tree.nodes} steps/solutions, ${s.tree.depth} deep: ${s.tree.finished} finished, ` +
      `${s.tree.pruned} pruned, ${s.tree.failed} failed, ${s.tree.active} left open`,
  ];
  if (view.decision)
    lines.push(`Auto:      chose ${view.decision.method}: ${oneLine(view.decision.reason, width - 25)}`);
  if (view.earlyStop)
    lines.push(
      `Stopped:   early, ${view.earlyStop.budgetSaved} samples saved: ${oneLine(view.earlyStop.reason, width - 40)}`,
    );
  if (!s.finished) lines.push("Status:    the trace ends before the run finished (cut off or crashed)");
  else if (s.aborted) lines.push("Status:    cancelled; the answer is from the paths finished before");
  if (s.error) lines.push(`Error:     ${oneLine(s.error, width - 11)}`);
  for (const f of failedPaths(view).slice(0, 5))
    lines.push(
      `Failed:    ${f.paths} path${f.paths === 1 ? "" : "s"} (scoring): ${oneLine(f.message, width - 32)}`,
    );
  lines.push("", "Answers:");
  if (s.tally.length) lines.push(...tallyLines(s.tally, 8, width));
  else lines.push("  (none)");
  if (s.tally.length > 8) lines.push(`  … and ${s.tally.length - 8} more`);
  lines.push("", `Answer:    ${s.answer === null ? "(none)" : oneLine(s.answer, width - 11)}`);

  const chosen = view.result?.chosen;
  if (chosen) {
    lines.push("", "Chosen solution (step score, step):");
    chosen.steps.forEach((step, i) =>
      lines.push(`  ${scoreText(chosen.stepScores?.[i])}  ${oneLine(step, width - 9)}`),
    );
  } else {
    const best = bestPaths(view, 1)[0];
    if (best) {
      lines.push("", "Best path so far:");
      for (const n of pathTo(view, best))
        lines.push(`  ${scoreText(n.score)}  ${oneLine(n.text, width - 9)}`);
    }
  }
  lines.push("", `Cost:      ${costLine(s.cost)}`);
  if (s.warnings.length) {
    lines.push("", `Warnings (${s.warnings.length}):`);
    for (const w of s.warnings.slice(0, 5)) lines.push(`  ${oneLine(w, width - 2)}`);
    if (s.warnings.length > 5) lines.push(`  … and ${s.warnings.length - 5} more`);
  }
  return lines;
}

export function readTraceFile(path: string): SearchEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the trace ${path}: ${(e as Error).message}`);
  }
  try {
    return parseTrace(text);
  } catch (e) {
    throw new Error(`${path} is not a trace: ${(e as Error).message}`);
  }
}

export function registerTrace(program: Command): void {
  program
    .command("trace")
    .description(
      "Summarize a saved trace (JSON lines of search events): tree, answers, chosen solution, cost",
    )
    .argument("<file>", "trace file written by `solve --trace` or the panel's Export Trace")
    .option("--json", "print the summary as JSON")
    .action((file: string, opts: { json?: boolean }) => {
      const events = readTraceFile(file);
      if (opts.json) process.stdout.write(terminalJson(summarizeTrace(events).summary) + "\n");
      else
        process.stdout.write(
          traceText(events, Math.max(60, process.stdout.columns ?? 100)).join("\n") + "\n",
        );
    });
}
