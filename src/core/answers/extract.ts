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
 * "the answer is X" or "answer: X" (a sentence there gives the value it states); a response that
 * is itself a bare answer; then, if enabled, the last number not inside a word. Boxes apart by
 * only "and"/"or" are one answer per box. After `</think>`, only what follows it is read, unless
 * it states nothing. Math delimiters around the answer (`$…$`, `\(…\)`, `\[…\]`) are removed.
 */
export function extractAnswer(response: string, options: ExtractOptions = {}): string | null {
  const text = response.length > MAX_SCAN ? response.slice(-MAX_SCAN) : response;
  // A reasoning model thinks first (`<think>…</think>`) and answers after: the answer after the
  // thinking wins over a tentative one inside it; a trace that ends in thought is read whole.
  const close = text.lastIndexOf("</think>");
  if (close < 0) return find(text, options);
  const thought = text.slice(0, close);
  const after = text.slice(close + "</think>".length);
  const stated = (t: string): string | null => find(t, { lastNumber: false });
  // The last-number fallback comes after every rule on both sides, and after the thinking first.
  return stated(after) ?? stated(thought) ?? find(after, options) ?? find(thought, options);
}

function find(text: string, options: ExtractOptions): string | null {
  const found =
    minerva(text) ??
    finalBoxed(text) ??
    answerHeading(text) ??
    answerPhrase(text) ??
    bareAnswer(text) ??
    (options.lastNumber === false ? null : (lastMath(text) ?? lastNumber(text)));
  if (found === null) return null;
  const answer = tidy(found);
  return answer === "" ? null : answer;
}

