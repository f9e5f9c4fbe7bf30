import type { BatchScoreResult, Problem, ScoreResult, Usage } from "../../core/index.js";
import { parseChatResponse, parseCompletionResponse, StreamedOllamaGenerate } from "../adapters/choices.js";
import {
  binaryProbability,
  labelOf,
  readLogprobs,
  readPromptLogprobs,
  type TopLogprob,
} from "../adapters/logprobs.js";
import type { ServerFlavour } from "../adapters/models.js";
import { asArray, isObject } from "../adapters/shape.js";
import { addUsage, NO_USAGE, parseUsage } from "../adapters/usage.js";
import { HttpVerifier } from "./base.js";
import type { EndpointClient } from "../client.js";
import { EndpointError } from "../errors.js";
import { countRequests } from "../request-count.js";
import { StepScoreCache } from "./step-cache.js";

/**
 * How the PRM reads a solution:
 * - `math-shepherd`: the problem, then each step followed by the tag " ки", steps on their own
 *   lines; the score of a step is P('+') against P('-') at the token after its tag;
 * - `rlhflow`: a chat where each step is a user turn (the first prefixed by the problem) and
 *   each is answered by an assistant turn; the score is P('+') against P('-') for that answer.
 */
export type TokenPrmFormat = "math-shepherd" | "rlhflow";

export const SHEPHERD_TAG = "ки";
const TOP_K = 20;
/**
 * Paths in one vLLM request: its answer carries the top-20 log-probabilities of every prompt
 * token of every path (tens of kB a path), so a batch stays a few MB.
 */
export const SHEPHERD_BATCH = 16;

/** The '+' and '-' labels, matched by token text. */
interface Labels {
  good: { texts: string[]; ids?: number[] };
  bad: { texts: string[]; ids?: number[] };
}

/**
 * The labels of a PRM: by token id where its ids are known (Math-Shepherd's model card: '+' is
 * 648, '-' is 387; docs/reference/serving-apis.md §2.3), so where a server returns ids (vLLM prompt logprobs,
 * llama.cpp) only those tokens count, as the model's own scoring code reads them (§7.3).
 * Other models, and candidates without ids, are matched by text.
 */
export function labelsFor(model: string): Labels {
  const known = /math-shepherd/i.test(model);
  return {
    good: { texts: ["+"], ...(known ? { ids: [648] } : {}) },
    bad: { texts: ["-"], ...(known ? { ids: [387] } : {}) },
  };
}

/**
 * From a vLLM completions response with `prompt_logprobs` and `return_token_ids` for a
 * Math-Shepherd prompt: the candidates for the token after each `ки` tag — from the prompt
 * logprobs for every tag but the last, from the one generated token for the last. Null when the
 * response lacks ids or its tags do not number `steps`.
 */
export function shepherdTagDistributions(body: unknown, steps: number, prompt = 0): TopLogprob[][] | null {
  const b = isObject(body) ? body : {};
  const choices = asArray(b.choices);
  // One choice per prompt of a list (n = 1), each with its own prompt logprobs.
  const found = choices.find((c) => isObject(c) && c.index === prompt) ?? choices[prompt];
  const choice = isObject(found) ? found : {};
  const positions = readPromptLogprobs(
    choice.prompt_logprobs ?? b.prompt_logprobs,
    choice.prompt_token_ids ?? b.prompt_token_ids,
  );
  if (!positions) return null;
  const tags = positions.flatMap((p, i) => (labelOf(p.token ?? "") === SHEPHERD_TAG ? [i] : []));
  if (tags.length !== steps) return null;
  const generated = readLogprobs(choice.logprobs)[0]?.top ?? [];
  return tags.map((at) => (at + 1 < positions.length ? positions[at + 1]!.top : generated));
}

/** RLHFlow's PRMs by name; everything else is read as Math-Shepherd. */
export function tokenPrmFormatFor(model: string): TokenPrmFormat {
  return /rlhflow|llama3\.1-8b-prm/i.test(model) ? "rlhflow" : "math-shepherd";
}

/** A tag written inside a step would shift the tags, so it is removed first. */
const cleanSteps = (steps: readonly string[]): string[] =>
  steps.map((s) => s.split(SHEPHERD_TAG).join("").trim());

interface StepCall {
  score: number;
  usage?: Usage;
}

/**
 * A causal-LM PRM read through token log-probabilities. On vLLM, a Math-Shepherd path is scored
 * in one request: `prompt_logprobs` gives the distribution after every tag but the last, the
 * one generated token the last. Elsewhere (and if vLLM's answer cannot be lined up with the
 * tags), one 1-token request per step prefix reads the top log-probabilities of the next token;
 * scores of steps already seen are reused, so extending a path costs one request. On vLLM,
 * several Math-Shepherd paths go in one request as a list of prompts (`scoreBatch`).
 */
export class TokenLogprobVerifier extends HttpVerifier {
  readonly kind = "token-logprob" as const;
  private singlePass: boolean;
  private readonly cache = new StepScoreCache();
  private readonly labels: Labels;

  constructor(
    client: EndpointClient,
    model: string,
    private readonly flavour: ServerFlavour,
    readonly format: TokenPrmFormat,
  ) {
    super(client, model);
    this.singlePass = flavour === "vllm" && format === "math-shepherd";
    this.labels = labelsFor(model);
  }

  /** Batches only while whole paths are read in one pass (vLLM, Math-Shepherd). */
  get maxBatch(): number {
    return this.singlePass ? SHEPHERD_BATCH : 1;
  }

