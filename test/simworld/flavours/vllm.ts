// vLLM's OpenAI-compatible server (docs/reference/serving-apis.md §2): legacy completion logprobs,
// `stop_reason`, `prompt_logprobs`, `continue_final_message`, `/pooling` for the PRMs,
// `/tokenize`, nested errors with an integer `code` (flat ones with `legacyErrors`).
import { MAX_MODEL_LEN, resolveModel, type Quirks } from "../compat.js";
import { chatCompletions, readMessages } from "../chat.js";
import { completions } from "../completions.js";
import { badRequest, type ApiError } from "../errors.js";
import { tagScores } from "../behaviour.js";
import { renderChatML } from "../prompt.js";
import type { FlavourSpec, HandlerInput, Reply, SimContext } from "../server.js";
import { detokenize, tokenize } from "../tokens.js";
import { bodyObject, CREATED, modelList } from "./common.js";

export const VLLM_VERSION = "0.11.2";

export const vllmQuirks: Quirks = {
  flavour: "vllm",
  completionLogprobs: "legacy",
  logprobIds: false,
  stopReason: true,
  n: { max: 256, ignored: false, error: (n, max) => `n must be at most ${max}, got ${n}.` },
  continuation: "vllm",
  echo: "supported",
  maxLogprobs: 20,
  maxTopLogprobs: 20,
  completionsDefaultMaxTokens: 16,
  defaultTemperature: 1,
  id: (kind, sim) => `${kind}-${sim.hex(32)}`,
  systemFingerprint: null,
  cachedTokensInUsage: true,
  timings: false,
  separateFinishChunk: false,
  roleInEveryDelta: false,
  prompt: "any",
  unknownModel: "404",
  unknownModelMessage: (m) => `The model \`${m}\` does not exist.`,
  context: "prompt+max",
  contextMessage: (prompt, max) =>
    `This model's maximum context length is ${MAX_MODEL_LEN} tokens. However, you requested ${prompt + (max ?? 0)} tokens (${prompt} in the messages, ${max ?? 0} in the completion). Please reduce the length of the messages or completion.`,
};

const ERROR_TYPES: Record<number, string> = {
  400: "BadRequestError",
  404: "NotFoundError",
  429: "RateLimitError",
  500: "InternalServerError",
  503: "ServiceUnavailableError",
};

function json(body: unknown, status = 200): Reply {
  return { kind: "json", status, body };
}

/** vLLM's `/pooling`: one [p_bad, p_good] pair per `<extra_0>` in the rendered input. */
async function pooling(input: HandlerInput): Promise<Reply> {
  const body = bodyObject(input.body);
  const model = resolveModel(body.model, vllmQuirks, input.sim);
  if (model.role !== "prm" || model.style !== "pooling")
    throw badRequest(
      `The model \`${model.id}\` does not support the pooling API (it is not a pooling model).`,
      "model",
    );
  let texts: string[];
  if (body.messages !== undefined) {
    const addGen = body.add_generation_prompt === true;
    texts = [
      renderChatML(readMessages(body), {
        addGenerationPrompt: addGen,
        continueFinal: body.continue_final_message === true,
      }),
    ];
  } else if (typeof body.input === "string") texts = [body.input];
  else if (Array.isArray(body.input) && body.input.every((x) => typeof x === "string"))
    texts = body.input as string[];
  else if (Array.isArray(body.input) && body.input.every((x) => typeof x === "number"))
    texts = [detokenize(body.input as number[])];
  else
    throw badRequest(
      "`input` must be a string, a list of strings or token ids, or send `messages`.",
      "input",
    );
  const task = body.task;
  if (task !== undefined && task !== null && !["token_classify", "encode", "reward"].includes(String(task)))
    throw badRequest(
      `Task ${String(task)} is not supported by this model; supported: token_classify.`,
      "task",
    );
  const engine = input.sim.engine(model.id);
  let promptTokens = 0;
  const lengths: number[] = [];
  const data = texts.map((text, index) => {
    const tokens = tokenize(text);
    promptTokens += tokens.length;
    lengths.push(tokens.length);
    engine.cachedTokens(tokens.map((t) => t.id));
    const pairs = tagScores(model, text, "<extra_0>").map((p) => [1 - p, p]);
    const encoded =
      body.encoding_format === "base64"
        ? Buffer.from(new Float32Array(pairs.flat()).buffer).toString("base64")
        : pairs;
    return { index, object: "pooling", data: encoded };
  });
  // vLLM makes each input of a list its own engine request (`{request_id}-{i}`, run together:
  // vllm/entrypoints/openai/serving_pooling.py), so each holds one slot and prefills its own
  // prompt; the reply waits for the last.
  await Promise.all(
    lengths.map(async (n) => {
      engine.note(n, 0);
      const release = await engine.admit(input.signal);
      try {
        await engine.prefill(n, input.signal);
      } finally {
        release();
      }
    }),
  );
  return json({
    id: `pool-${input.sim.hex(32)}`,
    object: "list",
    created: Math.floor(Date.now() / 1000),
    model: model.id,
    data,
    usage: {
      prompt_tokens: promptTokens,
      total_tokens: promptTokens,
      completion_tokens: 0,
      prompt_tokens_details: null,
    },
  });
}

