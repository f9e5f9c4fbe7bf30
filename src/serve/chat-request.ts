// A `POST /v1/chat/completions` body read into a search: the problem (the last user message,
// earlier turns as context), the model's strategy and budget, and the per-request knobs a client
// may set, each checked against the server's limits. Anything wrong is a 400 (404 for a model
// that is not served) naming the field.
import {
  AGGREGATIONS,
  ANSWER_SELECTIONS,
  resolveSearchConfig,
  type ConversationTurn,
  type Problem,
  type SearchConfig,
} from "../core/index.js";
import { badRequest, errorOf, ServeError } from "./errors.js";
import { MODEL_PREFIX, offered, parseModel, type Offer } from "./models.js";

/** Most choices (`n`) one request may ask for: each is a distinct answer's best solution. */
export const MAX_CHOICES = 8;

export interface ChatRequest {
  model: string;
  problem: Problem;
  /** The search knobs this request sets over the server's settings. */
  config: Partial<SearchConfig>;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with the usage. */
  includeUsage: boolean;
  choices: number;
  /** Stream progress as `reasoning_content` deltas (default on; `tts.progress: false` turns it off). */
  progress: boolean;
}

/** The limits a request cannot pass: the budget cap, and the settings' steps and tokens. */
export type RequestLimits = Offer;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A message's text: a string, or the text parts of a content array; other parts are refused. */
function messageText(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content))
    throw badRequest("A message's content must be a string or an array of parts.", param);
  return content
    .map((part: unknown, i) => {
      if (isObject(part) && part.type === "text" && typeof part.text === "string") return part.text;
      throw badRequest("Only text content parts can be solved.", `${param}[${i}]`);
    })
    .join("");
}

/**
 * The last user message is the problem; earlier user and assistant turns are its context. The
 * client's system messages are left out: the policy's own system prompt asks for the step format
 * the verifier scores.
 */
function readConversation(messages: unknown): Problem {
  if (!Array.isArray(messages) || messages.length === 0)
    throw badRequest("messages must be a non-empty array.", "messages");
  const turns: ConversationTurn[] = [];
  messages.forEach((m: unknown, i) => {
    if (!isObject(m) || typeof m.role !== "string")
      throw badRequest("Each message needs a role.", `messages[${i}]`);
    if (m.role === "system" || m.role === "developer") return;
    if (m.role !== "user" && m.role !== "assistant")
      throw badRequest(`Messages with role "${m.role}" cannot be solved.`, `messages[${i}].role`);
    turns.push({ role: m.role, content: messageText(m.content, `messages[${i}].content`) });
  });
  const last = turns.pop();
  if (!last || last.role !== "user" || !last.content.trim())
    throw badRequest("The last message must be a user message with the problem to solve.", "messages");
  return { text: last.content.trim(), ...(turns.length ? { context: turns } : {}) };
}

function integer(v: unknown, param: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw badRequest(
      `${param} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)}).`,
      param,
    );
  return v;
}

function bool(v: unknown, param: string): boolean {
  if (typeof v !== "boolean") throw badRequest(`${param} must be true or false.`, param);
  return v;
}

function oneOf<T extends string>(v: unknown, param: string, values: readonly T[]): T {
  if (typeof v !== "string" || !(values as readonly string[]).includes(v))
    throw badRequest(`${param} must be one of ${values.join(", ")}.`, param);
  return v as T;
}

/** The `tts` object: strategy options a request may set, none past the server's limits. */
function readTts(tts: unknown, limits: RequestLimits): { config: Partial<SearchConfig>; progress?: boolean } {
  if (tts === undefined || tts === null) return { config: {} };
  if (!isObject(tts)) throw badRequest("tts must be an object of search options.", "tts");
  const config: Partial<SearchConfig> = {};
  let progress: boolean | undefined;
  for (const [key, v] of Object.entries(tts)) {
    const param = `tts.${key}`;
    switch (key) {
      case "n":
        config.n = integer(v, param, 1, limits.maxBudget);
        break;
      case "beamWidth":
        config.beamWidth = integer(v, param, 1, limits.maxBudget);
        break;
      case "maxSteps":
        config.maxSteps = integer(v, param, 1, limits.search.maxSteps);
        break;
      case "maxTokens":
        config.maxTokens = integer(v, param, 1, limits.search.maxTokens);
        break;
      case "aggregation":
        config.aggregation = oneOf(v, param, AGGREGATIONS);
        break;
      case "selection":
        config.selection = oneOf(v, param, ANSWER_SELECTIONS);
        break;
      case "earlyStop":
      case "dedupe":
      case "finishedBeamsShrink":
        config[key] = bool(v, param);
        break;
      case "progress":
        progress = bool(v, param);
        break;
      default:
        throw badRequest(
          `Unknown search option ${param}: use n, beamWidth, maxSteps, maxTokens, aggregation, selection, earlyStop, dedupe, finishedBeamsShrink or progress (the strategy is the model's name).`,
          param,
        );
    }
  }
  return { config, ...(progress !== undefined ? { progress } : {}) };
}

export function readChatRequest(body: unknown, limits: RequestLimits): ChatRequest {
  if (!isObject(body)) throw badRequest("The body must be a JSON object.");
  const model = body.model;
  if (typeof model !== "string" || !model) throw badRequest("model is required.", "model");
  const choice = parseModel(model);
  if (!choice || !offered(choice.strategy, limits))
    throw new ServeError(
      404,
      `The model ${model} does not exist here: ask for ${MODEL_PREFIX}<strategy>-<n> as GET /v1/models lists them (e.g. ${MODEL_PREFIX}majority-8).`,
      "invalid_request_error",
      "model_not_found",
      "model",
    );
  if (choice.n !== undefined && choice.n > limits.maxBudget)
    throw badRequest(
      `The budget ${choice.n} of ${model} is over this server's limit of ${limits.maxBudget}.`,
      "model",
    );
  const problem = readConversation(body.messages);
  const config: Partial<SearchConfig> = { strategy: choice.strategy };
  // A bare strategy name gets the settings' budget, within the cap.
  config.n = choice.n ?? Math.min(limits.search.n, limits.maxBudget);
  if (body.temperature !== undefined && body.temperature !== null) {
    const t = body.temperature;
    if (typeof t !== "number" || !(t >= 0 && t <= 2))
      throw badRequest(`temperature must be between 0 and 2 (got ${JSON.stringify(t)}).`, "temperature");
    config.temperature = t;
  }
  if (body.seed !== undefined && body.seed !== null) config.seed = integer(body.seed, "seed", 0, 2 ** 53 - 1);
  const tts = readTts(body.tts, limits);
  Object.assign(config, tts.config);
  const choices = body.n === undefined || body.n === null ? 1 : integer(body.n, "n", 1, MAX_CHOICES);
  const stream = body.stream === undefined || body.stream === null ? false : bool(body.stream, "stream");
  const options = body.stream_options;
  const includeUsage = isObject(options) && options.include_usage === true;
  try {
    resolveSearchConfig({ ...limits.search, ...config });
  } catch (e) {
    throw errorOf(e);
  }
  return { model, problem, config, stream, includeUsage, choices, progress: tts.progress ?? true };
}
