import type { Usage } from "../../core/index.js";
import type { Choice } from "../adapters/choices.js";

/**
 * A route's samples with their usage: the server's count, or where it reported none (some
 * streams do not) a rough one (4 characters a token), so cost accounting is not silently zero.
 */
export function withUsage(
  answer: { choices: Choice[]; usage?: Usage },
  promptText: string,
): { choices: Choice[]; usage: Usage } {
  const { choices, usage } = answer;
  if (usage) return { choices, usage };
  const tokens = (s: string): number => Math.ceil(s.length / 4);
  return {
    choices,
    usage: {
      promptTokens: tokens(promptText),
      completionTokens: choices.reduce((a, c) => a + tokens(c.text), 0),
    },
  };
}
