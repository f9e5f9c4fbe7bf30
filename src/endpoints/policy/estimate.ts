import type { Usage } from "../../core/index.js";

/**
 * A rough token count (4 characters a token) for servers that report no usage in a stream,
 * so that cost accounting is not silently zero. Real counts replace it whenever present.
 */
export function estimateUsage(
  usage: Usage | undefined,
  promptText: string,
  outputs: readonly string[],
): Usage {
  if (usage) return usage;
  const tokens = (s: string): number => Math.ceil(s.length / 4);
  return { promptTokens: tokens(promptText), completionTokens: outputs.reduce((a, o) => a + tokens(o), 0) };
}
