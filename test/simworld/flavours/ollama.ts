// Ollama (docs/reference/serving-apis.md §5): `n` silently ignored, ids `chatcmpl-<0..998>`, `fp_ollama`,
// chat-shaped logprobs, no cached tokens in usage, the finish reason on a chunk of its own, a
// string-only completions prompt, a trailing assistant message answered as a new turn; the
// native /api/generate (with `raw`) and /api/chat streaming NDJSON by default with
// `done_reason`; `/v1` errors nested with `code: null`, native ones `{"error": "..."}`.
import { chatLogprob, generate, type Quirks } from "../compat.js";
import { chatCompletions, readMessages } from "../chat.js";
import { completions } from "../completions.js";
import { decodeChoices, streamChoices } from "../sequences.js";
import { ApiError, badRequest } from "../errors.js";
import type { GenToken, Limits } from "../generate.js";
import { MODELS, type SimModel } from "../models.js";
import { DEFAULT_SYSTEM, renderChatML } from "../prompt.js";
import type { FlavourSpec, HandlerInput, Reply, SimContext } from "../server.js";
import { bodyObject, modelList } from "./common.js";

export const OLLAMA_VERSION = "0.12.11";

/** The simulated models' template as Ollama shows it (a legacy, non-`.Messages` ChatML template). */
const CHATML_GO_TEMPLATE =
  "{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}{{ if .Prompt }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n{{ end }}<|im_start|>assistant\n{{ .Response }}<|im_end|>\n";

function json(body: unknown, status = 200): Reply {
  return { kind: "json", status, body };
}

/** Ollama names carry a tag; `sim-policy-7b:latest` is `sim-policy-7b`. */
function untagged(name: unknown): unknown {
  return typeof name === "string" ? name.replace(/:latest$/, "") : name;
}

export function ollamaQuirks(): Quirks {
  return {
    flavour: "ollama",
    completionLogprobs: "chat",
    logprobIds: false,
    stopReason: false,
    n: { max: 1, ignored: true, error: () => "" },
    continuation: "new-turn",
    echo: "ignored",
    maxLogprobs: 20,
    maxTopLogprobs: 20,
    completionsDefaultMaxTokens: null,
    defaultTemperature: 0.8,
    id: (kind, sim) => `${kind}-${sim.nonce() % 999}`,
    systemFingerprint: "fp_ollama",
    cachedTokensInUsage: false,
    timings: false,
    separateFinishChunk: true,
    roleInEveryDelta: true,
    prompt: "string",
    unknownModel: "404",
    unknownModelMessage: (m) => `model "${m}" not found, try pulling it first`,
    context: "none",
    contextMessage: () => "",
  };
}

function withUntaggedModel(input: HandlerInput): HandlerInput {
  const body = input.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) return input;
  return { ...input, body: { ...(body as object), model: untagged((body as { model?: unknown }).model) } };
}

function nanos(ms: number): number {
  return Math.round(ms * 1e6);
}

interface NativeOptions {
  num_predict?: number;
  stop?: string[];
  seed?: number;
  temperature?: number;
}

function readOptions(body: Record<string, unknown>): NativeOptions {
  const o = body.options;
  if (o === undefined || o === null) return {};
  if (typeof o !== "object" || Array.isArray(o)) throw badRequest("options must be an object");
  return o as NativeOptions;
}

/** Shared by /api/generate and /api/chat: generate, then reply as one object or NDJSON. */
async function nativeGenerate(
  input: HandlerInput,
  q: Quirks,
  model: SimModel,
  prompt: string,
  shape: "generate" | "chat",
): Promise<Reply> {
  const body = bodyObject(input.body);
  const opts = readOptions(body);
  const stream = body.stream !== false; // Ollama streams unless told not to
  const wantLogprobs = body.logprobs === true;
  const topK = typeof body.top_logprobs === "number" ? body.top_logprobs : 0;
  const limits: Limits = {
    maxTokens: typeof opts.num_predict === "number" && opts.num_predict >= 0 ? opts.num_predict : null,
    stop: Array.isArray(opts.stop) ? opts.stop.filter((s): s is string => typeof s === "string") : [],
  };
  const temperature = typeof opts.temperature === "number" ? opts.temperature : q.defaultTemperature;
  const seed = typeof opts.seed === "number" ? opts.seed : undefined;
  const g = generate(
    { model, prompts: [prompt], n: 1, temperature, seed, limits, topK, logprobs: wantLogprobs },
    input.sim,
    "",
  );
  const run = g.prompts[0];
  const choice = g.choices[0]?.choice;
  if (!run || !choice) throw new Error("no choice generated");
  const tokens = choice.tokens;
  const createdAt = () => new Date().toISOString();
  const lp = (tokens: GenToken[]) => tokens.map((t) => chatLogprob(t, q, topK));
  const piece = (text: string) =>
    shape === "generate" ? { response: text } : { message: { role: "assistant", content: text } };
  const started = Date.now();
  const final = (text: string) => {
    const totalMs = Date.now() - started;
    return {
      model: model.id,
      created_at: createdAt(),
      ...piece(text),
      done: true,
      done_reason: choice.finishReason,
      ...(shape === "generate" && body.raw !== true
        ? { context: run.tokens.map((t) => t.id).concat(choice.tokens.map((t) => t.id)) }
        : {}),
      total_duration: nanos(totalMs + 1),
      load_duration: nanos(0.5),
      prompt_eval_count: run.tokens.length,
      prompt_eval_duration: nanos(run.tokens.length * g.engine.profile.prefillMsPerToken),
      eval_count: choice.completionTokens,
      eval_duration: nanos(choice.completionTokens * g.engine.profile.decodeMsPerToken),
      ...(wantLogprobs && !stream ? { logprobs: lp(choice.tokens) } : {}),
    };
  };
  if (!stream) {
    await decodeChoices(g, input.signal);
    return json(final(choice.text));
  }
  async function* events(): AsyncGenerator<unknown> {
    yield* streamChoices(
      g,
      input.signal,
      (_, t) => {
        const tok = tokens[t]!;
        return [
          {
            model: model.id,
            created_at: createdAt(),
            ...piece(tok.text),
            done: false,
            ...(wantLogprobs ? { logprobs: lp([tok]) } : {}),
          },
        ];
      },
      () => tokens.length,
    );
    yield final("");
  }
  return { kind: "stream", format: "ndjson", events: events() };
}

