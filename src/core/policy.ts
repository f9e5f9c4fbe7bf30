import type { Problem, Step, Usage } from "./types.js";

/**
 * `step`: write the next step and stop at the step delimiter.
 * `solution`: write to the end of the solution.
 */
export type GenerationMode = "step" | "solution";

export interface ExpandRequest {
  problem: Problem;
  /** Steps already written, continued as an unfinished assistant message. */
  prefix: readonly Step[];
  /** How many samples to return. Never more than the policy's `maxN`. */
  k: number;
  mode: GenerationMode;
  delimiter: string;
  temperature: number;
  seed?: number;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface Generation {
  /** The new text, without a trailing step delimiter. In step mode: one step. */
  text: string;
  /** The solution ended (end of text or a final answer), not just the step. */
  ended: boolean;
  /** Generation stopped at the token limit. */
  truncated?: boolean;
}

export interface CallReport {
  usage: Usage;
  /** Retries made inside the call (rate limits, resets) before it succeeded. */
  retries?: number;
  /**
   * HTTP requests the call sent, its retries included (0 when it was answered from a cache).
   * Absent: counted as one. A call can send many (a judge asks once per step).
   */
  requests?: number;
}

export interface ExpandResult extends CallReport {
  generations: Generation[];
}

export interface PolicyCapabilities {
  /** Most samples one request can return (`n`); 1 when the server ignores `n`. */
  maxN: number;
  /** Can continue a partial solution, so step-level search works. */
  continuation: boolean;
  /**
   * Sequences the server decodes at once, where it says (llama.cpp `/props` `total_slots`,
   * times the replicas), or a safe figure for a kind of server that queues or rate-limits
   * beyond a few: the default policy concurrency.
   */
  slots?: number;
}

/** A model that writes solutions: the generator of the search. */
export interface Policy {
  readonly model: string;
  /** Parameter count, where the server reports it (for FLOPs and Auto); else read from the name. */
  readonly parameters?: number;
  readonly capabilities: PolicyCapabilities;
  expand(request: ExpandRequest): Promise<ExpandResult>;
}