async function tokenizeRoute(input: HandlerInput): Promise<Reply> {
  const body = bodyObject(input.body);
  if (body.model !== undefined) resolveModel(body.model, vllmQuirks, input.sim);
  let text: string;
  if (body.messages !== undefined)
    text = renderChatML(readMessages(body), {
      addGenerationPrompt: body.add_generation_prompt !== false,
      continueFinal: body.continue_final_message === true,
    });
  else if (typeof body.prompt === "string") text = body.prompt;
  else throw badRequest("`prompt` (a string) or `messages` is required.", "prompt");
  const tokens = tokenize(text);
  const out: Record<string, unknown> = {
    count: tokens.length,
    max_model_len: MAX_MODEL_LEN,
    tokens: tokens.map((t) => t.id),
  };
  if (body.return_token_strs === true) out.token_strs = tokens.map((t) => t.text);
  return json(out);
}

async function detokenizeRoute(input: HandlerInput): Promise<Reply> {
  const body = bodyObject(input.body);
  if (!Array.isArray(body.tokens) || !body.tokens.every((t) => typeof t === "number"))
    throw badRequest("`tokens` must be a list of token ids.", "tokens");
  return json({ prompt: detokenize(body.tokens as number[]) });
}

export function vllmModels(): Reply {
  return json(
    modelList((m) => ({
      id: m.id,
      object: "model",
      created: CREATED,
      owned_by: "vllm",
      root: m.id,
      parent: null,
      max_model_len: MAX_MODEL_LEN,
      permission: [
        {
          id: `modelperm-${m.id}`,
          object: "model_permission",
          created: CREATED,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: "*",
          group: null,
          is_blocking: false,
        },
      ],
    })),
  );
}

export function vllmFlavour(sim: SimContext): FlavourSpec {
  const legacy = sim.options.legacyErrors === true;
  const routes = {
    "GET /v1/models": async () => vllmModels(),
    "POST /v1/completions": (i: HandlerInput) => completions(i, vllmQuirks),
    "POST /v1/chat/completions": (i: HandlerInput) => chatCompletions(i, vllmQuirks),
    "POST /pooling": pooling,
    "POST /tokenize": tokenizeRoute,
    "POST /detokenize": detokenizeRoute,
    "GET /health": async (): Promise<Reply> => ({ kind: "text", status: 200, body: "" }),
    "GET /version": async () => json({ version: VLLM_VERSION }),
  };
  return {
    routes,
    errorReply(err: ApiError): Reply {
      if (err.status === 401) return json({ error: "Unauthorized" }, 401);
      const type = ERROR_TYPES[err.status] ?? "InternalServerError";
      const body = legacy
        ? { object: "error", message: err.message, type, param: err.param, code: err.status }
        : { error: { message: err.message, type, param: err.param, code: err.status } };
      return json(body, err.status);
    },
    notFound(_method, path) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`));
      return known ? json({ detail: "Method Not Allowed" }, 405) : json({ detail: "Not Found" }, 404);
    },
  };
}
