// Rewrites an extracted answer into one surface form (docs/reference/answer-grading.md §2): the
// rules almost every grader shares, plus thousands separators, units, mixed numbers and bases.
import { matchBrace, splitTopLevel, trimTrailingPunctuation } from "./latex-scan.js";

/**
 * The normalized form of an answer: `\dfrac`→`\frac`, no `\left`/`\right`, spacing, `^\circ`,
 * `\%` (the percent sign is dropped: `10\%` reads as `10`), `\$`, trailing unit words and
 * `\text{ unit}`, thousands separators, `.5`→`0.5`, `2.50`→`2.5`, `3.0`→`3`, `\frac12`,
 * `\sqrt3`, mixed numbers `1\frac{4}{5}`→`1+\frac{4}{5}`, base subscripts `204_5`→`204`.
 * A whole-answer `\text{…}` is kept (it is a text answer).
 */
export function normalizeAnswer(answer: string): string {
  let s = answer.trim();
  s = unwrapWhole(s);
  s = replaceUnicode(s);
  s = s.replace(/\\(displaystyle|textstyle|scriptstyle)(?![a-zA-Z])/g, "");
  s = s.replace(/\\[dtc]frac(?![a-zA-Z])/g, "\\frac");
  s = s.replace(/\\(mbox|textrm|textnormal|textit|textup|textsf)(?![a-zA-Z])/g, "\\text");
  // `\mathbf{A}` names the matrix A; a bold group keeps its braces.
  s = s.replace(/\\(mathbf|boldsymbol|bm|textbf|mathit)\s*\{([a-zA-Z]+)\}/g, "$2");
  s = s.replace(/\\(mathbf|boldsymbol|bm|textbf|mathit)\s*\{/g, "{");
  s = s.replace(/\\mathrm\s*\{([a-zA-Z])\}/g, "$1").replace(/\\mathrm(?![a-zA-Z])/g, "\\text");
  s = s.replace(/\\(left|right)\s*\./g, "");
  s = s.replace(/\\(left|right|[bB]igg?[lr]?)(?![a-zA-Z])/g, "");
  // Thousands separators written `10,\!080` or `1{,}000`, before `\!` goes.
  s = s.replace(/,\\!\s*(?=\d{3})/g, "").replace(/\{,\}(?=\d{3})/g, "");
  s = s
    .replace(/\\[!,;:>]/g, " ")
    .replace(/\\(q?quad)(?![a-zA-Z])/g, " ")
    .replace(/~/g, " ");
  s = s.replace(/(?<!\\)\\ /g, " ");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])/g, "");
  // Percent: the sign is dropped, as Hendrycks MATH, PRM800K and lm-eval do (README "Percent").
  s = s.replace(/\\%|%/g, "");
  s = s.replace(/\\\$|\$/g, "");
  s = s.replace(/\\text\s*\{\s*(and|or)\s*\}/g, " $1 ");
  s = s.replace(/\\(emptyset|varnothing)(?![a-zA-Z])|\\\{\s*\\\}/g, "\\{\\}");
  s = s.replace(/\\mathbb\s*\{?R\}?|\\R(?![a-zA-Z])/g, "(-\\infty,\\infty)");
  s = s.replace(/\\infinity|\binfinity\b|\binf\b/g, "\\infty").replace(/\+\s*\\infty/g, "\\infty");
  s = s.replace(/<=/g, "\\le ").replace(/>=/g, "\\ge ").replace(/!=/g, "\\ne ");
  s = s
    .replace(/\\(leq|leqslant|leqq)(?![a-zA-Z])/g, "\\le")
    .replace(/\\(geq|geqslant|geqq)(?![a-zA-Z])/g, "\\ge");
  s = s.replace(/\\[lr]?vert(?![a-zA-Z])|\\mid(?![a-zA-Z])/g, "|");
  // `a_1b_2`: the parser reads an unbraced subscript as running on (`a_{1b_2}`).
  s = s.replace(/([a-zA-Z])_([a-zA-Z0-9])/g, "$1_{$2}");
  s = s
    .replace(/\\neq(?![a-zA-Z])/g, "\\ne")
    .replace(/\\lt(?![a-zA-Z])/g, "<")
    .replace(/\\gt(?![a-zA-Z])/g, ">");
  s = dropApproximation(s);
  s = s.replace(/\s+/g, " ").trim();
  // Runs of signs collapse (`--3` is 3): the parser reads `--x` as a decrement, and slowly.
  s = s.replace(/[+-](?:\s*[+-])+/g, (run) => ((run.match(/-/g)?.length ?? 0) % 2 ? "-" : "+"));
  // "3, 5, and 7", "x = 1 or x = -2": lists of solutions.
  if (!/^\\text\{[^{}]*\}$/.test(s)) s = s.replace(/,?\s+(and|or)\s+/g, ",");
  s = dropUnits(s);
  s = bracedArguments(s);
  s = s.replace(/(^|[^\d])\.(\d)/g, "$10.$2");
  s = s.replace(/(\d)\.0+(?!\d)/g, "$1").replace(/(\d\.\d*?[1-9])0+(?!\d)/g, "$1");
  s = trimTrailingPunctuation(s).trim();
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  s = s.replace(/^(\d+)_\{?(\d+)\}?$/, "$1");
  // `2 1/3` is a mixed number (7/3), not 21/3: read before the spaces go.
  s = s.replace(/^(-?)(\d+) (\d+)\/(\d+)$/, (all, sign: string, whole: string, a: string, b: string) =>
    Number(a) < Number(b) ? `${sign}${whole}\\frac{${a}}{${b}}` : all,
  );
  s = s.replace(
    /^(-?)(\d+) ?\\frac\{(\d+)\}\{(\d+)\}$/,
    (_, sign: string, whole: string, a: string, b: string) =>
      sign ? `-(${whole}+\\frac{${a}}{${b}})` : `${whole}+\\frac{${a}}{${b}}`,
  );
  return squeezeSpaces(s);
}

