// Verifier-side views of a prompt: where a Math-Shepherd PRM's '+'/'-' verdicts sit among the
// prompt tokens (for vLLM `prompt_logprobs`), and the `<extra_0>` scores of the pooling PRMs.
import { rlhflowSteps, tagScores } from "./behaviour.js";
import type { TokenChoice } from "./generate.js";
import type { SimModel } from "./models.js";
import { scoreSteps } from "./verify.js";
import { SPECIAL_IDS, type Token } from "./tokens.js";

/** The distribution a shepherd PRM puts on the token after a step tag, given P('+'). */
export function verdictDistribution(pGood: number): TokenChoice[] {
  return [
    { id: SPECIAL_IDS["+"] ?? 648, text: "+", logprob: Math.log(Math.max(0.985 * pGood, 1e-9)) },
    { id: SPECIAL_IDS["-"] ?? 387, text: "-", logprob: Math.log(Math.max(0.985 * (1 - pGood), 1e-9)) },
    { id: SPECIAL_IDS["\n"] ?? 13, text: "\n", logprob: Math.log(0.01) },
    { id: 1300001, text: " ", logprob: Math.log(0.005) },
  ].sort((a, b) => b.logprob - a.logprob);
}

/**
 * Prompt positions whose next-token distribution is a verdict: the token after each `ки`, and
 * in RLHFlow-style chats the '+'/'-' the assistant turns hold. Other models: none.
 */
export function scoredPositions(tokens: readonly Token[], model: SimModel): Map<number, TokenChoice[]> {
  const out = new Map<number, TokenChoice[]>();
  if (model.role !== "prm" || model.style !== "shepherd") return out;
  const text = tokens.map((t) => t.text).join("");
  if (text.includes("ки")) {
    const scores = tagScores(model, text, "ки");
    let tag = 0;
    tokens.forEach((t, i) => {
      if (t.text !== "ки") return;
      const p = scores[tag++];
      if (p !== undefined && i + 1 < tokens.length) out.set(i + 1, verdictDistribution(p));
    });
    return out;
  }
  // RLHFlow: <|im_start|> assistant \n (+|-) <|im_end|>
  let offset = 0;
  tokens.forEach((t, i) => {
    const before = text.slice(0, offset);
    offset += t.text.length;
    if ((t.text !== "+" && t.text !== "-") || !before.endsWith("<|im_start|>assistant\n")) return;
    const turns = rlhflowSteps(before);
    if (!turns || !turns.steps.length) return;
    const scores = scoreSteps({
      verifier: model.id,
      quality: model.quality,
      chain: turns.chain,
      problem: turns.problem,
      steps: turns.steps,
    });
    const p = scores[scores.length - 1];
    if (p !== undefined) out.set(i, verdictDistribution(p));
  });
  return out;
}