  scoreBatch(
    problem: Problem,
    paths: readonly (readonly string[])[],
    signal?: AbortSignal,
  ): Promise<BatchScoreResult & { requests: number; retries: number }> {
    return countRequests(async () => {
      const clean = paths.map(cleanSteps);
      const body = this.onePassBody(clean.map((steps) => this.shepherdPrompt(problem, steps)));
      const { value, url } = await this.client.json("/v1/completions", body, { signal, usage: parseUsage });
      let usage = parseUsage(value) ?? NO_USAGE;
      const scores = await Promise.all(
        clean.map(async (steps, i): Promise<number[] | Error> => {
          try {
            const tops = shepherdTagDistributions(value, steps.length, i);
            if (tops) return tops.map((top, k) => this.readScore(top, url, k));
            // The answer cannot be lined up with this path's tags: per-step requests from now on.
            this.singlePass = false;
            const r = await this.scoreSteps(problem, paths[i]!, signal);
            usage = addUsage(usage, r.usage);
            return r.scores;
          } catch (e) {
            return e instanceof Error ? e : new Error(String(e));
          }
        }),
      );
      return { scores, usage };
    });
  }

  protected async scoreSteps(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    const clean = cleanSteps(steps);
    if (this.singlePass) {
      const whole = await this.scoreInOnePass(problem, clean, signal);
      if (whole) return whole;
    }
    let usage = NO_USAGE;
    const scores = await Promise.all(
      clean.map(async (_, i) => {
        const key = this.cache.key(problem, clean, i);
        const cached = this.cache.get(key);
        if (cached !== undefined) return cached;
        const r = await this.scoreStep(problem, clean, i, signal);
        this.cache.set(key, r.score);
        usage = addUsage(usage, r.usage);
        return r.score;
      }),
    );
    return { scores, usage };
  }

  private shepherdPrompt(problem: Problem, steps: readonly string[]): string {
    return `${problem.text} ${steps.map((s) => `${s} ${SHEPHERD_TAG}`).join("\n")}`;
  }

  /** vLLM: the distribution after every prompt token, and the one generated token. */
  private onePassBody(prompt: string | string[]): Record<string, unknown> {
    return {
      model: this.model,
      prompt,
      max_tokens: 1,
      temperature: 0,
      logprobs: TOP_K,
      prompt_logprobs: TOP_K,
      return_token_ids: true,
    };
  }

  /** Null when the response cannot be lined up with the tags; per-step requests are used then. */
  private async scoreInOnePass(
    problem: Problem,
    steps: readonly string[],
    signal?: AbortSignal,
  ): Promise<ScoreResult | null> {
    const body = this.onePassBody(this.shepherdPrompt(problem, steps));
    const { value, url } = await this.client.json("/v1/completions", body, {
      signal,
      usage: parseUsage,
    });
    const tops = shepherdTagDistributions(value, steps.length);
    if (!tops) {
      this.singlePass = false;
      return null;
    }
    const scores = tops.map((top, k) => this.readScore(top, url, k));
    return { scores, usage: parseUsage(value) ?? NO_USAGE };
  }

  private async scoreStep(
    problem: Problem,
    steps: readonly string[],
    index: number,
    signal?: AbortSignal,
  ): Promise<StepCall> {
    const upTo = steps.slice(0, index + 1);
    if (this.format === "rlhflow") {
      const messages = upTo.flatMap((s, i) => [
        { role: "user", content: i === 0 ? `${problem.text} ${s}` : s },
        ...(i < index ? [{ role: "assistant", content: "+" }] : []),
      ]);
      const body = {
        model: this.model,
        messages,
        max_tokens: 1,
        temperature: 0,
        logprobs: true,
        top_logprobs: TOP_K,
      };
      const { value, url } = await this.client.json("/v1/chat/completions", body, {
        signal,
        usage: parseUsage,
      });
      const top = parseChatResponse(value).choices[0]?.logprobs[0]?.top ?? [];
      return { score: this.readScore(top, url, index), usage: parseUsage(value) };
    }
    const prompt = this.shepherdPrompt(problem, upTo);
    if (this.flavour === "ollama") {
      // Ollama's /v1/completions wraps the prompt in the chat template; /api/generate raw does not.
      const body = {
        model: this.model,
        prompt,
        raw: true,
        stream: false,
        logprobs: true,
        top_logprobs: TOP_K,
        options: { num_predict: 1, temperature: 0 },
      };
      const { value, url } = await this.client.json("/api/generate", body, {
        signal,
        usage: parseUsage,
      });
      const parsed = new StreamedOllamaGenerate();
      parsed.event(value);
      const top = parsed.result().choices[0]?.logprobs[0]?.top ?? [];
      return { score: this.readScore(top, url, index), usage: parseUsage(value) };
    }
    const body = {
      model: this.model,
      prompt,
      max_tokens: 1,
      temperature: 0,
      logprobs: this.flavour === "openai" ? 5 : TOP_K,
    };
    const { value, url } = await this.client.json("/v1/completions", body, {
      signal,
      usage: parseUsage,
    });
    const top = parseCompletionResponse(value).choices[0]?.logprobs[0]?.top ?? [];
    return { score: this.readScore(top, url, index), usage: parseUsage(value) };
  }

  private readScore(top: readonly TopLogprob[], url: string, index: number): number {
    if (!top.length)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: `sent no log-probabilities for step ${index + 1}`,
        hint: "The server must return top log-probabilities (Ollama needs 0.12.11 or later); or use another verifier kind.",
      });
    const p = binaryProbability(top, this.labels.good, this.labels.bad);
    if (p === null)
      throw new EndpointError({
        endpoint: this.client.endpoint,
        url,
        what: `ranked neither '+' nor '-' among the top ${top.length} tokens after step ${index + 1}`,
        hint: `Is "${this.model}" a ${this.format} PRM? Check the model, or use another verifier kind.`,
      });
    return p;
  }
}
