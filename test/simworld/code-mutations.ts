// Realistic wrong code for simworld's code world: one edit of a reference solution, of the
// kinds models make (off-by-one, wrong operator, wrong boundary, missing case, exception).
// Each kind lists the places it could apply; one is drawn. The result may still be right
// (an equivalent mutant), as real mistakes sometimes are.
import type { Rng } from "./rng.js";

export type MutationKind = "off-by-one" | "wrong-operator" | "wrong-boundary" | "missing-case" | "exception";
export const MUTATION_KINDS: readonly MutationKind[] = [
  "off-by-one",
  "wrong-operator",
  "wrong-boundary",
  "missing-case",
  "exception",
];

interface Site {
  start: number;
  end: number;
  text: string;
}

function sites(code: string, re: RegExp, replace: (m: RegExpExecArray) => string | null): Site[] {
  const out: Site[] = [];
  for (const m of code.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`))) {
    const text = replace(m as RegExpExecArray);
    if (text !== null) out.push({ start: m.index!, end: m.index! + m[0].length, text });
  }
  return out;
}

/** Lines that are code, not the signature, a docstring or a comment: where edits may go. */
function editable(code: string, at: number): boolean {
  const lineStart = code.lastIndexOf("\n", at - 1) + 1;
  const line = code.slice(lineStart, code.indexOf("\n", at) < 0 ? code.length : code.indexOf("\n", at));
  if (/^\s*(def|import|from|class|#|@|\*|\/\/|\/\*)/.test(line)) return false;
  // Inside a docstring: an odd number of triple quotes before.
  const before = code.slice(0, at);
  return ((before.match(/"""|'''/g) ?? []).length & 1) === 0;
}

const OPERATOR_SWAPS: [RegExp, string][] = [
  [/ \+ /, " - "],
  [/ - /, " + "],
  [/ \* /, " + "],
  [/ \/\/ /, " % "],
  [/ % /, " // "],
  [/ and /, " or "],
  [/ or /, " and "],
  [/ == /, " != "],
  [/ != /, " == "],
  [/\bmax\(/, "min("],
  [/\bmin\(/, "max("],
  [/ > /, " < "],
  [/ < /, " > "],
];

function candidates(kind: MutationKind, code: string, js: boolean): Site[] {
  switch (kind) {
    case "off-by-one":
      return [
        ...sites(code, /range\(([^()\n]*(?:\([^()\n]*\))?[^()\n]*)\)/, (m) => `range(${m[1]} - 1)`),
        ...sites(code, /len\((\w+)\)/, (m) => `len(${m[1]}) - 1`),
        ...sites(code, /([<>]=?|==) (\d+)\b/, (m) => `${m[1]} ${Number(m[2]) + 1}`),
        ...sites(code, /\[(-?\d+)\]/, (m) => `[${Number(m[1]) + 1}]`),
      ];
    case "wrong-operator":
      return OPERATOR_SWAPS.flatMap(([re, to]) => sites(code, re, () => to));
    case "wrong-boundary":
      return [
        ...sites(code, / <= /, () => " < "),
        ...sites(code, / >= /, () => " > "),
        ...sites(code, / < /, () => " <= "),
        ...sites(code, / > /, () => " >= "),
      ];
    case "missing-case":
      if (js) return sites(code, /^([ \t]*)if \([^\n]*\) \{\n[^\n]*\n\1\}\n/m, () => "");
      // An `if` with a one-line body, dropped with it.
      return sites(code, /^([ \t]*)(if|elif) [^\n]*:[ \t]*\n\1[ \t]+[^\n]+\n/m, (m) => {
        if (m[2] === "elif") return "";
        // Dropping an `if` that an `elif`/`else` continues would not parse.
        const next = code.slice(m.index! + m[0].length).split("\n")[0] ?? "";
        return next.startsWith(`${m[1]}el`) ? null : "";
      });
    case "exception":
      if (js)
        return sites(
          code,
          /^([ \t]*)return ([^\n;]+);/m,
          (m) => `${m[1]}throw new Error("unsupported input");`,
        );
      return [
        ...sites(
          code,
          /^([ \t]*)(if [^\n]*:[ \t]*\n)([ \t]+)[^\n]+/m,
          (m) => `${m[1]}${m[2]}${m[3]}raise ValueError("unsupported input")`,
        ),
        ...sites(code, /^([ \t]*)return ([^\n]+)$/m, (m) => `${m[1]}return int(str(${m[2]}) + "x")`),
      ];
  }
}

/** The code with one mistake of `kind` (or, where that kind has no place, of the next kind that has). */
export function mutate(
  code: string,
  kind: MutationKind,
  rng: Rng,
  language = "python",
): { code: string; kind: MutationKind } | null {
  const start = MUTATION_KINDS.indexOf(kind);
  for (let i = 0; i < MUTATION_KINDS.length; i++) {
    const k = MUTATION_KINDS[(start + i) % MUTATION_KINDS.length]!;
    const places = candidates(k, code, language !== "python").filter((s) => editable(code, s.start));
    if (!places.length) continue;
    const s = places[rng.int(0, places.length - 1)]!;
    return { code: code.slice(0, s.start) + s.text + code.slice(s.end), kind: k };
  }
  return null;
}
