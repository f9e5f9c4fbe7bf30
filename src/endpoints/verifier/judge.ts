import type { Problem, ScoreResult, Usage } from "../../core/index.js";
import { parseChatResponse } from "../adapters/choices.js";
import { binaryProbability, labelOf } from "../adapters/logprobs.js";
import type { ServerFlavour } from "../adapters/models.js";
import { addUsage, NO_USAGE, parseUsage } from "../adapters/usage.js";
import { HttpVerifier } from "./base.js";
import type { EndpointClient } from "../client.js";
import { EndpointError } from "../errors.js";
import { maxTokensField } from "../policy/chat-route.js";
import { StepScoreCache } from "./step-cache.js";

export const JUDGE_SYSTEM_PROMPT =
  "You check solutions to math problems one step at a time. You are shown a problem and the " +
  "steps of a solution so far. Decide whether the last step is correct, given the steps before " +
  "it. Answer with one word: Yes or No.";

const YES = { texts: ["yes", "y", "correct", "true"] };
const NO = { texts: ["no", "n", "incorrect", "wrong", "false"] };
/** Sampled verdicts per step when the server gives no log-probabilities. */
const VOTES = 5;

/**
 * Any chat model as a verifier: for each step, it is asked whether that step (after the ones
 * before it) is correct, and the score is P(yes) against P(no) from the first token's
 * `top_logprobs`. Where the server returns no log-probabilities, or neither word is among them,
 * the score is the share of "yes" among a few sampled verdicts instead; a step on which no
 * verdict can be read at all fails (an EndpointError saying what the model answered). Verdicts
 * on steps already seen are reused.
 */
export class JudgeVerifier extends HttpVerifier {
  readonly kind = "llm-judge" as const;
  private readonly cache = new StepScoreCache();
  /** False once the server has answered without log-probabilities. */
  private logprobs = true;

  constructor(
    client: EndpointClient,
    model: string,
    private readonly flavour: ServerFlavour,
  ) {
    super(client, model);
  }

  protected async scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    let usage = NO_USAGE;
    const scores = await Promise.all(
      steps.map(async (_, i) => {
        const key = this.cache.key(problem, steps, i);
        const cached = this.cache.get(key);
        if (cached !== undefined) return cached;
        const r = await this.judge(problem, steps, i, signal);
        this.cache.set(key, r.score);
        usage = addUsage(usage, r.usage);
        return r.score;
      }),
    );
    return { scores, usage };
  }

  private messages(
    problem: Problem,
    steps: readonly string[],
    index: number,
  ): { role: string; content: string }[] {
    const shown = steps
      .slice(0, index + 1)
      .map((s, i) => `Step ${i + 1}: ${s}`)
      .join("\n\n");
    return [
      { role: "system", content: JUDGE_SYSTEM_PROMPT },
      {
        role: "user",
        content: `Problem:\n${problem.text}\n\nSolution so far:\n\n${shown}\n\nIs step ${index + 1} correct? Answer Yes or No.`,
      },
    ];
  }

  private async judge(
    problem: Problem,
    steps: readonly string[],
    index: number,
    signal?: AbortSignal,
  ): Promise<{ score: number; usage: Usage }> {
    const messages = this.messages(problem, steps, index);
    let usage = NO_USAGE;
    if (this.logprobs) {
      const body = {
        model: this.model,
        messages,
        [maxTokensField(this.flavour)]: 1,
        temperature: 0,
        logprobs: true,
        top_logprobs: 10,
      };
      const r = await this.client.json("/v1/chat/completions", body, { signal, usage: parseUsage });
      usage = addUsage(usage, parseUsage(r.value));
      const choice = parseChatResponse(r.value).choices[0];
      const top = choice?.logprobs[0]?.top ?? [];
      const p = top.length ? binaryProbability(top, YES, NO) : null;
      if (p !== null) return { score: p, usage };
      if (!top.length) this.logprobs = false;
    }
    const votes = await this.sampleVerdicts(messages, index, signal);
    return { score: votes.score, usage: addUsage(usage, votes.usage) };
  }

  /**
   * Share of "yes" among sampled verdicts (n where the server honours it, parallel calls where
   * not). Throws when not one verdict could be read: a model that does not answer yes or no
   * tells nothing about the step, and a made-up score would steer the search unseen.
   */
  private async sampleVerdicts(
    messages: { role: string; content: string }[],
    index: number,
    signal?: AbortSignal,
  ): Promise<{ score: number; usage: Usage }> {
    const batched = this.flavour === "vllm" || this.flavour === "sglang" || this.flavour === "openai";
    const body = (n: number): Record<string, unknown> => ({
      model: this.model,
      messages,
      [maxTokensField(this.flavour)]: 4,
      temperature: 1,
      ...(n > 1 ? { n } : {}),
    });
    const calls = batched ? [VOTES] : Array.from({ length: VOTES }, () => 1);
    const results = await Promise.all(
      calls.map((n) => this.client.json("/v1/chat/completions", body(n), { signal, usage: parseUsage })),
    );
    let usage = NO_USAGE;
    let yes = 0;
    let counted = 0;
    const answers: string[] = [];
    for (const r of results) {
      usage = addUsage(usage, parseUsage(r.value));
      for (const c of parseChatResponse(r.value).choices) {
        answers.push(c.text);
        const word = labelOf(c.text.trim().split(/[\s.,!:;]+/)[0] ?? "").toLowerCase();
        if (YES.texts.includes(word)) yes++;
        if (YES.texts.includes(word) || NO.texts.includes(word)) counted++;
      }
    }
    if (!counted)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url: results[0]?.url ?? this.client.roots[0]!,
        what:
          `gave no Yes/No verdict on step ${index + 1}: the judge model "${this.model}" answered ` +
          quoteAnswers(answers),
        hint:
          "The llm-judge verifier needs a chat model that follows the instruction to answer Yes or No " +
          "(an instruct model, not a base or a reward model): set another verifier model, or another verifier kind.",
      });
    return { score: yes / counted, usage };
  }
}

/** What the model said, briefly and distinctly, for the message: `"Maybe", "" (nothing)`. */
function quoteAnswers(answers: readonly string[]): string {
  const distinct = [...new Set(answers.map((a) => a.trim()))];
  if (!distinct.length) return "with no choices";
  const shown = distinct
    .slice(0, 3)
    .map((a) => (a ? JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a) : '"" (nothing)'));
  return shown.join(", ") + (distinct.length > 3 ? `, … (${distinct.length} different answers)` : "");
}
