// `serve`: test-time scaling behind an OpenAI-compatible endpoint. A third front end over the
// application layer (src/app): the settings' run plan, one shared connection to the policy and
// verifier (made on the first request that needs it, and again after a failure), and a search
// per chat completion, at most `maxActive` at once with a bounded queue.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Endpoints } from "../app/connect.js";
import type { RunPlan } from "../app/run.js";
import { AbortedError, DEFAULT_SEARCH_CONFIG, isAbort } from "../core/index.js";
import { answerChat, type ChatOutcome } from "./chat-handler.js";
import { readChatRequest } from "./chat-request.js";
import { errorOf, ServeError } from "./errors.js";
import { SearchGate } from "./gate.js";
import { readJsonBody, sendError, sendJson } from "./http-io.js";
import { modelIds, type Offer } from "./models.js";

export const DEFAULT_PORT = 8100;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BUDGET = 64;
export const DEFAULT_MAX_ACTIVE = 2;
export const DEFAULT_MAX_QUEUED = 16;

/** One line per request: never the prompt unless `logPrompts`, never a key. */
export interface ServeLogLine {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  model?: string;
  strategy?: string;
  n?: number;
  stream?: boolean;
  answer?: string | null;
  promptTokens?: number;
  completionTokens?: number;
  requests?: number;
  error?: string;
  prompt?: string;
}

export interface ServeOptions {
  plan: RunPlan;
  /** Connects to the plan's endpoints (src/app/connect.ts with the front end's logging). */
  connect(plan: RunPlan): Promise<Endpoints>;
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** When set, every request but /health needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The largest budget (n) a request may ask for. */
  maxBudget?: number;
  /** Searches at once, and requests waiting for one; more are refused with 429. */
  maxActive?: number;
  maxQueued?: number;
  /** Between keep-alive comments on a quiet stream (http-io.ts HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** Put the problem text in the request log. */
  logPrompts?: boolean;
  log?(line: ServeLogLine): void;
}

export interface ServeHandle {
  /** The base URL clients use, with `/v1`. */
  url: string;
  port: number;
  /** Stops listening, cancels the searches in flight and closes every connection. */
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const gate = new SearchGate(
    options.maxActive ?? DEFAULT_MAX_ACTIVE,
    options.maxQueued ?? DEFAULT_MAX_QUEUED,
  );
  const search = { ...DEFAULT_SEARCH_CONFIG, ...options.plan.search };
  const offer: Offer = {
    search,
    hasVerifier: options.plan.verifier !== null,
    maxBudget: options.maxBudget ?? DEFAULT_MAX_BUDGET,
  };
  const inFlight = new Set<AbortController>();
  let endpoints: Promise<Endpoints> | null = null;
  let upstreamError: string | null = null;

  const connect = (): Promise<Endpoints> => {
    endpoints ??= options.connect(options.plan).then(
      (e) => {
        upstreamError = null;
        offer.continuation = e.policy.capabilities.continuation;
        return e;
      },
      (e: unknown) => {
        // The next request tries again: the server may have come up since.
        endpoints = null;
        upstreamError = e instanceof Error ? e.message : String(e);
        throw e;
      },
    );
    return endpoints;
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (!options.apiKey) return true;
    const given = Buffer.from(req.headers.authorization ?? "");
    const wanted = Buffer.from(`Bearer ${options.apiKey}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  async function route(req: IncomingMessage, res: ServerResponse, line: ServeLogLine): Promise<void> {
    const path = line.path;
    if (req.method === "GET" && path === "/health") {
      sendJson(res, 200, {
        status: "ok",
        searches: {
          active: gate.active,
          queued: gate.queued,
          maxActive: gate.maxActive,
          maxQueued: gate.maxQueued,
        },
        upstream: { connected: endpoints !== null && upstreamError === null, error: upstreamError },
      });
      return;
    }
    if (!authorized(req))
      throw new ServeError(
        401,
        "Incorrect API key: send Authorization: Bearer <key>.",
        "authentication_error",
        "invalid_api_key",
      );
    if (req.method === "GET" && path === "/v1/models") {
      sendJson(res, 200, { object: "list", data: modelIds(offer).map(modelObject) });
      return;
    }
    if (req.method === "GET" && path.startsWith("/v1/models/")) {
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (!modelIds(offer).includes(id))
        throw new ServeError(
          404,
          `The model ${id} does not exist here.`,
          "invalid_request_error",
          "model_not_found",
          "model",
        );
      sendJson(res, 200, modelObject(id));
      return;
    }
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST")
        throw new ServeError(405, "Use POST.", "invalid_request_error", "method_not_allowed");
      await chat(req, res, line);
      return;
    }
    throw new ServeError(
      404,
      `No route ${req.method} ${path}: this server answers /v1/chat/completions, /v1/models and /health.`,
      "not_found_error",
      "not_found",
    );
  }

  async function chat(req: IncomingMessage, res: ServerResponse, line: ServeLogLine): Promise<void> {
    const request = readChatRequest(await readJsonBody(req), offer);
    Object.assign(line, {
      model: request.model,
      strategy: request.config.strategy,
      n: request.config.n,
      stream: request.stream,
      ...(options.logPrompts ? { prompt: request.problem.text } : {}),
    });
    const abort = new AbortController();
    // The client going away (its socket closes before the answer is written) cancels the search.
    res.on("close", () => {
      if (!res.writableFinished) abort.abort(new AbortedError("The client went away."));
    });
    inFlight.add(abort);
    let leave: (() => void) | null = null;
    let outcome: ChatOutcome;
    try {
      leave = await gate.enter(abort.signal);
      const live = await connect();
      if (abort.signal.aborted) throw new AbortedError("The client went away.");
      outcome = await answerChat(res, request, options.plan, live, abort.signal, options.heartbeatMs);
    } finally {
      leave?.();
      inFlight.delete(abort);
    }
    line.status = outcome.status;
    if (outcome.error) line.error = outcome.error;
    const r = outcome.result;
    if (r) {
      line.answer = r.answer;
      line.promptTokens = r.cost.policy.promptTokens + r.cost.verifier.promptTokens;
      line.completionTokens = r.cost.policy.completionTokens + r.cost.verifier.completionTokens;
      line.requests = r.cost.policy.requests + r.cost.verifier.requests;
    }
  }

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://serve");
    const line: ServeLogLine = {
      time: new Date().toISOString(),
      method: req.method ?? "GET",
      path: url.pathname,
      status: 200,
      ms: 0,
    };
    res.on("error", () => {});
    route(req, res, line)
      .catch((e: unknown) => {
        if (isAbort(e)) {
          line.status = 499;
          line.error = "client went away";
          return;
        }
        const err = errorOf(e);
        line.status = err.status;
        line.error = err.message;
        sendError(res, err);
      })
      .finally(() => {
        line.ms = Date.now() - started;
        options.log?.(line);
      });
  });
  server.on("clientError", (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const a of inFlight) a.abort(new AbortedError("The server is stopping."));
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function modelObject(id: string): Record<string, unknown> {
  return { id, object: "model", created: 0, owned_by: "tts-reasoner" };
}