/**
 * `\frac12 \approx 0.5` and `x = \sqrt2 \approx 1.414` state the exact value first: it is kept.
 * After a bare variable (`x \approx 1.41`) the approximation is the value.
 */
function dropApproximation(s: string): string {
  const parts = splitTopLevel(s, ["\\approx"]);
  if (parts.length < 2) return s;
  const [first, second] = parts as [string, string];
  if (first === "") return second;
  return /^([a-zA-Z]|\\[a-zA-Z]+)(_\{?[a-zA-Z0-9]+\}?)?$/.test(first) ? `${first}=${second}` : first;
}

/** `\boxed{X}`, `{X}`, `\(X\)` or `\[X\]` around the whole answer. */
function unwrapWhole(s: string): string {
  for (let pass = 0; pass < 4; pass++) {
    const math = /^\\\(([\s\S]*)\\\)$|^\\\[([\s\S]*)\\\]$/.exec(s);
    const inner = math?.[1] ?? math?.[2];
    if (inner !== undefined && !/\\[()[\]]/.test(inner)) {
      s = inner.trim();
      continue;
    }
    const m = /^\\(boxed|fbox)\s*\{/.exec(s) ?? (s.startsWith("{") ? /^\{/.exec(s) : null);
    if (!m) break;
    const open = m[0].length - 1;
    if (matchBrace(s, open) !== s.length - 1) break;
    s = s.slice(open + 1, -1).trim();
  }
  return s;
}

const UNICODE: [RegExp, string][] = [
  [/[−–]/g, "-"],
  [/×/g, "\\times "],
  [/[·⋅]/g, "\\cdot "],
  [/π/g, "\\pi "],
  [/√/g, "\\sqrt "],
  [/∞/g, "\\infty "],
  [/≤/g, "\\le "],
  [/≥/g, "\\ge "],
  [/≠/g, "\\ne "],
  [/°/g, ""],
  [/∪/g, "\\cup "],
  [/±/g, "\\pm "],
  [/∈/g, "\\in "],
  [/∅/g, "\\emptyset "],
  [/≈/g, "\\approx "],
  [/ℝ/g, "\\mathbb{R}"],
];

function replaceUnicode(s: string): string {
  for (const [re, to] of UNICODE) s = s.replace(re, to);
  return s;
}

/**
 * A trailing `\text{ unit}` (maybe squared) or trailing plain words after a value are units:
 * `5.4 \text{ cents}`, `15\text{ cm}^2`, `10 square units`. Inner `\text{}` is unwrapped.
 */
function dropUnits(s: string): string {
  // `\text{5 cents}`: a number with its unit, all in text.
  const textNumber = /^\\text\{\s*(-?[\d.,]*\d)\s+[a-zA-Z][a-zA-Z ]*\}$/.exec(s);
  if (textNumber) return textNumber[1]!;
  if (/^\\text\{[^{}]*\}$/.test(s)) return s;
  s = s.replace(/(\S)\s*\\text\s*\{[^{}]*\}\s*(\^\s*\{?\d\}?)?$/, "$1").trim();
  s = s.replace(/\\text\s*\{([^{}]*)\}/g, "$1");
  const words = /^(.*[\d})])((?:\s+[a-zA-Z]{2,}\.?)+)\s*(\^\s*\{?\d\}?)?$/.exec(s);
  if (words && !/\b(and|or)\b/.test(words[2]!)) s = words[1]!;
  // A unit glued to the number (`12days`, `5cm^2`); `2ab` and `3sinx` are products, not units.
  const glued = /^(-?[\d.]*\d)([a-z]{2,})\.?\s*(\^\s*\{?\d\}?)?$/.exec(s);
  if (glued && isUnit(glued[2]!)) s = glued[1]!;
  return s.trim();
}

