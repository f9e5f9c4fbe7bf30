/**
 * Decides what a solution's final answer is and which answers are the same. Every strategy
 * votes through one; the math grader (src/core/answers) is the real implementation.
 */
export interface AnswerKey {
  /** The final answer a solution states, or null when it states none. */
  extract(solution: string): string | null;
  /** One vote-group id per answer; equivalent answers get the same id. */
  group(answers: readonly string[]): string[];
}

/** The content of the last `\boxed{...}`, braces matched. */
function lastBoxed(text: string): string | null {
  const at = text.lastIndexOf("\\boxed{");
  if (at < 0) return null;
  let depth = 0;
  for (let i = at + "\\boxed".length; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(at + "\\boxed{".length, i).trim();
  }
  return null;
}

/** Exact-string answers from the last `\boxed{}`: the fallback when no grader is given. */
export const exactAnswerKey: AnswerKey = {
  extract: lastBoxed,
  group: (answers) => answers.map((a) => a.replace(/\s+/g, "")),
};
