/** The default step delimiter: a blank line, as the PRMs and reference searches use. */
export const DEFAULT_DELIMITER = "\n\n";

/** Splits a solution into steps at the delimiter; blank steps are dropped. */
export function splitSteps(text: string, delimiter: string = DEFAULT_DELIMITER): string[] {
  if (!delimiter) return text.trim() ? [text.trim()] : [];
  return text
    .split(delimiter)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Joins steps into solution text. */
export function joinSteps(steps: readonly string[], delimiter: string = DEFAULT_DELIMITER): string {
  return steps.join(delimiter);
}

/**
 * The text of an unfinished solution to continue: its steps and a trailing delimiter, so the
 * policy starts a fresh step. Empty when there are no steps yet.
 */
export function continuationPrefix(steps: readonly string[], delimiter: string = DEFAULT_DELIMITER): string {
  return steps.length ? joinSteps(steps, delimiter) + delimiter : "";
}
