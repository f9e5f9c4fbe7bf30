// The CLI's live picture of a search: it folds the run's events with the same reducer the panel
// uses, and redraws a compact frame on a terminal, or prints plain lines when not on one.
import { applyEvent, emptyRunView, findStrategy, type RunView, type SearchEvent } from "../core/index.js";
import {
  bestPaths,
  costLine,
  formatMs,
  oneLine,
  pathTo,
  scoreText,
  tallyLines,
  treeCounts,
} from "./view-text.js";

export interface LiveOutput {
  write(text: string): unknown;
  columns?: number;
}

export interface LiveViewOptions {
  out: LiveOutput;
  /** Redraw a frame in place (a terminal) rather than print lines. */
  tty: boolean;
  /** Least time between two frames. */
  frameMs?: number;
}

/** The frame drawn on a terminal: header, tree counts, best paths, answer tally, cost. */
export function renderFrame(view: RunView, width: number): string[] {
  const c = view.config;
  const counts = treeCounts(view);
  const state = view.result ? (view.result.aborted ? "cancelled" : "done") : "running";
  const lines = [
    oneLine(
      `${c?.strategy ?? "?"}${view.decision ? `→${view.decision.method}` : ""} · n=${c?.n ?? "?"}${c && findStrategy(c.strategy)?.layout === "tree" ? ` · M=${c.beamWidth}` : ""}` +
        ` · step ${counts.depth}${c ? `/${c.maxSteps}` : ""} · ${formatMs(view.t)} · ${state}`,
      width,
    ),
    oneLine(
      `${counts.nodes} nodes: ${counts.active} open, ${counts.pruned} pruned, ${counts.finished} finished, ${counts.failed} failed`,
      width,
    ),
    "Best paths:",
  ];
  const best = bestPaths(view, 3);
  if (!best.length) lines.push("  (none yet)");
  for (const p of best) {
    const steps = pathTo(view, p);
    const mark = p.status === "finished" ? "✔" : " ";
    lines.push(`${mark} ${scoreText(p.score)} [${steps.length}] ${oneLine(p.text, width - 16)}`);
  }
  lines.push("Answers:");
  if (!view.tally.length) lines.push("  (none yet)");
  else lines.push(...tallyLines(view.tally, 4, width));
  lines.push(oneLine(costLine(view.cost), width));
  if (view.earlyStop)
    lines.push(oneLine(`stopped early, ${view.earlyStop.budgetSaved} samples saved`, width));
  if (view.warnings.length) lines.push(oneLine(`⚠ ${view.warnings.length}: ${view.warnings.at(-1)}`, width));
  const failures = failureMessages(view);
  if (failures.length) lines.push(oneLine(`✗ ${counts.failed} failed: ${failures.at(-1)}`, width));
  return lines;
}

/** The distinct errors of failed nodes (their scoring failed), in the order they came. */
export function failureMessages(view: RunView): string[] {
  const seen = new Set<string>();
  for (const id of view.order) {
    const n = view.nodes[id];
    if (n?.status === "failed" && n.error) seen.add(n.error);
  }
  return [...seen];
}

/** A message on one line, whole: an error cut short loses its status, its server's words and its fix. */
function fullLine(s: string): string {
  return oneLine(s, Number.POSITIVE_INFINITY);
}

export class LiveView {
  readonly view: RunView = emptyRunView();
  private drawn = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDepth = 0;
  private readonly frameMs: number;
  /** Warnings and failures already printed in full: each distinct one once, not one per node. */
  private readonly printed = new Set<string>();

  constructor(private readonly options: LiveViewOptions) {
    this.frameMs = options.frameMs ?? 100;
  }

  private get width(): number {
    return Math.max(40, (this.options.out.columns ?? 100) - 1);
  }

  readonly onEvent = (e: SearchEvent): void => {
    applyEvent(this.view, e);
    if (this.options.tty) {
      if (!this.timer) this.timer = setTimeout(() => this.draw(), this.frameMs);
      if (e.type === "run-finished") this.draw();
    } else {
      this.printLine(e);
    }
  };

  /**
   * Draws the last frame (terminal) unless it is already up, and stops redrawing. On a terminal
   * the frame shows only the latest warning and failure, cut to the width, so each distinct one
   * is then printed in full below it.
   */
  finish(): void {
    if (this.options.tty) {
      if (this.timer || !this.drawn) this.draw();
      for (const message of this.view.warnings) this.printOnce(`warning: ${message}`);
      for (const error of failureMessages(this.view)) this.printOnce(`scoring failed: ${error}`);
    } else if (!this.view.result && this.lastDepth) this.printRound();
  }

  private printOnce(line: string): void {
    if (this.printed.has(line)) return;
    this.printed.add(line);
    this.options.out.write(`  ${fullLine(line)}\n`);
  }

  private draw(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const frame = renderFrame(this.view, this.width);
    // Back to the top of the previous frame, clear to the end of the screen, draw the new one.
    const up = this.drawn ? `\x1b[${this.drawn}F\x1b[J` : "";
    this.options.out.write(up + frame.join("\n") + "\n");
    this.drawn = frame.length;
  }

  private printRound(): void {
    const atDepth = this.view.order
      .map((id) => this.view.nodes[id]!)
      .filter((n) => n.depth === this.lastDepth && n.status !== "failed");
    const scores = atDepth.map((n) => n.score).filter((s): s is number => s !== undefined);
    const best = scores.length ? `, best score ${Math.max(...scores).toFixed(3)}` : "";
    this.options.out.write(`step ${this.lastDepth}: ${atDepth.length} candidates${best}\n`);
  }

  private printLine(e: SearchEvent): void {
    const out = this.options.out;
    switch (e.type) {
      case "run-started":
        out.write(
          oneLine(
            `${e.config.strategy}, n=${e.config.n}, policy ${e.policy}, verifier ${e.verifier ?? "none"}`,
            this.width,
          ) + "\n",
        );
        break;
      case "node-added":
        // A deeper node starts a new round: report the round before it.
        if (e.node.depth > this.lastDepth) {
          if (this.lastDepth > 0) this.printRound();
          this.lastDepth = e.node.depth;
        }
        break;
      case "path-finished":
        out.write(oneLine(`  finished ${e.id} → ${e.answer ?? "(no answer)"}`, this.width) + "\n");
        break;
      case "warning":
        this.printOnce(`warning: ${e.message}`);
        break;
      case "node-failed":
        this.printOnce(`scoring failed: ${e.error}`);
        break;
      case "strategy-chosen":
        out.write(oneLine(`auto chose ${e.decision.method}: ${e.decision.reason}`, this.width) + "\n");
        break;
      case "early-stopped":
        out.write(
          oneLine(`  stopped early (${e.budgetSaved} samples saved): ${e.reason}`, this.width) + "\n",
        );
        break;
      case "run-finished":
        if (this.lastDepth) this.printRound();
        out.write(oneLine(costLine(e.result.cost), this.width) + "\n");
        break;
    }
  }
}
