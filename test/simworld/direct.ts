// simworld's models as a Policy and a Verifier in the same process, without HTTP, for the
// benchmarks that need tens of thousands of searches (bench:sim and bench:auto on the published
// world: 500 problems × n up to 256 would take hours through the server on a 2-core machine).
// They write and score exactly what the server would for the same seeded request (the draws
// are keyed the same way; test/integration/simworld/direct.test.ts checks it); usage counts the
// same pretend tokens. Tests of our endpoints keep talking to the real server.
import type { ExpandRequest, ExpandResult, Policy } from "../../src/core/policy.js";
import type { Problem, Step } from "../../src/core/types.js";
import type { ScoreResult, Verifier } from "../../src/core/verifier.js";
import { modelTable, type ModelOverride, type World } from "./models.js";
import { writeContinuation } from "./policy.js";
import { codeAnswer } from "./code-world.js";
import { countTokensQuick as countTokens } from "./tokens.js";
import { scoreSteps } from "./verify.js";
import { findWorldProblem, inventChain, type Chain } from "./world.js";

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

function chainOf(text: string): Chain {
  return findWorldProblem(text)?.chain ?? inventChain(text);
}

export interface DirectOptions {
  world?: World;
  models?: Record<string, ModelOverride>;
}

/** A simulated policy called in-process; `expand` answers like `/v1/completions` with `n = k`. */
export function directPolicy(model: string, options: DirectOptions = {}): Policy {
  const m = modelTable(options.models, options.world).get(model);
  if (!m || m.role === "prm") throw new Error(`simworld: ${model} is not a writing model`);
  let nonce = 0;
  return {
    model,
    capabilities: { maxN: 256, continuation: true },
    expand(req: ExpandRequest): Promise<ExpandResult> {
      const chain = chainOf(req.problem.text);
      const partial = req.prefix.length ? req.prefix.join(req.delimiter) + req.delimiter : "";
      const prompt = countTokens(SYSTEM + req.problem.text + partial) + 12;
      let completion = 0;
      const call = nonce++;
      const generations = Array.from({ length: req.k }, (_, i) => {
        const key =
          req.temperature <= 0 ? [] : req.seed !== undefined ? ["seed", req.seed, i] : ["nonce", call, i];
        const code = codeAnswer(m, req.problem.text, key);
        if (code !== null) {
          completion += countTokens(code) + 1;
          return { text: code, ended: true };
        }
        const w = writeContinuation({
          model: m,
          chain,
          problem: req.problem.text,
          partial,
          temperature: req.temperature,
          sampleKey: key,
        });
        const steps = req.mode === "step" ? w.steps.slice(0, 1) : w.steps;
        const text = steps.map((s) => s.text).join("\n\n");
        const ended = steps.some((s) => s.kind !== "op") || steps.length === 0;
        completion += countTokens(text) + 1;
        return { text, ended };
      });
      return Promise.resolve({
        generations,
        usage: { promptTokens: prompt * req.k, completionTokens: completion },
      });
    },
  };
}

/** A simulated PRM called in-process; `score` answers like `/pooling`: one score per step. */
export function directVerifier(model: string, options: DirectOptions = {}): Verifier {
  const m = modelTable(options.models, options.world).get(model);
  if (!m || m.role !== "prm") throw new Error(`simworld: ${model} is not a PRM`);
  return {
    kind: m.style === "pooling" ? "vllm-pooling" : "token-logprob",
    model,
    score(problem: Problem, steps: readonly Step[]): Promise<ScoreResult> {
      const scores = scoreSteps({
        verifier: model,
        quality: m.quality,
        chain: chainOf(problem.text),
        problem: problem.text,
        steps,
      });
      const promptTokens = countTokens(SYSTEM + problem.text + steps.join("<extra_0>")) + steps.length + 12;
      return Promise.resolve({ scores, usage: { promptTokens, completionTokens: 0 } });
    },
  };
}