const UNITS = new Set(
  "cm mm km kg mg ml ft yd mi mph kph hr hrs min mins sec secs lb lbs oz deg rad sq".split(" "),
);
const FUNCTION_PREFIX = /^(sin|cos|tan|cot|sec|csc|log|ln|exp|arc|sqrt|pi)/;

function isUnit(word: string): boolean {
  return UNITS.has(word) || (word.length >= 4 && !FUNCTION_PREFIX.test(word));
}

/** `\frac12`→`\frac{1}{2}`, `\frac9{19}`, `\frac{270}7`, `\sqrt3`→`\sqrt{3}`: every argument braced. */
function bracedArguments(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const m = /^\\(frac|sqrt)(?![a-zA-Z])/.exec(s.slice(i, i + 6));
    if (!m) {
      out += s[i];
      i++;
      continue;
    }
    out += "\\" + m[1];
    i += m[0].length;
    const count = m[1] === "frac" ? 2 : 1;
    if (m[1] === "sqrt") {
      while (s[i] === " ") i++;
      if (s[i] === "[") {
        const end = s.indexOf("]", i);
        if (end < 0) continue;
        out += s.slice(i, end + 1);
        i = end + 1;
      }
    }
    for (let k = 0; k < count; k++) {
      while (s[i] === " ") i++;
      if (s[i] === "{") {
        const end = matchBrace(s, i);
        if (end < 0) break;
        out += "{" + bracedArguments(s.slice(i + 1, end)) + "}";
        i = end + 1;
      } else if (s[i] === "\\") {
        const cmd = /^\\[a-zA-Z]+/.exec(s.slice(i, i + 40));
        if (!cmd) break;
        out += "{" + cmd[0] + "}";
        i += cmd[0].length;
      } else if (i < s.length) {
        out += "{" + s[i] + "}";
        i++;
      }
    }
  }
  return out;
}

/** Spaces go, except one after a command that a letter follows (`\cot x`, `\pi r`). */
function squeezeSpaces(s: string): string {
  return s.replace(/ +/g, (spaces: string, at: number) => {
    const afterCommand = /\\[a-zA-Z]+$/.test(s.slice(Math.max(0, at - 40), at));
    return afterCommand && /[a-zA-Z]/.test(s[at + spaces.length] ?? "") ? " " : "";
  });
}
