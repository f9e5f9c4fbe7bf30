import { continuationPrefix, type Problem } from "../../core/index.js";
import type { ChatMessage } from "../chat-template.js";

/** The system prompt of the Qwen2.5-Math models and the PRM papers' default. */
export const DEFAULT_SYSTEM_PROMPT =
  "Please reason step by step, and put your final answer within \\boxed{}.";

/** System (unless empty) and user turns of a problem. */
export function problemMessages(problem: Problem, systemPrompt: string | undefined): ChatMessage[] {
  const system = systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
  return [
    ...(system ? [{ role: "system" as const, content: system }] : []),
    { role: "user", content: problem.text },
  ];
}

/**
 * The partial assistant message to continue: the steps so far joined by the delimiter plus a
 * trailing delimiter, so the next token starts a fresh step. Empty for a fresh solution.
 */
export function assistantPrefix(prefix: readonly string[], delimiter: string): string {
  return continuationPrefix(prefix, delimiter);
}
