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

/** A process reward model (or a stand-in): scores every step of a path. */
export interface Verifier {
  readonly kind: VerifierKind;
  readonly model: string;
  /** Parameter count, where the server reports it (for FLOPs); else read from the name. */
  readonly parameters?: number;
  score(problem: Problem, steps: readonly Step[], signal?: AbortSignal): Promise<ScoreResult>;
}

/** "kind:model": how traces, logs and strategy tables name a verifier. */
export const verifierName = (v: Pick<Verifier, "kind" | "model">): string => `${v.kind}:${v.model}`;
