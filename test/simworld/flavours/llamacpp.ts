// llama.cpp `llama-server` (docs/reference/serving-apis.md §4): chat-shaped logprobs with token ids even on
// /v1/completions, `n` limited by the slots (`total_slots` in /props; older builds: n = 1 only,
// `llamacppSingleChoice`), assistant prefill, echo rejected, `timings`, the
// native /completion with `stop_type`/`stopping_word`/`n_probs`, /health, /tokenize,
// /apply-template, /props, and `{"error":{code,message,type}}` errors.
import { chatLogprob, generate, MAX_MODEL_LEN, resolveModel, timingsOf, type Quirks } from "../compat.js";
import { chatCompletions, readMessages } from "../chat.js";
import { completions } from "../completions.js";
import { ApiError, badRequest } from "../errors.js";
import { decodeChoices, streamChoices } from "../sequences.js";
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

export function llamacppQuirks(slots: number, singleChoice = false, slotContext = MAX_MODEL_LEN): Quirks {
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
          // Captured from b11669 (docs/reference/llamacpp-real.md).
          error: (n, max) => `Field 'n': Value must be between 1 <= value <= ${max}, but got ${n}`,
        },
    continuation: "prefill",
    // b11669 accepts echo, best_of and suffix on /v1/completions and ignores them.
    echo: "ignored",
    maxLogprobs: 100,
    maxTopLogprobs: 100,
    completionsDefaultMaxTokens: null,
    defaultTemperature: 0.8,
    id: (_kind, sim) => `chatcmpl-${alnum(sim, 32)}`,
    systemFingerprint: "b6500-simworld",
    cachedTokensInUsage: true,
    timings: true,
    usagePerChoice: true,
    // The finish reason comes in a chunk of its own with an empty delta.
    separateFinishChunk: true,
    roleInEveryDelta: false,
    prompt: "string-or-tokens",
    unknownModel: "default",
    unknownModelMessage: (m) => `model '${m}' not found`,
    context: "prompt",
    // One slot's context: -c split over -np.
    contextSize: slotContext,
    contextMessage: (prompt) =>
      `request (${prompt} tokens) exceeds the available context size (${slotContext} tokens), try increasing it`,
  };
}

/**
 * Native `POST /completion`: `content`, `stop_type`, `stopping_word`, `completion_probabilities`.
 * `n_cmpl` (alias `n`) samples up to the slots: an array of results, or interleaved stream
 * events with their `index`, each sample ending with its own `stop: true` event. A matched stop
 * word or EOS gets an event of its own with empty content and the token id; events before the
 * last say `id_slot: -1`.
 */
