import { continuationPrefix, type Problem } from "../../core/index.js";
import type { ChatMessage } from "../chat-template.js";

/** The system prompt of the Qwen2.5-Math models and the PRM papers' default. */
export const DEFAULT_SYSTEM_PROMPT =
  "Please reason step by step, and put your final answer within \\boxed{}.";

/** System (unless empty) turn, the conversation's earlier turns, and the problem's user turn. */
export function problemMessages(problem: Problem, systemPrompt: string | undefined): ChatMessage[] {
  const system = systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
  return [
    ...(system ? [{ role: "system" as const, content: system }] : []),
    ...(problem.context ?? []).map((t) => ({ role: t.role, content: t.content })),
    { role: "user", content: problem.text },
  ];
}

/** What a rendered prompt depends on besides the template: the text, and the turns before it. */
export function promptKey(problem: Problem): string {
  return problem.context?.length ? JSON.stringify([problem.context, problem.text]) : problem.text;
}

/**
 * The partial assistant message to continue: the steps so far joined by the delimiter plus a
 * trailing delimiter, so the next token starts a fresh step. Empty for a fresh solution.
 */
export function assistantPrefix(prefix: readonly string[], delimiter: string): string {
  return continuationPrefix(prefix, delimiter);
}
