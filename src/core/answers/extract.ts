// Pulls the final answer out of a whole model response (see docs/reference/answer-grading.md §1).
import { matchBrace, trimRuns, trimTrailingPunctuation } from "./latex-scan.js";

export interface ExtractOptions {
  /** When no rule finds an answer, take the last number in the text (on by default, as Qwen2.5-Math). */
  lastNumber?: boolean;
}

/** Only the end of a huge response is searched: answers come last, and scans stay short. */
const MAX_SCAN = 1_000_000;

/**
 * The final answer a response states, or null when it states none. Rules, first match wins:
 * the Minerva sentence "final answer is $X$. I hope…"; the last `\boxed{X}` / `\fbox{X}` (braces
 * matched; also `\boxed X`); a `# Answer` line (PRM800K); the last "final answer is X",
 * "the answer is X" or "answer: X"; a response that is itself a bare answer; then, if enabled,
 * the last number. Math delimiters around the answer (`$…$`, `\(…\)`, `\[…\]`) are removed.
 */
export function extractAnswer(response: string, options: ExtractOptions = {}): string | null {
  const text = response.length > MAX_SCAN ? response.slice(-MAX_SCAN) : response;
  const found =
    minerva(text) ??
    lastBoxed(text) ??
    answerHeading(text) ??
    answerPhrase(text) ??
    bareAnswer(text) ??
    (options.lastNumber === false ? null : lastNumber(text));
  if (found === null) return null;
  const answer = tidy(found);
  return answer === "" ? null : answer;
}

/** A reference answer: the last `\boxed{}` when it has one, otherwise the whole text, unwrapped. */
export function extractGold(gold: string): string {
  const boxed = gold.includes("\\boxed") || gold.includes("\\fbox") ? lastBoxed(gold) : null;
  return tidy(boxed ?? gold);
}

function minerva(text: string): string | null {
  const lower = text.toLowerCase();
  const at = lower.lastIndexOf("final answer is $");
  if (at < 0) return null;
  const start = at + "final answer is $".length;
  const end = lower.indexOf("$. i hope", start);
  return end < 0 ? null : text.slice(start, end);
}

/** The last `\boxed`/`\fbox` argument, braces matched; null when absent or unbalanced. */
export function lastBoxed(text: string): string | null {
  const at = Math.max(lastCommand(text, "\\boxed"), lastCommand(text, "\\fbox"));
  if (at < 0) return null;
  let i = at + (text.startsWith("\\boxed", at) ? "\\boxed".length : "\\fbox".length);
  while (text[i] === " ") i++;
  if (text[i] === "{") {
    const end = matchBrace(text, i);
    return end < 0 ? null : text.slice(i + 1, end);
  }
  // `\boxed 5`: up to the closing `$` or the end of the line.
  const rest = text.slice(i);
  const stop = rest.search(/[$\n]/);
  const value = (stop < 0 ? rest : rest.slice(0, stop)).trim();
  return value === "" ? null : value;
}

function lastCommand(text: string, command: string): number {
  for (let at = text.lastIndexOf(command); at >= 0; at = text.lastIndexOf(command, at - 1)) {
    if (!/[a-zA-Z]/.test(text[at + command.length] ?? "")) return at;
    if (at === 0) break;
  }
  return -1;
}

function answerHeading(text: string): string | null {
  const at = text.lastIndexOf("# Answer");
  if (at < 0) return null;
  const line = text
    .slice(at + "# Answer".length)
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  return line ?? null;
}

const PHRASES = ["final answer is", "final answer:", "the answer is", "answer is:", "answer:"];

function answerPhrase(text: string): string | null {
  const lower = text.toLowerCase();
  let best = -1;
  let phrase = "";
  for (const p of PHRASES) {
    const at = lower.lastIndexOf(p);
    // A later phrase wins; at the same place the longer (listed first) one does.
    if (at > best) {
      best = at;
      phrase = p;
    }
  }
  if (best < 0) return null;
  let rest = text.slice(best + phrase.length);
  const newline = rest.search(/\n\s*\n/);
  if (newline >= 0) rest = rest.slice(0, newline);
  rest = rest.replace(/^[\s:*]+/, "");
  const math = firstMath(rest);
  if (math !== null) return math;
  const line = rest.split("\n")[0] ?? "";
  const sentenceEnd = line.search(/\.(\s|$)/);
  const value = (sentenceEnd >= 0 ? line.slice(0, sentenceEnd) : line).trim();
  return value === "" ? null : value;
}

/** The content of the first `$…$`, `\(…\)` or `\[…\]` in `text`, when it starts the text. */
function firstMath(text: string): string | null {
  const m = /^(\$\$?|\\\(|\\\[)/.exec(text);
  if (!m) return null;
  const close = { $: "$", $$: "$$", "\\(": "\\)", "\\[": "\\]" }[m[1]!]!;
  // An escaped dollar (`\$18`) does not close the math.
  let end = text.indexOf(close, m[1]!.length);
  while (end > 0 && close === "$" && text[end - 1] === "\\") end = text.indexOf(close, end + 1);
  return end < 0 ? null : text.slice(m[1]!.length, end);
}

/**
 * A short response with no prose is taken whole: "0.5", "$\frac12$", "x = 3", "\text{Evelyn}",
 * "east", a matrix, "3, 2, and 1", "5 or 3".
 */
function bareAnswer(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > 300 || trimmed.includes("\n")) return null;
  // Prose ("I think 42") is not an answer; one word ("Evelyn") or math with `\text{}` is.
  if (/^[a-zA-Z]+$/.test(trimmed)) return trimmed;
  const outsideText = trimmed
    .replace(/\\(text|mbox|textbf|mathrm|operatorname|begin|end)\s*\{[^}]*\}/g, " ")
    .replace(/\\[a-zA-Z]+/g, " ")
    // "and" and "or" join the parts of a list of answers.
    .replace(/(^|[^a-zA-Z])(and|or)(?![a-zA-Z])/g, "$1 ");
  return /[a-zA-Z]{2,}/.test(outsideText) ? null : trimmed;
}

const NUMBER = /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\/\d+|-?\d+(?:\.\d+)?|-?\.\d+/g;

function lastNumber(text: string): string | null {
  let last: string | null = null;
  for (const m of text.matchAll(NUMBER)) last = m[0];
  return last === null ? null : last.replace(/,/g, "");
}

/** Removes math delimiters, markdown bold, a leading colon and trailing punctuation. */
function tidy(answer: string): string {
  let s = answer.trim();
  for (let pass = 0; pass < 3; pass++) {
    const before = s;
    // Loops, not end-anchored regexes: those are quadratic on a long run ("…………a").
    s = trimRuns(s, "*").trim();
    s = s.replace(/^:\s*/, "");
    s = trimTrailingPunctuation(s).trim();
    const wrapped = /^(\$\$|\$|\\\(|\\\[)([\s\S]*?)(\$\$|\$|\\\)|\\\])$/.exec(s);
    if (
      wrapped &&
      delimitersPair(wrapped[1]!, wrapped[3]!) &&
      !wrapped[2]!.replace(/\\\$/g, "").includes(wrapped[1]!) &&
      !wrapped[2]!.endsWith("\\")
    )
      s = wrapped[2]!.trim();
    if (s === before) break;
  }
  return s;
}

function delimitersPair(open: string, close: string): boolean {
  return (
    (open === "$" && close === "$") ||
    (open === "$$" && close === "$$") ||
    (open === "\\(" && close === "\\)") ||
    (open === "\\[" && close === "\\]")
  );
}