/** A reference answer: its last `\boxed{}`s when it has any, otherwise the whole text, unwrapped. */
export function extractGold(gold: string): string {
  const boxed = gold.includes("\\boxed") || gold.includes("\\fbox") ? finalBoxed(gold) : null;
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

/** Most characters between two boxes that still join them into one answer ("$ and $x=$"). */
const MAX_BOX_GAP = 40;
/** Most boxes joined into one answer. */
const MAX_BOXES = 16;

/**
 * The final answer in boxes: the last box, and the boxes just before it when only "and", "or",
 * punctuation or a little math separate them (`$x=\boxed{2}$ and $x=\boxed{3}$`: one box per answer),
 * joined as a list with repeats dropped.
 */
function finalBoxed(text: string): string | null {
  const last = boxAt(text, Math.max(lastCommand(text, "\\boxed"), lastCommand(text, "\\fbox")));
  if (!last) return lastBoxed(text);
  const parts = [last.value];
  let start = last.start;
  while (parts.length < MAX_BOXES && start > 0) {
    const prevStart = Math.max(
      lastCommand(text, "\\boxed", start - 1),
      lastCommand(text, "\\fbox", start - 1),
    );
    const prev = boxAt(text, prevStart);
    if (!prev || prev.end > start) break;
    const gap = text.slice(prev.end, start);
    // Only "and", "or", punctuation and math between them: `$x=\boxed{2}$ or $x=\boxed{3}$`.
    if (
      gap.length > MAX_BOX_GAP ||
      gap.includes("\n\n") ||
      /[.;!?](\s|$)/.test(gap) ||
      isProse(gap.replace(/\$/g, " "))
    )
      break;
    parts.unshift(prev.value);
    start = prev.start;
  }
  const distinct = [...new Set(parts.map((p) => p.trim()))];
  return distinct.length === 1 ? parts[parts.length - 1]! : distinct.join(", ");
}

/** The box whose command starts at `at`: its argument and where the box starts and ends. */
function boxAt(text: string, at: number): { value: string; start: number; end: number } | null {
  if (at < 0) return null;
  let i = at + (text.startsWith("\\boxed", at) ? "\\boxed".length : "\\fbox".length);
  while (text[i] === " ") i++;
  if (text[i] !== "{") return null;
  const end = matchBrace(text, i);
  return end < 0 ? null : { value: text.slice(i + 1, end), start: at, end: end + 1 };
}

function lastCommand(text: string, command: string, from = text.length): number {
  for (let at = text.lastIndexOf(command, from); at >= 0; at = text.lastIndexOf(command, at - 1)) {
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
  const lineEnd = rest.indexOf("\n");
  const line = lineEnd < 0 ? rest : rest.slice(0, lineEnd);
  const sentenceEnd = line.search(/\.(\s|$)/);
  const value = (sentenceEnd >= 0 ? line.slice(0, sentenceEnd) : line).trim();
  if (value === "") return null;
  // Longer than any answer the grader compares: not worth reading (and the scans stay linear).
  if (value.length > MAX_SENTENCE || !isProse(value)) return value;
  // "The final answer is the matrix" and the math displayed on the next line.
  if (sentenceEnd < 0 && lineEnd >= 0 && !value.includes("$")) {
    const displayed = firstMath(rest.slice(lineEnd).trimStart());
    if (displayed !== null) return displayed;
  }
  return valueInProse(value);
}

const MAX_SENTENCE = 1000;

/**
 * The value a sentence states: "the smallest $k$ is 12" → `12` (what follows its last "is",
 * "are", "equals"); "the matrix $M$" → `M` (its only math). Otherwise the sentence, which then
 * compares as text.
 */
function valueInProse(sentence: string): string {
  let value = sentence;
  let verb = -1;
  let dollars = 0;
  let scanned = 0;
  for (const m of sentence.matchAll(/(?:^|\s)(?:is|are|equals|was|be|becomes)\s+/gi)) {
    // Outside math: an even number of unescaped `$` before it.
    for (; scanned < m.index; scanned++)
      if (sentence[scanned] === "$" && sentence[scanned - 1] !== "\\") dollars++;
    if (dollars % 2 === 0) verb = m.index + m[0].length;
  }
  if (verb >= 0) value = sentence.slice(verb);
  // "12, since 3 · 4 = 12", "12 (the least)": the clause before the explanation.
  const clause = value.search(/,\s+(?:since|because|as|which|so|where|when|and so)\s|\s\(/i);
  if (clause > 0) value = value.slice(0, clause);
  if (!isProse(value)) return value;
  const math = [...value.matchAll(/\$([^$]+)\$|\\\((.+?)\\\)/g)];
  if (math.length === 1) return math[0]![1] ?? math[0]![2]!;
  // "the matrix \left[…\right]": the math after the leading words.
  const words = /^(?:[a-zA-Z]+[\s,:]+)+/.exec(value);
  const after = words ? value.slice(words[0].length) : "";
  if (math.length === 0 && after !== "" && !isProse(after)) return after;
  // "therefore 12": one number among words.
  const numbers = [...value.matchAll(NUMBER)].filter((m) => !inWord(value, m.index, m.index + m[0].length));
  return math.length === 0 && numbers.length === 1 ? numbers[0]![0].replace(/,/g, "") : sentence;
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
  return isProse(trimmed) ? null : trimmed;
}

/** Words outside `\text{}` and commands, other than "and"/"or" (which join a list of answers). */
function isProse(text: string): boolean {
  const outsideText = text
    .replace(/\$[^$]*\$/g, (math) => (/[a-zA-Z]{2,}/.test(math.replace(/\\[a-zA-Z]+/g, "")) ? "$" : " "))
    .replace(/\\begin\s*\{array\}\s*\{[^}]*\}/g, " ") // and its column spec, `{cc}`
    .replace(/\\(text|mbox|textbf|mathrm|operatorname|begin|end)\s*\{[^}]*\}/g, " ")
    .replace(/\\[a-zA-Z]+/g, " ")
    .replace(/(^|[^a-zA-Z])(and|or)(?![a-zA-Z])/g, "$1 ");
  return /[a-zA-Z]{2,}/.test(outsideText);
}

const NUMBER = /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\/\d+|-?\d+(?:\.\d+)?|-?\.\d+/g;

/**
 * The last `$…$` of a response when no number follows it: "Thus the probability is
 * $\frac{3}{4}$." states `\frac{3}{4}`, not its last number 4.
 */
function lastMath(text: string): string | null {
  let end = lastDollar(text, text.length - 1);
  if (end > 0 && text[end - 1] === "$") end--; // `$$…$$`
  const start = end > 0 ? lastDollar(text, end - 1) : -1;
  if (start < 0 || end - start > MAX_SENTENCE) return null;
  const math = text.slice(start + 1, end).trim();
  if (math === "" || !/\d/.test(math) || isProse(math)) return null;
  const tail = text.slice(end + 1);
  for (const m of tail.matchAll(NUMBER)) if (!inWord(tail, m.index, m.index + m[0].length)) return null;
  return math;
}

/** The index of the last unescaped `$` at or before `from`, or -1. */
function lastDollar(text: string, from: number): number {
  let i = text.lastIndexOf("$", from);
  while (i > 0 && text[i - 1] === "\\") i = text.lastIndexOf("$", i - 2);
  return i;
}

function lastNumber(text: string): string | null {
  let last: string | null = null;
  for (const m of text.matchAll(NUMBER)) if (!inWord(text, m.index, m.index + m[0].length)) last = m[0];
  return last === null ? null : last.replace(/,/g, "");
}

/**
 * A number inside a word is no answer: `QBXT7Q`, `x7`, `0x7F`, `H2O`, `v2.3.1`. A lower-case
 * unit may follow it (`12days`, `5cm`).
 */
function inWord(text: string, start: number, end: number): boolean {
  if (/[a-zA-Z_0-9]/.test(text[start - 1] ?? "")) return true;
  let i = end;
  while (i < text.length && /[a-z]/.test(text[i]!)) i++;
  return /[A-Z0-9_]/.test(text[i] ?? "");
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
