// llama.cpp `llama-server` (docs/reference/serving-apis.md §4): chat-shaped logprobs with token ids even on
// /v1/completions, `n` limited by the slots (`total_slots` in /props; older builds: n = 1 only,
// `llamacppSingleChoice`), assistant prefill, echo rejected, `timings`, the
// native /completion with `stop_type`/`stopping_word`/`n_probs`, /health, /tokenize,
// /apply-template, /props, and `{"error":{code,message,type}}` errors.
import {
  chatCompletions,
  chatLogprob,
  completions,
  generate,
  longestChoice,
  MAX_MODEL_LEN,
  readMessages,
  resolveModel,
  startTimed,
  timingsOf,
  type Quirks,
} from "../compat.js";
import { ApiError, badRequest } from "../errors.js";
import type { Limits } from "../generate.js";
import { renderChatML } from "../prompt.js";
import type { FlavourSpec, HandlerInput, Reply, SimContext } from "../server.js";
import { detokenize, tokenize } from "../tokens.js";
import { bodyObject, CREATED, modelList } from "./common.js";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "server_error",
  501: "not_supported_error",
  503: "unavailable_error",
};

function json(body: unknown, status = 200): Reply {
  return { kind: "json", status, body };
}

function alnum(sim: SimContext, length: number): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length }, () => chars[sim.nonce() % chars.length]).join("");
}

export function llamacppQuirks(slots: number, singleChoice = false): Quirks {
  return {
    flavour: "llamacpp",
    completionLogprobs: "chat",
    logprobIds: true,
    stopReason: false,
    // Builds since PR #17775 take n up to the slots; older ones refuse any n but 1.
    n: singleChoice
      ? { max: 1, ignored: false, error: () => "Only one completion choice is allowed" }
      : {
          max: slots,
          ignored: false,
          error: (n, max) =>
            `n_cmpl (n = ${n}) must be between 1 and the number of slots (${max}); start the server with more --parallel slots`,
        },
    continuation: "prefill",
    echo: "rejected",
    maxLogprobs: 100,
    maxTopLogprobs: 100,
    completionsDefaultMaxTokens: null,
    defaultTemperature: 0.8,
    id: (_kind, sim) => `chatcmpl-${alnum(sim, 32)}`,
    systemFingerprint: "b6500-simworld",
    cachedTokensInUsage: true,
    timings: true,
    separateFinishChunk: false,
    roleInEveryDelta: false,
    prompt: "string-or-tokens",
    unknownModel: "default",
    unknownModelMessage: (m) => `model '${m}' not found`,
    context: "prompt",
    contextMessage: (prompt) =>
      `request (${prompt} tokens) exceeds the available context size (${MAX_MODEL_LEN} tokens), try increasing it`,
  };
}

/** Native `POST /completion`: `content`, `stop_type`, `stopping_word`, `completion_probabilities`. */
async function nativeCompletion(input: HandlerInput, q: Quirks): Promise<Reply> {
  const body = bodyObject(input.body);
  const model = resolveModel(body.model, q, input.sim);
  const prompt =
    typeof body.prompt === "string"
      ? body.prompt
      : Array.isArray(body.prompt) && body.prompt.every((x) => typeof x === "number")
        ? detokenize(body.prompt as number[])
        : null;
  if (prompt === null) throw badRequest('"prompt" must be a string or a list of tokens', "prompt");
  const nPredict =
    typeof body.n_predict === "number"
      ? body.n_predict
      : typeof body.max_tokens === "number"
        ? body.max_tokens
        : -1;
  const stop = Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === "string") : [];
  const nProbs = typeof body.n_probs === "number" ? body.n_probs : 0;
  const temperature = typeof body.temperature === "number" ? body.temperature : q.defaultTemperature;
  const seed = typeof body.seed === "number" && body.seed >= 0 ? body.seed : undefined;
  const limits: Limits = { maxTokens: nPredict < 0 ? null : nPredict, stop };
  const g = generate(
    { model, prompts: [prompt], n: 1, temperature, seed, limits, topK: nProbs, logprobs: nProbs > 0 },
    input.sim,
    "",
  );
  const run = g.prompts[0];
  const choice = g.choices[0]?.choice;
  if (!run || !choice) throw new Error("no choice generated");
  if (run.tokens.length >= MAX_MODEL_LEN) {
    throw new ApiError(400, q.contextMessage(run.tokens.length, null), "context", null, {
      n_prompt_tokens: run.tokens.length,
      n_ctx: MAX_MODEL_LEN,
    });
  }
  const probs = (tokens: typeof choice.tokens) => tokens.map((t) => chatLogprob(t, q, nProbs));
  const final = () => ({
    index: 0,
    content: body.stream === true ? "" : choice.text,
    tokens: body.return_tokens === true && body.stream !== true ? choice.tokens.map((t) => t.id) : [],
    id_slot: 0,
    stop: true,
    model: model.id,
    tokens_predicted: choice.completionTokens,
    tokens_evaluated: run.tokens.length,
    generation_settings: { n_predict: nPredict, temperature, n_probs: nProbs, seed: seed ?? 4294967295 },
    prompt,
    has_new_line: choice.text.includes("\n"),
    truncated: false,
    stop_type: choice.stopType,
    stopping_word: choice.stopReason ?? "",
    tokens_cached: run.cached + choice.completionTokens,
    timings: timingsOf(g),
    ...(nProbs > 0 && body.stream !== true ? { completion_probabilities: probs(choice.tokens) } : {}),
  });
  if (body.stream !== true) {
    const release = await startTimed(g, input.signal);
    try {
      await g.engine.decode(longestChoice(g), input.signal);
    } finally {
      release();
    }
    return json(final());
  }
  async function* events(): AsyncGenerator<unknown> {
    const release = await startTimed(g, input.signal);
    try {
      for (const [i, t] of (choice?.tokens ?? []).entries()) {
        await g.engine.decode(1, input.signal);
        yield {
          index: 0,
          content: t.text,
          tokens: [t.id],
          stop: false,
          id_slot: 0,
          tokens_predicted: i + 1,
          tokens_evaluated: run?.tokens.length ?? 0,
          ...(nProbs > 0 ? { completion_probabilities: probs([t]) } : {}),
        };
      }
      yield final();
    } finally {
      release();
    }
  }
  return { kind: "stream", format: "sse", events: events() };
}

