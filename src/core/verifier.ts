import type { CallReport } from "./policy.js";
import type { Problem, Step } from "./types.js";

export type VerifierKind = "vllm-pooling" | "token-logprob" | "llm-judge" | "http" | "none";
export const VERIFIER_KINDS: readonly VerifierKind[] = [
  "vllm-pooling",
  "token-logprob",
  "llm-judge",
  "http",
  "none",
];

export interface ScoreResult extends CallReport {
  /** One score in [0, 1] per step, in order. */
  scores: number[];
}

/** Scores of several paths sent together; the report is the whole request's. */
export interface BatchScoreResult extends CallReport {
  /** Per path, in order: one score per step, or why that path could not be scored. */
  scores: (number[] | Error)[];
}

/** A process reward model (or a stand-in): scores every step of a path. */
export interface Verifier {
  readonly kind: VerifierKind;
  readonly model: string;
  /** Parameter count, where the server reports it (for FLOPs); else read from the name. */
  readonly parameters?: number;
  score(problem: Problem, steps: readonly Step[], signal?: AbortSignal): Promise<ScoreResult>;
  /** Most paths `scoreBatch` takes in one request; absent (or 1): one path per request. */
  readonly maxBatch?: number;
  /** Scores several non-empty paths of one problem in one request, where the server allows it. */
  scoreBatch?(
    problem: Problem,
    paths: readonly (readonly Step[])[],
    signal?: AbortSignal,
  ): Promise<BatchScoreResult>;
}

/** "kind:model": how traces, logs and strategy tables name a verifier. */
export const verifierName = (v: Pick<Verifier, "kind" | "model">): string => `${v.kind}:${v.model}`;
