// What the policy is asked: the function (from the stub or the statement), and separately, the
// tests (CodeT: sampled apart from the solutions, so they do not share the solutions' mistakes).
import type { CodeLanguage, CodeTask } from "./types.js";

const NAMES: Record<CodeLanguage, { name: string; fence: string }> = {
  python: { name: "Python", fence: "python" },
  javascript: { name: "JavaScript", fence: "javascript" },
  typescript: { name: "TypeScript", fence: "typescript" },
};

function userTests(task: CodeTask): string {
  const shown = task.tests.filter((t) => t.origin === "assert" || t.origin === "file");
  return shown.length
    ? `\n\nYour code should pass these tests:\n${shown.map((t) => t.source).join("\n")}`
    : "";
}

/** The problem text the policy gets for a code task. */
export function codePrompt(task: CodeTask): string {
  const { name, fence } = NAMES[task.language];
  if (task.stub)
    return (
      `Complete the following ${name} function. Reply with the complete function in one ` +
      "```" +
      `${fence} code block.\n\n` +
      "```" +
      `${fence}\n${task.stub.trimEnd()}\n` +
      "```" +
      userTests(task)
    );
  const statement = task.tests.length
    ? task.source
        .split("\n")
        .filter((l) => !task.tests.some((t) => t.source === l.trimEnd()))
        .join("\n")
        .trim()
    : task.source.trim();
  return (
    `${statement}\nReply with the ${name} code in one ` + "```" + `${fence} code block.${userTests(task)}`
  );
}

/** The phrase that opens a test request (simworld's code world knows it). */
export const TEST_REQUEST = "Write test cases for the following function.";

/** The prompt that asks the policy for tests of the task's function. */
export function testPrompt(task: CodeTask): string {
  const { name, fence } = NAMES[task.language];
  const call = task.entryPoint ?? "the function";
  const form =
    task.language === "python" ? `assert ${call}(...) == ...` : `assert.deepStrictEqual(${call}(...), ...)`;
  return (
    `${TEST_REQUEST} Write 5 ${name} tests, one \`${form}\` statement per line, with concrete ` +
    "arguments and the expected result. Reply with one ```" +
    `${fence} block of asserts only.\n\n${task.stub ?? task.source}`
  );
}
