// The OpenAI API itself (docs/reference/serving-apis.md §6): legacy completions with `logprobs` up to 5, chat
// `top_logprobs` up to 20, no continuation of a partial assistant message (a new turn), at most
// 4 stop strings, string error codes, rate-limit headers, no /pooling or /tokenize.
import { MAX_MODEL_LEN, type Quirks } from "../compat.js";
import { chatCompletions } from "../chat.js";
import { completions } from "../completions.js";
import type { ApiError } from "../errors.js";
import type { FlavourSpec, Reply, SimContext } from "../server.js";
import { CREATED, modelList } from "./common.js";

function json(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { kind: "json", status, body, headers };
}

function alnum(sim: SimContext, length: number): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length }, () => chars[sim.nonce() % chars.length]).join("");
}

export const openaiQuirks: Quirks = {
  flavour: "openai",
  completionLogprobs: "legacy",
  logprobIds: false,
  stopReason: false,
  n: { max: 128, ignored: false, error: (n, max) => `${n} is greater than the maximum of ${max} - 'n'` },
  continuation: "new-turn",
  echo: "supported",
  maxLogprobs: 5,
  maxTopLogprobs: 20,
  completionsDefaultMaxTokens: 16,
  defaultTemperature: 1,
  id: (kind, sim) => `${kind}-${alnum(sim, 29)}`,
  systemFingerprint: "fp_simworld",
  cachedTokensInUsage: true,
  timings: false,
  separateFinishChunk: false,
  roleInEveryDelta: false,
  prompt: "any",
  unknownModel: "404",
  unknownModelMessage: (m) => `The model \`${m}\` does not exist or you do not have access to it.`,
  context: "prompt+max",
  contextMessage: (prompt, max) =>
    `This model's maximum context length is ${MAX_MODEL_LEN} tokens. However, your messages resulted in ${prompt} tokens${max ? ` and ${max} in the completion` : ""}. Please reduce the length of the messages.`,
};

const CODES: Record<string, string> = {
  not_found: "model_not_found",
  context: "context_length_exceeded",
  rate_limit: "rate_limit_exceeded",
  auth: "invalid_api_key",
};

export function openaiFlavour(): FlavourSpec {
  return {
    routes: {
      "GET /v1/models": async () =>
        json(modelList((m) => ({ id: m.id, object: "model", created: CREATED, owned_by: "system" }))),
      "POST /v1/completions": (i) => completions(i, openaiQuirks),
      "POST /v1/chat/completions": (i) => chatCompletions(i, openaiQuirks),
    },
    errorReply(err: ApiError): Reply {
      const type =
        err.status === 429
          ? "requests"
          : err.status >= 500
            ? "server_error"
            : err.status === 401
              ? "invalid_request_error"
              : "invalid_request_error";
      const headers: Record<string, string> | undefined =
        err.status === 429
          ? { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s" }
          : undefined;
      return json(
        { error: { message: err.message, type, param: err.param, code: CODES[err.kind] ?? null } },
        err.status,
        headers,
      );
    },
    notFound(method, path) {
      return json(
        {
          error: {
            message: `Invalid URL (${method} ${path})`,
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        },
        404,
      );
    },
  };
}
