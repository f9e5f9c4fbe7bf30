// `POST /v1/chat/completions`: one search per request, through the shared application layer
// (app/run.ts builds its options), answered whole or streamed. The caller's signal fires when the
// client goes away, which aborts the search and so every upstream request it has in flight.
import type { ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Endpoints } from "../app/connect.js";
import { searchOptions, type RunSetup } from "../app/run.js";
import { mathAnswerKey } from "../core/answers/index.js";
import {
  DEFAULT_SEARCH_CONFIG,
  isAbort,
  runSearch,
  type SearchEvent,
  type SearchResult,
} from "../core/index.js";
import type { ChatRequest } from "./chat-request.js";
import {
  chunk,
  completionBody,
  returnedCandidates,
  stepDeltas,
  ttsField,
  usageOf,
  type CompletionMeta,
} from "./completion.js";
import { envelope, errorOf, resultError, type ServeError } from "./errors.js";
import { EventStream, sendError, sendJson } from "./http-io.js";
import { ProgressLines } from "./progress.js";

export interface ChatOutcome {
  status: number;
  result?: SearchResult;
  error?: string;
}

/** Runs the search and writes the answer; resolves with what the request log records. */
export async function answerChat(
  res: ServerResponse,
  request: ChatRequest,
  setup: RunSetup,
  endpoints: Endpoints,
  signal: AbortSignal,
  heartbeatMs?: number,
): Promise<ChatOutcome> {
  const meta: CompletionMeta = {
    id: `chatcmpl-${randomUUID().replace(/-/g, "")}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
  const delimiter = { ...DEFAULT_SEARCH_CONFIG, ...setup.search, ...request.config }.delimiter;
  const stream = request.stream ? new EventStream(res, heartbeatMs) : null;
  const progress = new ProgressLines();
  const warnings = new Set<string>();
  stream?.send(chunk(meta, [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
  const onEvent = (e: SearchEvent): void => {
    if (e.type === "warning") warnings.add(e.message);
    if (e.type === "node-failed") warnings.add(`A verifier call failed: ${e.error}`);
    const line = stream && request.progress ? progress.line(e) : null;
    if (line)
      stream?.send(
        chunk(meta, [{ index: 0, delta: { reasoning_content: `${line}\n` }, finish_reason: null }]),
      );
  };

  let result: SearchResult;
  try {
    result = await runSearch(
      searchOptions(setup, endpoints, {
        problem: request.problem,
        config: request.config,
        answerKey: mathAnswerKey,
        signal,
        onEvent,
      }),
    );
  } catch (e) {
    if (isAbort(e, signal)) return { status: 499, error: "client went away" };
    return fail(res, stream, errorOf(e));
  }
  if (result.aborted || signal.aborted) return { status: 499, result, error: "client went away" };
  const error = resultError(result);
  if (error) return { ...fail(res, stream, error), result };

  const returned = returnedCandidates(result, request.choices);
  const extra = [...warnings];
  if (!stream) {
    sendJson(res, 200, completionBody(meta, result, returned, delimiter, extra));
    return { status: 200, result };
  }
  returned.forEach((c, index) => {
    for (const content of stepDeltas(c, delimiter))
      stream.send(chunk(meta, [{ index, delta: { content }, finish_reason: null }]));
  });
  stream.send(
    chunk(
      meta,
      returned.map((_, index) => ({ index, delta: {}, finish_reason: "stop" })),
      { tts: ttsField(result, extra) },
    ),
  );
  if (request.includeUsage) stream.send({ ...chunk(meta, []), usage: usageOf(result.cost) });
  stream.end();
  return { status: 200, result };
}

/** An error as a status, or, once a stream is open, as its last event (the SDK throws it). */
function fail(res: ServerResponse, stream: EventStream | null, e: ServeError): ChatOutcome {
  if (stream) {
    stream.send(envelope(e));
    stream.end(false);
  } else sendError(res, e);
  return { status: e.status, error: e.message };
}