async function nativeCompletion(input: HandlerInput, q: Quirks, slots: number): Promise<Reply> {
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
  const n = typeof body.n_cmpl === "number" ? body.n_cmpl : typeof body.n === "number" ? body.n : 1;
  if (!Number.isInteger(n) || n < 1 || n > slots)
    throw badRequest(`Field 'n_cmpl': Value must be between 1 <= value <= ${slots}, but got ${n}`, "n_cmpl");
  const stop = Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === "string") : [];
  const nProbs = typeof body.n_probs === "number" ? body.n_probs : 0;
  const temperature = typeof body.temperature === "number" ? body.temperature : q.defaultTemperature;
  const seed = typeof body.seed === "number" && body.seed >= 0 ? body.seed : undefined;
  const limits: Limits = { maxTokens: nPredict < 0 ? null : nPredict, stop };
  const g = generate(
    { model, prompts: [prompt], n, temperature, seed, limits, topK: nProbs, logprobs: nProbs > 0 },
    input.sim,
    "",
  );
  const run = g.prompts[0];
  if (!run || !g.choices.length) throw new Error("no choice generated");
  const slotContext = q.contextSize ?? MAX_MODEL_LEN;
  if (run.tokens.length >= slotContext) {
    throw new ApiError(400, q.contextMessage(run.tokens.length, null), "context", null, {
      n_prompt_tokens: run.tokens.length,
      n_ctx: slotContext,
    });
  }
  type Choice = (typeof g.choices)[number]["choice"];
  const probs = (tokens: Choice["tokens"]) => tokens.map((t) => chatLogprob(t, q, nProbs));
  const final = (choice: Choice) => ({
    index: choice.index,
    content: body.stream === true ? "" : choice.text,
    tokens: body.return_tokens === true && body.stream !== true ? choice.tokens.map((t) => t.id) : [],
    id_slot: choice.index,
    stop: true,
    model: model.id,
    tokens_predicted: choice.completionTokens,
    tokens_evaluated: run.tokens.length,
    generation_settings: { n_predict: nPredict, temperature, n_probs: nProbs, seed: seed ?? 4294967295 },
    prompt,
    has_new_line: choice.text.includes("\n"),
    truncated: choice.stopType === "limit" && nPredict < 0,
    stop_type: choice.stopType,
    stopping_word: choice.stopReason ?? "",
    tokens_cached: run.cached + choice.completionTokens,
    timings: timingsOf(g),
    ...(nProbs > 0 && body.stream !== true ? { completion_probabilities: probs(choice.tokens) } : {}),
  });
  if (body.stream !== true) {
    await decodeChoices(g, input.signal);
    const results = g.choices.map((c) => final(c.choice));
    return json(n > 1 ? results : results[0]);
  }
  const tokensOf = (choice: Choice) => [
    ...choice.tokens.map((t) => ({ content: t.text, id: t.id, probs: probs([t]) })),
    // The stop word or EOS that ended the sample: an event with no content (its id only).
    ...(choice.stopType === "word" || choice.stopType === "eos"
      ? [{ content: "", id: choice.stopType === "eos" ? EOS_ID : (choice.tokens.at(-1)?.id ?? 0), probs: [] }]
      : []),
  ];
  const streams = new Map(g.choices.map((c) => [c, tokensOf(c.choice)]));
  // A slot's events for its step t, then its final event after its last.
  const eventsAt = (c: (typeof g.choices)[number], t: number): unknown[] => {
    const evs = streams.get(c)!;
    const e = evs[t]!;
    return [
      {
        index: c.choice.index,
        content: e.content,
        tokens: [e.id],
        stop: false,
        id_slot: -1,
        tokens_predicted: t + 1,
        tokens_evaluated: run.tokens.length,
        ...(nProbs > 0 && e.probs.length ? { completion_probabilities: e.probs } : {}),
      },
      ...(t === evs.length - 1 ? [final(c.choice)] : []),
    ];
  };
  async function* events(): AsyncGenerator<unknown> {
    yield* streamChoices(g, input.signal, eventsAt, (c) => streams.get(c)!.length);
    for (const [c, evs] of streams) if (!evs.length) yield final(c.choice);
  }
  return { kind: "stream", format: "sse", events: events() };
}

/** The id simworld's token list gives end of text (any id outside its vocabulary would do). */
const EOS_ID = 151645;

/** Headers every llama-server reply carries (captured from b11669). */
const HEADERS = { server: "llama.cpp", "access-control-allow-origin": "" };

/**
 * What a client sees of llama-server's connections: every reply has its headers, a stream's
 * says Keep-Alive yet the connection closes after it, and errors say `Connection: close`.
 */
function asLlamaServer(reply: Reply): Reply {
  if (reply.kind === "stream")
    return {
      ...reply,
      headers: {
        ...HEADERS,
        "content-type": "text/event-stream",
        "x-accel-buffering": "no",
        "keep-alive": "timeout=5, max=100",
        ...reply.headers,
      },
      closeAfter: true,
    };
  const error: Record<string, string> = reply.status >= 400 ? { connection: "close" } : {};
  return {
    ...reply,
    headers: { ...HEADERS, "content-type": "application/json; charset=utf-8", ...error, ...reply.headers },
  };
}

