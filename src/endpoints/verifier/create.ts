import type { Verifier } from "../../core/index.js";
import { servedEntry } from "../adapters/models.js";
import { EndpointClient, type RequestLogLine } from "../client.js";
import { detectFirstLive, FLAVOUR_NAMES, type ServerInfo } from "../detect.js";
import { EndpointError } from "../errors.js";
import type { VerifierEndpointConfig } from "../config.js";
import type { HttpVerifier } from "./base.js";
import { HttpScorerVerifier } from "./http-scorer.js";
import { JudgeVerifier } from "./judge.js";
import { PoolingVerifier } from "./pooling.js";
import { tokenPrmFormatFor, TokenLogprobVerifier } from "./token-logprob.js";

export interface BuiltVerifier {
  verifier: Verifier;
  client: EndpointClient;
  /** Null for the http kind, whose URL is not a model server. */
  server: ServerInfo | null;
  /** What reads the scores, in words. */
  description: string;
}

export async function buildVerifier(
  cfg: VerifierEndpointConfig,
  log?: (line: RequestLogLine) => void,
): Promise<BuiltVerifier | null> {
  if (cfg.kind === "none") return null;
  const client = new EndpointClient({
    endpoint: "verifier",
    baseUrls: cfg.baseUrls,
    apiKey: cfg.apiKey,
    timeouts: cfg.timeouts,
    maxRetries: cfg.maxRetries,
    concurrency: cfg.concurrency,
    log,
    rawUrls: cfg.kind === "http",
  });
  if (cfg.kind === "http")
    return {
      verifier: new HttpScorerVerifier(client, cfg.model || "custom"),
      client,
      server: null,
      description: "a custom scorer (POST {problem, steps} → {scores})",
    };

  const server = await detectFirstLive(client);
  const model = cfg.model || server.models[0]?.id;
  if (!model)
    throw new EndpointError({
      endpoint: "verifier",
      url: server.root,
      what: "lists no model, and none is set",
      hint: "Set the verifier's model name in the settings.",
    });
  const name = FLAVOUR_NAMES[server.flavour];
  const params = servedEntry(server.models, server.flavour, model)?.nParams;
  const sized = <V extends HttpVerifier>(v: V): V => {
    if (params) v.parameters = params;
    return v;
  };
  switch (cfg.kind) {
    case "vllm-pooling":
      if (server.flavour !== "vllm" && server.flavour !== "unknown")
        throw new EndpointError({
          endpoint: "verifier",
          url: server.root,
          what: `is ${name}, which has no /pooling endpoint for process reward models`,
          hint: "Serve the PRM with vLLM (vllm serve Qwen/Qwen2.5-Math-PRM-7B), or use the token-logprob or llm-judge verifier.",
        });
      return {
        verifier: sized(new PoolingVerifier(client, model)),
        client,
        server,
        description: "vLLM /pooling, p(good) at each <extra_0> tag",
      };
    case "token-logprob": {
      const format = tokenPrmFormatFor(model);
      const v = sized(new TokenLogprobVerifier(client, model, server.flavour, format));
      const how =
        server.flavour === "vllm" && format === "math-shepherd"
          ? "vLLM prompt_logprobs, one request per path"
          : "top log-probabilities, one request per new step";
      return { verifier: v, client, server, description: `${format} '+'/'-' tokens (${how})` };
    }
    case "llm-judge":
      return {
        verifier: sized(new JudgeVerifier(client, model, server.flavour)),
        client,
        server,
        description: "a chat model's P(yes) that each step is correct",
      };
  }
}
