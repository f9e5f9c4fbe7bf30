// An answer string read once into everything comparisons need: shape, scalars, values.
import { nestingDepth } from "./latex-scan.js";
import { Budget, LimitExceeded, type AnswerLimits } from "./limits.js";
import { normalizeAnswer } from "./normalize.js";
import { complex } from "./complex.js";
import { analyzeScalar, linearRoot, type Scalar } from "./scalar.js";
import { parseShape, type AnswerShape, type Relation } from "./structure.js";

export type Analyzed =
  /** `equation`: written `x = …`, kept as the scalar lhs - rhs to compare with equations. */
  | { kind: "scalar"; scalar: Scalar; equation?: Scalar }
  | { kind: "text"; text: string }
  | { kind: "tuple"; open: string; close: string; items: Analyzed[] }
  | { kind: "set"; items: Analyzed[]; assigned?: true }
  | { kind: "union"; items: Analyzed[] }
  | { kind: "matrix"; rows: Analyzed[][] }
  /** `lhs op rhs`, kept as the scalar lhs - rhs. */
  | { kind: "relation"; op: Relation; difference: Scalar }
  /** Could not be read within the limits: equal only to the identical string. */
  | { kind: "invalid"; reason: string };

export interface AnalyzedAnswer {
  /** The normalized string. */
  normalized: string;
  value: Analyzed;
}

/** Normalizes and reads an answer; never throws. */
export function analyzeAnswer(answer: string, limits: AnswerLimits, now: () => number): AnalyzedAnswer {
  if (answer.length > limits.maxAnswerLength) {
    const reason = `the answer is longer than ${limits.maxAnswerLength} characters`;
    return { normalized: answer, value: { kind: "invalid", reason } };
  }
  const normalized = normalizeAnswer(answer);
  if (nestingDepth(normalized) > limits.maxNesting) {
    return {
      normalized,
      value: { kind: "invalid", reason: `brackets nested deeper than ${limits.maxNesting}` },
    };
  }
  const budget = new Budget(limits, now);
  try {
    return { normalized, value: analyzeShape(parseShape(normalized), budget) };
  } catch (e) {
    if (e instanceof LimitExceeded) return { normalized, value: { kind: "invalid", reason: e.message } };
    return {
      normalized,
      value: { kind: "invalid", reason: `reading it failed: ${e instanceof Error ? e.message : e}` },
    };
  }
}

function analyzeShape(shape: AnswerShape, budget: Budget): Analyzed {
  budget.spend();
  switch (shape.kind) {
    case "scalar": {
      const scalar = analyzeScalar(shape.latex, budget);
      if (!shape.equation) return { kind: "scalar", scalar };
      const { lhs, rhs } = shape.equation;
      return { kind: "scalar", scalar, equation: analyzeScalar(`(${lhs})-(${rhs})`, budget) };
    }
    case "text":
      return shape;
    case "tuple":
      return { ...shape, items: shape.items.map((s) => analyzeShape(s, budget)) };
    case "set":
      return { ...shape, items: shape.items.map((s) => analyzeShape(s, budget)) };
    case "union":
      return { kind: shape.kind, items: shape.items.map((s) => analyzeShape(s, budget)) };
    case "matrix":
      return { kind: "matrix", rows: shape.rows.map((row) => row.map((s) => analyzeShape(s, budget))) };
    case "relation": {
      const difference = analyzeScalar(`(${shape.lhs})-(${shape.rhs})`, budget);
      return (
        (shape.op === "<" || shape.op === "\\le" ? linearInterval(difference, shape.op) : null) ?? {
          kind: "relation",
          op: shape.op,
          difference,
        }
      );
    }
  }
}

/**
 * An inequality linear in one variable is the interval it describes: `-x > -3` and `2x < 6` are
 * `x < 3`, that is `(-\infty, 3)`, whichever way they are written (so equality stays transitive).
 * The bound is a double: it equals an exact one within the relative tolerance.
 */
function linearInterval(difference: Scalar, op: "<" | "\\le"): Analyzed | null {
  const line = linearRoot(difference);
  if (!line) return null;
  const bound: Analyzed = {
    kind: "scalar",
    scalar: { latex: `\\approx ${line.root}`, decimal: true, variables: [], probes: [complex(line.root)] },
  };
  const infinity = (sign: 1 | -1): Analyzed => ({
    kind: "scalar",
    scalar: { latex: sign > 0 ? "\\infty" : "-\\infty", decimal: false, variables: [], infinity: sign },
  });
  const closed = op === "\\le";
  // difference < 0: below the root when it rises, above it when it falls.
  return line.slope > 0
    ? { kind: "tuple", open: "(", close: closed ? "]" : ")", items: [infinity(-1), bound] }
    : { kind: "tuple", open: closed ? "[" : "(", close: ")", items: [bound, infinity(1)] };
}