function nativeModel(name: unknown, sim: SimContext): SimModel {
  const model = sim.model(untagged(name) as string | undefined);
  if (!model) throw new ApiError(404, `model '${String(name)}' not found`, "not_found");
  return model;
}

async function apiGenerate(input: HandlerInput, q: Quirks): Promise<Reply> {
  const body = bodyObject(input.body);
  const model = nativeModel(body.model, input.sim);
  const promptText = typeof body.prompt === "string" ? body.prompt : "";
  if (!promptText)
    return json({
      model: model.id,
      created_at: new Date().toISOString(),
      response: "",
      done: true,
      done_reason: "load",
    });
  // raw: the prompt goes to the model as is; otherwise the model's template wraps it as a user turn.
  const system = typeof body.system === "string" ? body.system : DEFAULT_SYSTEM;
  const prompt =
    body.raw === true
      ? promptText
      : renderChatML(
          [
            { role: "system", content: system },
            { role: "user", content: promptText },
          ],
          { addGenerationPrompt: true, continueFinal: false },
        );
  return nativeGenerate(input, q, model, prompt, "generate");
}

async function apiChat(input: HandlerInput, q: Quirks, sim: SimContext): Promise<Reply> {
  const body = bodyObject(input.body);
  const model = nativeModel(body.model, input.sim);
  const messages = readMessages(body);
  const open =
    sim.options.ollamaContinuesChat === true && messages[messages.length - 1]?.role === "assistant";
  const prompt = renderChatML(messages, { addGenerationPrompt: !open, continueFinal: open });
  return nativeGenerate(input, q, model, prompt, "chat");
}

export function ollamaFlavour(sim: SimContext): FlavourSpec {
  const q = ollamaQuirks();
  const routes: FlavourSpec["routes"] = {
    "GET /": async () => ({ kind: "text", status: 200, body: "Ollama is running" }),
    "GET /v1/models": async () =>
      json(modelList((m) => ({ id: m.id, object: "model", created: 1767100000, owned_by: "library" }))),
    "POST /v1/completions": (i) => completions(withUntaggedModel(i), q),
    "POST /v1/chat/completions": (i) => chatCompletions(withUntaggedModel(i), q),
    "POST /api/generate": (i) => apiGenerate(i, q),
    "POST /api/chat": (i) => apiChat(i, q, sim),
    "GET /api/tags": async () =>
      json({
        models: MODELS.map((m) => ({
          name: `${m.id}:latest`,
          model: `${m.id}:latest`,
          modified_at: "2026-01-01T00:00:00Z",
          size: Math.round(m.params * 0.6),
          digest: m.id.padEnd(64, "0").slice(0, 64),
          details: {
            format: "gguf",
            family: "qwen2",
            parameter_size: `${m.params / 1e9}B`,
            quantization_level: "Q4_K_M",
          },
        })),
      }),
    "GET /api/version": async () => json({ version: OLLAMA_VERSION }),
    "POST /api/show": async (i) => {
      const body = bodyObject(i.body);
      const model = nativeModel(body.model ?? body.name, i.sim);
      return json({
        modelfile: `FROM ${model.id}\nTEMPLATE """${CHATML_GO_TEMPLATE}"""`,
        parameters: 'stop "<|im_start|>"\nstop "<|im_end|>"',
        template: CHATML_GO_TEMPLATE,
        details: {
          format: "gguf",
          family: "qwen2",
          parameter_size: `${model.params / 1e9}B`,
          quantization_level: "Q4_K_M",
        },
        model_info: {
          "general.architecture": "qwen2",
          "general.parameter_count": model.params,
          "qwen2.context_length": 8192,
        },
        capabilities: ["completion"],
        modified_at: "2026-01-01T00:00:00Z",
      });
    },
  };
  return {
    routes,
    errorReply(err: ApiError, path: string): Reply {
      if (!path.startsWith("/v1/")) return json({ error: err.message }, err.status);
      const type =
        err.status === 404
          ? "not_found_error"
          : err.status >= 500 || err.status === 429
            ? "api_error"
            : "invalid_request_error";
      // A busy Ollama says so in these words (OLLAMA_MAX_QUEUE exceeded).
      const message =
        err.kind === "unavailable"
          ? "server busy, please try again.  maximum pending requests exceeded"
          : err.message;
      return json({ error: { message, type, param: null, code: null } }, err.status);
    },
    notFound() {
      return { kind: "text", status: 404, body: "404 page not found" };
    },
  };
}
