// What each simulated model writes for a rendered prompt: a policy continues the solution; the
// judge answers Yes/No when asked about a solution; the Math-Shepherd PRM answers '+'/'-' after
// a step tag; the pooling PRMs score `<extra_0>`-tagged steps and do not generate.
import type { Draft, Verdict } from "./generate.js";
import { pickVerdict } from "./generate.js";
import type { JudgeModel, PrmModel, SimModel } from "./models.js";
import { writeContinuation } from "./policy.js";
import { codeAnswer } from "./code-world.js";
import { parsePrompt, solveTask, splitProblemAndSolution } from "./prompt.js";
import { rngFor } from "./rng.js";
import { judgedSteps, labelSteps, scoreSteps } from "./verify.js";
import { findWorldProblem, inventChain, type Chain } from "./world.js";

export class NotGenerativeError extends Error {}

/** The draft one choice of a generation request gets. */
export function draftFor(
  model: SimModel,
  prompt: string,
  temperature: number,
  key: readonly (string | number)[],
): Draft {
  if (model.role === "prm" && model.style === "pooling")
    throw new NotGenerativeError(
      `${model.id} is a pooling (reward) model and does not generate text; use /pooling`,
    );
  const parsed = parsePrompt(prompt);
  if (model.role === "prm") {
    const score = shepherdFinalScore(model, prompt);
    const verdict: Verdict = {
      options: [
        ["+", 0.985 * score],
        ["-", 0.985 * (1 - score)],
        ["\n", 0.01],
        [" ", 0.005],
      ],
    };
    return { text: pickVerdict(verdict, temperature, rngFor("verdict", model.id, prompt, ...key)), verdict };
  }
  if (model.role === "judge") {
    const asked = parsed.messages.filter((m) => m.role !== "system").map((m) => m.content);
    const judged = judgeQuestion(model, [...asked, parsed.openAssistant ?? ""].join("\n\n"));
    if (judged !== null) {
      const verdict: Verdict = {
        options: [
          ["Yes", 0.95 * judged],
          ["No", 0.95 * (1 - judged)],
          [" Yes", 0.02],
          ["yes", 0.015],
          ["The", 0.015],
        ],
      };
      return {
        text: pickVerdict(verdict, temperature, rngFor("verdict", model.id, prompt, ...key)),
        verdict,
      };
    }
  }
  // A known code task (HumanEval, MBPP, our JavaScript functions) gets code, not arithmetic.
  const code = codeAnswer(model, prompt, key);
  if (code !== null) return { text: code };
  const task = solveTask(parsed);
  const written = writeContinuation({
    model,
    chain: task.chain,
    problem: task.problem,
    partial: task.partial,
    temperature,
    sampleKey: key,
  });
  return { text: written.text };
}

// ---------------------------------------------------------------------------------------------
// The judge.

const ASKS_YES_NO = /\b(yes|no)\b/i;

/**
 * P(the judged solution is right so far) when the text asks a yes/no question about a
 * solution to a problem; null when it is not such a question.
 */
export function judgeQuestion(model: JudgeModel, text: string): number | null {
  if (!ASKS_YES_NO.test(text)) return null;
  const { problem, chain, solution } = splitProblemAndSolution(text);
  const steps = judgedSteps(solution);
  if (!steps.length) return null;
  const labels = labelSteps(chain, steps);
  let last = -1;
  labels.forEach((l, i) => {
    if (l !== null) last = i;
  });
  const judged = last >= 0 ? steps.slice(0, last + 1) : steps;
  const scores = scoreSteps({ verifier: model.id, quality: model.quality, chain, problem, steps: judged });
  return scores[scores.length - 1] ?? 0.5;
}

// ---------------------------------------------------------------------------------------------
// Tagged steps: `<extra_0>` for the pooling PRMs, `ки` for Math-Shepherd.

export interface TaggedSteps {
  problem: string;
  chain: Chain;
  /** One step per tag, in order. */
  steps: string[];
  /** Offset of the character right after each tag. */
  after: number[];
  /** Tags before the solution (inside the problem): they still count, with a step of their own. */
  strayTags: number;
}

function problemOf(text: string): { problem: string; chain: Chain; solutionStart: number } {
  const parsed = parsePrompt(text);
  if (parsed.template !== "raw") {
    // The solution is the last assistant turn (open or closed); the problem the user turn before it.
    const marker = text.lastIndexOf("<|im_start|>assistant\n");
    const head = marker >= 0 ? text.slice(0, marker) : text;
    const users = parsePrompt(head).messages.filter((m) => m.role === "user");
    const user = users[users.length - 1]?.content ?? head;
    const found = findWorldProblem(user);
    const problem = found ? user.slice(found.start, found.end) : user.trim();
    return {
      problem,
      chain: found ? found.chain : inventChain(problem),
      solutionStart: marker >= 0 ? marker + "<|im_start|>assistant\n".length : 0,
    };
  }
  const { problem, chain, solution } = splitProblemAndSolution(text);
  return { problem, chain, solutionStart: text.length - solution.length };
}

const STEP_LABEL = /^\s*(Step \d+:)\s*/;

export function taggedSteps(text: string, tag: string): TaggedSteps {
  const { problem, chain, solutionStart } = problemOf(text);
  const steps: string[] = [];
  const after: number[] = [];
  let strayTags = 0;
  let from = solutionStart;
  for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length)) {
    after.push(at + tag.length);
    if (at < solutionStart) {
      strayTags++;
      continue;
    }
    steps.push(
      text
        .slice(from, at)
        .replace(STEP_LABEL, "")
        .replace(/<\|im_end\|>[\s\S]*$/, "")
        .trim(),
    );
    from = at + tag.length;
  }
  return { problem, chain, steps, after, strayTags };
}

/** One score per tag (stray tags inside the problem get an uninformed score). */
export function tagScores(model: PrmModel, text: string, tag: string): number[] {
  const t = taggedSteps(text, tag);
  const scores = scoreSteps({
    verifier: model.id,
    quality: model.quality,
    chain: t.chain,
    problem: t.problem,
    steps: t.steps,
  });
  const stray = Array.from(
    { length: t.strayTags },
    (_, i) => 0.3 + 0.4 * rngFor("stray", model.id, text, i).next(),
  );
  return [...stray, ...scores];
}

/**
 * The Math-Shepherd PRM's P('+') for the last step: the step before a trailing `ки`, or, in
 * RLHFlow-style chats (step as a user turn, '+'/'-' as the assistant's reply), the last user turn.
 */
export function shepherdFinalScore(model: PrmModel, text: string): number {
  if (text.includes("ки")) {
    const scores = tagScores(model, text, "ки");
    return scores[scores.length - 1] ?? 0.5;
  }
  const turns = rlhflowSteps(text);
  if (!turns) return 0.5;
  const scores = scoreSteps({
    verifier: model.id,
    quality: model.quality,
    chain: turns.chain,
    problem: turns.problem,
    steps: turns.steps,
  });
  return scores[scores.length - 1] ?? 0.5;
}

/** RLHFlow-style conversation: user turns are steps (the first also holds the problem). */
export function rlhflowSteps(text: string): { problem: string; chain: Chain; steps: string[] } | null {
  const parsed = parsePrompt(text);
  const users = parsed.messages.filter((m) => m.role === "user").map((m) => m.content);
  if (parsed.template === "raw" || !users.length) return null;
  const first = splitProblemAndSolution(users[0] ?? "");
  const steps = [first.solution.trim(), ...users.slice(1).map((u) => u.trim())].filter(Boolean);
  return { problem: first.problem, chain: first.chain, steps };
}
