// The computer-algebra side: @cortex-js/compute-engine parses LaTeX into MathJSON, and decides
// equality where our own evaluator cannot. Its parser is exponential on unbalanced brackets,
// writes out every digit of `1e100000000` (seconds, then out of memory), and its evaluator can
// run for minutes on giant powers or library functions, so everything it sees is guarded.
import { ComputeEngine } from "@cortex-js/compute-engine";
import type { AnswerLimits } from "./limits.js";

let engine: ComputeEngine | null = null;
/** Built on first use: importing the grader stays cheap. */
function ce(): ComputeEngine {
  engine ??= new ComputeEngine();
  return engine;
}

/** Whether the engine has been built (tests check that plain numbers never build it). */
export const casBuilt = (): boolean => engine !== null;

export type ParseResult = { json: unknown } | { error: string };

/** Parses one scalar's LaTeX into (non-canonical) MathJSON, or says why it will not. */
export function parseLatex(latex: string, limits: AnswerLimits): ParseResult {
  if (latex.length > limits.maxCasLength)
    return { error: `an expression longer than ${limits.maxCasLength} characters is not parsed` };
  const unknown = unknownCommand(latex);
  if (unknown) return { error: `it uses ${unknown}, which the grader does not read` };
  const shape = bracketShape(latex);
  if (shape === null) return { error: "unbalanced brackets" };
  if (shape > limits.maxNesting) return { error: `brackets nested deeper than ${limits.maxNesting}` };
  const huge = hugeExponent(latex, limits);
  if (huge) return { error: huge };
  let json: unknown;
  try {
    // Not canonical: CE's canonical form folds big numbers in floating point (10^{1000}/10^{999} → 0).
    json = ce().parse(latex, { canonical: false }).json;
  } catch (e) {
    return { error: `the parser failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const size = treeSize(json, 0, limits.maxNodes);
  if (size > limits.maxNodes) return { error: `an expression with more than ${limits.maxNodes} parts` };
  if (containsHead(json, "Error")) return { error: "LaTeX the parser could not read" };
  return { json };
}

/**
 * Commands an answer uses and the parser reads in linear time. Others (`\int`, for one, is
 * exponential when repeated) are not parsed; such answers compare as normalized strings.
 */
const COMMANDS = new Set(
  (
    "frac sqrt pi cdot times div sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp " +
    "infty lfloor rfloor lceil rceil overline operatorname bmod mod ldots cdots dots " +
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma " +
    "tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
  ).split(" "),
);

/**
 * Scientific notation (`1e100000000`, `1.5E+7`, `2\times 10^{9}`, `3 \cdot 10^5`): CE's parser
 * folds it into one number and writes that number out digit by digit, so an exponent of 10^8
 * costs seconds and 600 MB, and 4·10^8 kills the process. An exponent whose power of ten is past
 * the exact-integer cap could only become a float (Infinity or 0) anyway, so it is not parsed.
 * `10^{n}` on its own stays a power, which the evaluator bounds itself.
 */
const SCIENTIFIC = /(?:[\d.]\s*[eE]|\\(?:times|cdot)\s*10\s*\^\s*\{?)\s*[+-]?\s*(\d+)/g;

function hugeExponent(latex: string, limits: AnswerLimits): string | null {
  const max = maxDecimalExponent(limits);
  for (const m of latex.matchAll(SCIENTIFIC)) {
    const digits = m[1]!.replace(/^0+/, "");
    if (digits.length > String(max).length || Number(digits) > max)
      return `a number with a power-of-ten exponent past ${max} is not parsed`;
  }
  return null;
}

/** The largest power of ten that stays an exact integer under the bit cap (9864 for 32 768 bits). */
function maxDecimalExponent(limits: AnswerLimits): number {
  return Math.floor(limits.maxBits * Math.log10(2));
}

function unknownCommand(latex: string): string | null {
  for (const m of latex.matchAll(/\\([a-zA-Z]+)/g)) if (!COMMANDS.has(m[1]!)) return `\\${m[1]}`;
  return null;
}

/**
 * The nesting depth when every `(`/`)`, `[`/`]`, `{`/`}` and `\{`/`\}` pairs up properly and `|`
 * bars come in pairs; null otherwise.
 */
function bracketShape(latex: string): number | null {
  const stack: string[] = [];
  let max = 0;
  let bars = 0;
  for (let i = 0; i < latex.length; i++) {
    let ch = latex[i]!;
    if (ch === "\\") {
      const next = latex[i + 1];
      i++;
      if (next !== "{" && next !== "}") continue;
      ch = "\\" + next;
    }
    if (ch === "(" || ch === "[" || ch === "{" || ch === "\\{") {
      stack.push(ch);
      max = Math.max(max, stack.length);
    } else if (ch === ")" || ch === "]" || ch === "}" || ch === "\\}") {
      const open = stack.pop();
      const want = ch === ")" ? "(" : ch === "]" ? "[" : ch === "}" ? "{" : "\\{";
      if (open !== want) return null;
    } else if (ch === "|") bars++;
  }
  return stack.length === 0 && bars % 2 === 0 ? max : null;
}

function treeSize(json: unknown, count: number, cap: number): number {
  if (count > cap) return count;
  if (!Array.isArray(json)) return count + 1;
  let n = count + 1;
  for (const part of json) {
    n = treeSize(part, n, cap);
    if (n > cap) break;
  }
  return n;
}

function containsHead(json: unknown, head: string): boolean {
  return Array.isArray(json) && (json[0] === head || json.some((part) => containsHead(part, head)));
}

/**
 * CE's own equality check, for expressions our evaluator cannot handle. Only for small trees
 * of known cheap functions without large numbers, powers or factorials: evaluating those, or a
 * library function such as `\operatorname{IsPrime}(1000000007)` or `Sum`, can take CE minutes.
 */
export function casEqual(a: unknown, b: unknown): boolean {
  if (!safeForCas(a) || !safeForCas(b)) return false;
  try {
    return (
      ce()
        .box(a as never)
        .isEqual(ce().box(b as never)) === true
    );
  } catch {
    return false;
  }
}

/** Heads CE evaluates quickly on small arguments. */
const CAS_HEADS = new Set(
  (
    "Add Subtract Negate Multiply InvisibleOperator Divide Rational Power Square Sqrt Root Exp Ln Log " +
    "Lb Lg Sin Cos Tan Cot Sec Csc Arcsin Arccos Arctan Sinh Cosh Tanh Abs Floor Ceil Complex " +
    "Delimiter Sequence Factorial Factorial2 OverBar"
  ).split(" "),
);

function safeForCas(json: unknown): boolean {
  if (typeof json === "number") return Math.abs(json) < 1e12;
  if (typeof json === "string") return true;
  if (!Array.isArray(json)) return false;
  const [head, ...args] = json;
  if (typeof head !== "string" || !CAS_HEADS.has(head)) return false;
  if (head === "Factorial" || head === "Factorial2") {
    if (!(typeof args[0] === "number" && args[0] <= 20)) return false;
  } else if (head === "Power" || head === "Root") {
    const small = args.slice(1).every((x) => typeof x === "number" && Math.abs(x) <= 64);
    if (!small && !args.slice(1).every((x) => typeof x === "string")) return false;
  }
  return args.every(safeForCas);
}
