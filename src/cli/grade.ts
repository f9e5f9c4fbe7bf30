// `tts-reasoner grade`: JSON lines in ({"gold", "pred"}), one JSON line out per input, in order.
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { AnswerGrader } from "../core/index.js";

/** Grades one input line; a bad line yields {"error": …} instead of stopping the run. */
export function gradeLine(line: string, lineNumber: number, grader: AnswerGrader): string {
  // Every input line gets its output line, a blank one too, so the two files line up.
  if (line.trim() === "") return JSON.stringify({ error: `line ${lineNumber}: blank` });
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return JSON.stringify({ error: `line ${lineNumber}: not JSON (${e instanceof Error ? e.message : e})` });
  }
  const { gold, pred } = (input ?? {}) as { gold?: unknown; pred?: unknown };
  if (typeof gold !== "string" || typeof pred !== "string")
    return JSON.stringify({
      error: `line ${lineNumber}: expected an object with string fields "gold" and "pred"`,
    });
  const r = grader.grade(gold, pred);
  return JSON.stringify({
    equal: r.equal,
    pred_answer: r.predAnswer,
    gold_answer: r.goldAnswer,
    ...(r.reason ? { reason: r.reason } : {}),
  });
}

export function registerGrade(program: Command): void {
  program
    .command("grade")
    .description(
      'Grade math answers: reads JSON lines {"gold": "...", "pred": "..."} on stdin (pred may be a whole ' +
        'response), writes {"equal", "pred_answer", "gold_answer"} (or {"error"}) per line, blank ones too, in order.',
    )
    .option(
      "--rel-tol <x>",
      "compare every pair of numbers within this relative tolerance, exact ones too (1 = 1.0001 with " +
        "1e-4, as Qwen2.5-Math grades). Without it, exact rationals and finite decimals compare " +
        "exactly and other values within 1e-6",
    )
    .option("--no-last-number", "do not fall back to the last number when a response states no answer")
    .action(async (opts: { relTol?: string; lastNumber: boolean }) => {
      const relTol = opts.relTol === undefined ? undefined : Number(opts.relTol);
      if (relTol !== undefined && !(relTol >= 0))
        throw new Error(`--rel-tol must be a non-negative number, got "${opts.relTol}".`);
      const grader = new AnswerGrader({ relTol, lastNumber: opts.lastNumber });
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (!process.stdout.write(gradeLine(line, n, grader) + "\n"))
          await new Promise((resolve) => process.stdout.once("drain", resolve));
      }
    });
}
