import type { ExpandRequest, ExpandResult, Policy, PolicyCapabilities, Usage } from "../../core/index.js";
import type { Choice } from "../adapters/choices.js";
import { addUsage, NO_USAGE } from "../adapters/usage.js";
import { countRequests } from "../request-count.js";
import { EndpointError } from "../errors.js";
import { toGeneration } from "./generation.js";
import { assistantPrefix } from "./prompt.js";

/** One request's worth of samples, as a route asks for it: the core's request, prefix joined. */
export interface SampleRequest extends Omit<ExpandRequest, "prefix" | "k"> {
  /** The partial solution to continue (steps, delimiter-joined, with a trailing delimiter). */
  prefixText: string;
  n: number;
}

export interface SampleResult {
  choices: Choice[];
  usage?: Usage;
}

/** How a policy reaches its server; `sample` makes one request. */
export interface PolicyRoute {
  /** The API style in words, for messages ("vLLM chat with continue_final_message"). */
  readonly description: string;
  readonly continuation: boolean;
  /** Most samples per request; 1 where the server ignores `n`. */
  maxN: number;
  sample(request: SampleRequest): Promise<SampleResult>;
}

/**
 * A `Policy` over a route: asks for k samples in requests of at most `maxN`, and when a server
 * returns fewer samples than asked (it ignored `n`), asks for the rest in parallel requests and
 * lowers `maxN` to 1 from then on. Refuses step mode on a route that cannot continue a partial
 * solution, saying what to use instead.
 */
export class RoutePolicy implements Policy {
  readonly capabilities: PolicyCapabilities;

  constructor(
    readonly model: string,
    private readonly route: PolicyRoute,
    private readonly url: string,
    /** Sequences the server decodes at once, where it says. */
    slots?: number,
  ) {
    const r = route;
    this.capabilities = {
      get maxN() {
        return r.maxN;
      },
      continuation: route.continuation,
      ...(slots ? { slots } : {}),
    };
  }

  get description(): string {
    return this.route.description;
  }

  expand(request: ExpandRequest): Promise<ExpandResult> {
    return countRequests(() => this.generate(request));
  }

  private async generate(request: ExpandRequest): Promise<ExpandResult> {
    if (request.mode === "step" && !this.route.continuation)
      throw new EndpointError({
        endpoint: "policy",
        url: this.url,
        what: `cannot continue a partial solution (${this.route.description})`,
        hint:
          "Step-level strategies (beam search, DVTS) need a server that continues an assistant message " +
          "(vLLM, SGLang, llama.cpp, Ollama). Use best-of-N or majority vote here, or another API style.",
      });
    const base = {
      problem: request.problem,
      prefixText: assistantPrefix(request.prefix, request.delimiter),
      mode: request.mode,
      delimiter: request.delimiter,
      temperature: request.temperature,
      maxTokens: request.maxTokens,
      signal: request.signal,
    };
    const choices: Choice[] = [];
    let usage = NO_USAGE;
    const take = (r: SampleResult, asked: number): void => {
      choices.push(...r.choices.slice(0, asked));
      usage = addUsage(usage, r.usage);
    };

    const first = Math.min(request.k, Math.max(1, this.route.maxN));
    const r = await this.route.sample({ ...base, n: first, seed: request.seed });
    take(r, first);
    if (r.choices.length < first && first > 1) this.route.maxN = 1;
    const missing = request.k - choices.length;
    if (missing > 0) {
      const batch = Math.max(1, this.route.maxN);
      const calls: number[] = [];
      for (let left = missing; left > 0; left -= batch) calls.push(Math.min(batch, left));
      const rest = await Promise.all(
        calls.map((n, i) =>
          this.route.sample({
            ...base,
            n,
            seed: request.seed === undefined ? undefined : request.seed + 7919 * (i + 1),
          }),
        ),
      );
      rest.forEach((x, i) => take(x, calls[i]!));
    }
    if (!choices.length)
      throw new EndpointError({
        endpoint: "policy",
        url: this.url,
        what: "answered without any sample",
        hint: "Check the model name and the API style (Test Connection shows what the server returns).",
      });
    return {
      generations: choices.map((c) => toGeneration(c, request.mode, request.delimiter)),
      usage,
    };
  }
}