const NOT_SUPPORTED: Record<string, string> = {
  "GET /metrics": "This server does not support metrics endpoint. Start it with `--metrics`",
  "POST /v1/embeddings": "This server does not support embeddings. Start it with `--embeddings`",
  "POST /embeddings": "This server does not support embeddings. Start it with `--embeddings`",
  "POST /v1/rerank": "This server does not support reranking. Start it with `--reranking`",
  "POST /rerank": "This server does not support reranking. Start it with `--reranking`",
};

export function llamacppFlavour(sim: SimContext): FlavourSpec {
  const slots = sim.options.slots ?? 4;
  const slotContext = Math.floor((sim.options.contextSize ?? slots * MAX_MODEL_LEN) / slots);
  const q = llamacppQuirks(slots, sim.options.llamacppSingleChoice, slotContext);
  const models = async () =>
    json({
      // An Ollama-style list next to the OpenAI one, as b11669 sends.
      models: modelList((m) => ({ id: m.id })).data.map(({ id }) => ({
        name: id,
        model: id,
        modified_at: "",
        size: "",
        digest: "",
        type: "model",
        description: "",
        tags: [""],
        capabilities: ["completion"],
        parameters: "",
        details: {
          parent_model: "",
          format: "gguf",
          family: "",
          families: [""],
          parameter_size: "",
          quantization_level: "",
        },
      })),
      ...modelList((m) => ({
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
    });
  const routes: FlavourSpec["routes"] = {
    "GET /v1/models": models,
    "GET /models": models,
    "POST /v1/completions": (i) => completions(i, q),
    "POST /completions": (i) => completions(i, q),
    "POST /v1/chat/completions": (i) => chatCompletions(i, q),
    "POST /chat/completions": (i) => chatCompletions(i, q),
    "POST /completion": (i) => nativeCompletion(i, q, slots),
    "GET /health": async () => json({ status: "ok" }),
    "GET /slots": async () =>
      json(
        Array.from({ length: slots }, (_, id) => ({
          id,
          n_ctx: MAX_MODEL_LEN,
          speculative: false,
          is_processing: false,
        })),
      ),
    "GET /props": async () =>
      json({
        default_generation_settings: {
          n_ctx: slotContext,
          params: { n_predict: -1, temperature: q.defaultTemperature },
        },
        total_slots: slots,
        model_path: `/models/${sim.options.defaultModel ?? "sim-policy-1.5b"}.gguf`,
        chat_template: "chatml",
        build_info: "b6500-simworld",
        model_alias: `/models/${sim.options.defaultModel ?? "sim-policy-1.5b"}.gguf`,
        model_ftype: "Q8_0",
        modalities: { vision: false, video: false, audio: false },
        media_marker: "<__media__>",
        endpoint_slots: true,
        endpoint_props: false,
        endpoint_metrics: false,
        ui: true,
        ui_settings: {},
        chat_template_caps: {},
        bos_token: "<|endoftext|>",
        eos_token: "<|im_end|>",
        is_sleeping: false,
        cors_proxy_enabled: false,
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
  for (const [route, message] of Object.entries(NOT_SUPPORTED))
    routes[route] = async () => json({ error: { code: 501, message, type: "not_supported_error" } }, 501);
  for (const [route, handler] of Object.entries(routes))
    routes[route] = async (i) => asLlamaServer(await handler(i));
  return {
    routes,
    errorReply(err: ApiError): Reply {
      const type =
        err.kind === "context" ? "exceed_context_size_error" : (ERROR_TYPES[err.status] ?? "server_error");
      // An unavailable llama-server is one still loading its model.
      const message = err.kind === "unavailable" ? "Loading model" : err.message;
      return asLlamaServer(json({ error: { code: err.status, message, type, ...err.extra } }, err.status));
    },
    notFound() {
      return asLlamaServer(
        json({ error: { code: 404, message: "File Not Found", type: "not_found_error" } }, 404),
      );
    },
  };
}
