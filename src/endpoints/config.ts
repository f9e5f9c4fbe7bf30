// What each role's endpoint is configured with, as the settings (src/app/settings/) map to it.
import type { VerifierKind } from "../core/index.js";
import type { RequestLogLine } from "./client.js";

export type PolicyApiStyle = "auto" | "chat-continue" | "completions-template" | "whole-solution";

export const POLICY_API_STYLES: readonly PolicyApiStyle[] = [
  "auto",
  "chat-continue",
  "completions-template",
  "whole-solution",
];

export interface EndpointConfig {
  baseUrls: string[];
  model: string;
  /** Key for these URLs' origin; sent to no other origin, never logged. */
  apiKey?: string;
  timeouts?: { connectMs?: number; firstTokenMs?: number; idleMs?: number };
  maxRetries?: number;
  concurrency?: number;
}

export interface PolicyEndpointConfig extends EndpointConfig {
  apiStyle: PolicyApiStyle;
  /** Hugging Face chat template (Jinja) for completions-template and Ollama raw prompts. */
  chatTemplate?: string;
  /** "" for none; absent for the default step-by-step math prompt. */
  systemPrompt?: string;
  /**
   * False: ask the chat and completions routes for whole responses, not token streams, where
   * nobody watches tokens (CLI --quiet/--json, bench, calibrate): one JSON body per call instead
   * of an event per token per sample. The first-token limit then covers the whole response.
   * Default true.
   */
  stream?: boolean;
}

export interface VerifierEndpointConfig extends EndpointConfig {
  kind: VerifierKind;
}

export interface EndpointDeps {
  /** One line per request: endpoint, method, url, status, tokens, ms, attempt; never keys. */
  log?: (line: RequestLogLine) => void;
}