export function llamacppFlavour(sim: SimContext): FlavourSpec {
  const slots = sim.options.slots ?? 4;
  const q = llamacppQuirks(slots, sim.options.llamacppSingleChoice);
  const models = async () =>
    json(
      modelList((m) => ({
        id: m.id,
        object: "model",
        created: CREATED,
        owned_by: "llamacpp",
        meta: {
          vocab_type: 2,
          n_vocab: 152064,
          n_ctx_train: MAX_MODEL_LEN,
          n_embd: 3584,
          n_params: m.params,
          size: Math.round(m.params * 0.6),
        },
      })),
    );
  const routes: FlavourSpec["routes"] = {
    "GET /v1/models": models,
    "GET /models": models,
    "POST /v1/completions": (i) => completions(i, q),
    "POST /completions": (i) => completions(i, q),
    "POST /v1/chat/completions": (i) => chatCompletions(i, q),
    "POST /chat/completions": (i) => chatCompletions(i, q),
    "POST /completion": (i) => nativeCompletion(i, q),
    "GET /health": async () => json({ status: "ok" }),
    "GET /props": async () =>
      json({
        default_generation_settings: {
          n_ctx: MAX_MODEL_LEN,
          params: { n_predict: -1, temperature: q.defaultTemperature },
        },
        total_slots: slots,
        model_path: `/models/${sim.options.defaultModel ?? "sim-policy-1.5b"}.gguf`,
        chat_template: "chatml",
        build_info: "b6500-simworld",
      }),
    "POST /tokenize": async (i) => {
      const body = bodyObject(i.body);
      if (typeof body.content !== "string") throw badRequest('"content" must be a string', "content");
      const tokens = tokenize(body.content);
      return json({
        tokens:
          body.with_pieces === true
            ? tokens.map((t) => ({ id: t.id, piece: t.text }))
            : tokens.map((t) => t.id),
      });
    },
    "POST /detokenize": async (i) => {
      const body = bodyObject(i.body);
      if (!Array.isArray(body.tokens)) throw badRequest('"tokens" must be a list of token ids', "tokens");
      return json({ content: detokenize(body.tokens.filter((t): t is number => typeof t === "number")) });
    },
    "POST /apply-template": async (i) => {
      const messages = readMessages(bodyObject(i.body));
      const prefill = messages[messages.length - 1]?.role === "assistant";
      return json({
        prompt: renderChatML(messages, { addGenerationPrompt: !prefill, continueFinal: prefill }),
      });
    },
  };
  return {
    routes,
    errorReply(err: ApiError): Reply {
      const type =
        err.kind === "context" ? "exceed_context_size_error" : (ERROR_TYPES[err.status] ?? "server_error");
      // An unavailable llama-server is one still loading its model.
      const message = err.kind === "unavailable" ? "Loading model" : err.message;
      return json({ error: { code: err.status, message, type, ...err.extra } }, err.status);
    },
    notFound() {
      return json({ error: { code: 404, message: "File Not Found", type: "not_found_error" } }, 404);
    },
  };
}
