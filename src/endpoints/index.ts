/**
 * Endpoints: the search core's `Policy` and `Verifier` over the servers people run (vLLM,
 * SGLang, llama.cpp `llama-server`, Ollama, LM Studio, OpenAI and other OpenAI-compatible APIs).
 *
 * ```ts
 * type PolicyApiStyle = "auto" | "chat-continue" | "completions-template" | "whole-solution";
 * interface EndpointConfig {
 *   baseUrls: string[];        // one server, or several replicas of one model
 *   model: string;             // "" = the first model the server lists
 *   apiKey?: string;           // sent only to these URLs' origins; never logged
 *   timeouts?: { connectMs?: number; firstTokenMs?: number; idleMs?: number };
 *   maxRetries?: number;       // default 4
 *   concurrency?: number;      // in flight, all replicas together: the verifier's requests
 *                              // (default 8); the policy's sequences (default: the server's
 *                              // slots where it reports them, else 256)
 * }
 * interface PolicyEndpointConfig extends EndpointConfig { apiStyle; chatTemplate?; systemPrompt?; stream? }
 * interface VerifierEndpointConfig extends EndpointConfig { kind: VerifierKind }
 * interface EndpointDeps { log?: (line: RequestLogLine) => void }  // one line per HTTP request
 *
 * createPolicy(cfg, deps?): Promise<Policy>              // detects the server; may probe it
 * createVerifier(cfg, deps?): Promise<Verifier | null>   // null for kind "none"
 * testConnection(policy, verifier | null, deps?): Promise<ConnectionReport>
 * normalizeBaseUrl(url): string                          // the server root, without /v1
 * class EndpointError extends Error { endpoint; url; status?; serverMessage?; hint? }
 * ```
 *
 * Policy API styles (`auto` picks by server: vLLM/SGLang → chat-continue; llama.cpp →
 * completions-template on `/completion` with the server's template; Ollama →
 * completions-template on `/api/generate` raw; OpenAI and unrecognised servers →
 * whole-solution unless a chat template is set):
 * - `chat-continue`: the partial solution is a trailing assistant message the server continues
 *   (vLLM `continue_final_message` + `add_generation_prompt: false`, SGLang
 *   `continue_final_message`, llama.cpp assistant prefill, Ollama `/api/generate` raw);
 * - `completions-template`: the chat template is rendered here (`chatTemplate`, Jinja) or by
 *   the server (llama.cpp `/apply-template`), and the prompt is continued as plain text;
 * - `whole-solution`: whole solutions only; step-level strategies are refused with a message.
 *
 * Verifier kinds: `vllm-pooling` (Qwen2.5-Math-PRM on `/pooling`, p(good) per `<extra_0>`;
 * many paths per request with `scoreBatch`),
 * `token-logprob` (Math-Shepherd `ки` → '+'/'-', RLHFlow '+' turns; vLLM `prompt_logprobs` in
 * one request per path, else one 1-token request per new step), `llm-judge` (P(yes) from
 * `top_logprobs`, sampled verdicts where log-probabilities are missing), `http` (a custom
 * scorer: POST `{model, problem, steps}` → `{scores}`, see `verifier/http-scorer.ts`), `none`.
 *
 * All HTTP goes through node:http(s) rather than the `openai` npm client. That client can post
 * to any route (`client.post("/pooling", …)`), but it reads only nested error bodies (a flat
 * one, vLLM < 0.10.1 or SGLang, becomes "400 status code (no body)"), has one timeout per
 * request rather than separate connect / first-token / idle ones, and retries on its own
 * schedule inside a call; here each retry honours `Retry-After`, takes a down replica out of
 * the pool, gets its own log line, and is counted in the run's cost (`countRequests`).
 */
import type { Policy, Verifier } from "../core/index.js";
import { runConnectionTest, type ConnectionReport } from "./connection-test.js";
import type { ServerFlavour } from "./adapters/models.js";
import { FLAVOUR_NAMES } from "./detect.js";
import type { EndpointDeps, PolicyEndpointConfig, VerifierEndpointConfig } from "./config.js";
import { EndpointPolicy } from "./policy/create.js";
import { displayUrl } from "./url.js";
import { buildVerifier } from "./verifier/create.js";

export type { RequestLogLine } from "./client.js";
export type { ConnectionReport, RoleReport } from "./connection-test.js";
export * from "./config.js";
export { createPolicy, UNREPORTED_SEQUENCES } from "./policy/create.js";
export { FLAVOUR_NAMES } from "./detect.js";
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUTS } from "./http.js";
export type { ServerFlavour } from "./adapters/models.js";
export { EndpointError, isEndpointTimeout } from "./errors.js";
export { normalizeBaseUrl } from "./url.js";

/** What a policy from `createPolicy` found: the server software, its URL and the API style used. */
export interface PolicyEndpointInfo {
  server: string;
  flavour: ServerFlavour;
  url: string;
  apiStyle: string;
  reason: string;
  /** llama-server: its `/props` build. */
  build?: string;
}

export function describePolicy(policy: Policy): PolicyEndpointInfo | null {
  if (!(policy instanceof EndpointPolicy)) return null;
  return {
    server: FLAVOUR_NAMES[policy.server.flavour],
    flavour: policy.server.flavour,
    url: displayUrl(policy.server.root),
    apiStyle: policy.style,
    reason: policy.reason,
    ...(policy.llamacpp?.build ? { build: policy.llamacpp.build } : {}),
  };
}

/** A verifier of the configured kind, or null for kind `none`. */
export async function createVerifier(
  cfg: VerifierEndpointConfig,
  deps: EndpointDeps = {},
): Promise<Verifier | null> {
  return (await buildVerifier(cfg, deps.log))?.verifier ?? null;
}

/** Real checks of both endpoints, reported in lines a user can act on; never throws for them. */
export async function testConnection(
  policy: PolicyEndpointConfig,
  verifier: VerifierEndpointConfig | null,
  deps: EndpointDeps = {},
): Promise<ConnectionReport> {
  return runConnectionTest(policy, verifier, deps.log);
}
