// The HTTP server: reads requests, records them, injects faults, routes to the flavour's
// handlers and writes JSON, SSE or NDJSON replies. A handler that throws gets the flavour's
// error body; nothing a client does can bring the server down.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setMaxListeners } from "node:events";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Engine, type EngineWork } from "./engine.js";
import { ApiError } from "./errors.js";
import { FaultPlan, parseFaults, type FaultKind } from "./faults.js";
import { findModel, modelTable, MODELS, type ModelOverride, type SimModel, type World } from "./models.js";
import { Rng } from "./rng.js";

export type Flavour = "vllm" | "llamacpp" | "ollama" | "openai";

export interface SimworldOptions {
  flavour: Flavour;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default none: answers at once. */
  latency?: "none" | "realistic";
  /** "0.2" (spread over all kinds) or "429=0.1,reset=0.05". */
  faults?: string;
  /** Seeds ids, unseeded sampling and the fault draws. */
  seed?: number;
  /** Multiplies the realistic latency model's waits (default 1). */
  latencyScale?: number;
  /** Batch slots per model (defaults: vllm 32, llamacpp 4, ollama 1, openai 64). */
  slots?: number;
  /** llamacpp: the whole context (`-c`), split over the slots. Default: 8192 tokens a slot. */
  contextSize?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Wait before the first byte of a "slow" fault, in ms (default 1500). */
  slowMs?: number;
  /** Retry-After seconds sent with a 429 (default 1). */
  retryAfterSeconds?: number;
  /** vLLM < 0.10.1 flat error bodies (`{"object":"error",...}`) instead of nested ones. */
  legacyErrors?: boolean;
  /** Ollama /v1/chat/completions continues a trailing assistant message (default false: a new turn). */
  ollamaContinuesChat?: boolean;
  /** The model llama.cpp serves when a request names none or an unknown one (default sim-policy-1.5b). */
  defaultModel?: string;
  /**
   * llama.cpp builds before `n` (PR #17775): n ≠ 1 on /v1 is a 400 "Only one completion choice
   * is allowed" (docs/reference/serving-apis.md §1, §4).
   */
  llamacppSingleChoice?: boolean;
  /** Per model id: a verifier's AUROC, a writer's error-rate scale (models.ts `ModelOverride`). */
  models?: Record<string, ModelOverride>;
  /**
   * `classic` (default): independent step errors. `published`: problem-level difficulty and
   * systematic mistakes, calibrated to published CoT and majority-vote figures (published.ts).
   */
  world?: World;
  /** Called with every request's work as the latency model charges it (bench:overhead). */
  onWork?: (work: EngineWork) => void;
}

export interface SimRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  fault?: string;
}

export type Reply =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "text"; status: number; body: string; contentType?: string; headers?: Record<string, string> }
  | {
      kind: "stream";
      format: "sse" | "ndjson";
      events: AsyncIterable<unknown>;
      headers?: Record<string, string>;
      /** Close the connection once the stream ends, whatever the headers said (llama-server). */
      closeAfter?: boolean;
    };

/** Written as the literal `data: [DONE]` line of an SSE stream. */
export const DONE = Symbol("done");

export interface SimContext {
  options: Required<Pick<SimworldOptions, "flavour" | "latency" | "seed">> & SimworldOptions;
  engine(modelId: string): Engine;
  /** A model by id, with this server's overrides applied; undefined for an unknown id. */
  model(id: string | undefined): SimModel | undefined;
  /** A fresh number per call from the server's seeded generator (ids, unseeded sampling). */
  nonce(): number;
  hex(length: number): string;
}

export interface HandlerInput {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  signal: AbortSignal;
  sim: SimContext;
}

export type Handler = (input: HandlerInput) => Promise<Reply>;

export interface FlavourSpec {
  routes: Record<string, Handler>;
  /** The flavour's error body for an error raised on `path`. */
  errorReply(err: ApiError, path: string): Reply;
  notFound(method: string, path: string): Reply;
}

const DEFAULT_SLOTS: Record<Flavour, number> = { vllm: 32, llamacpp: 4, ollama: 1, openai: 64 };

export interface RunningServer {
  url: string;
  requests: SimRequestRecord[];
  closedConnections(): number;
  openConnections(): number;
  /** Requests whose client went away before the reply was written whole. */
  cancelledRequests(): number;
  /** Requests being answered now. */
  activeRequests(): number;
  close(): Promise<void>;
}

export async function serve(
  options: SimworldOptions,
  makeFlavour: (sim: SimContext) => FlavourSpec,
): Promise<RunningServer> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const opts = { ...options, latency: options.latency ?? "none", seed };
  const faults = new FaultPlan(parseFaults(options.faults), seed);
  const rng = new Rng(seed);
  const engines = new Map<string, Engine>();
  const models = modelTable(options.models, options.world);
  const sim: SimContext = {
    options: opts,
    engine(modelId) {
      let e = engines.get(modelId);
      if (!e) {
        const m = findModel(modelId) ?? MODELS[0];
        e = new Engine(
          {
            prefillMsPerToken: m?.prefillMsPerToken ?? 0.1,
            decodeMsPerToken: m?.decodeMsPerToken ?? 10,
            slots: options.slots ?? DEFAULT_SLOTS[options.flavour],
          },
          opts.latency === "realistic",
          options.latencyScale ?? 1,
          options.onWork && ((w) => options.onWork?.({ model: modelId, ...w })),
        );
        engines.set(modelId, e);
      }
      return e;
    },
    model: (id) => (id === undefined ? undefined : models.get(id)),
    nonce: () => Math.floor(rng.next() * 2 ** 32),
    hex: (length) => Array.from({ length }, () => "0123456789abcdef"[Math.floor(rng.next() * 16)]).join(""),
  };
  const flavour = makeFlavour(sim);

  const requests: SimRequestRecord[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  let cancelled = 0;
  let active = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Last resort: the reply could not even be written.
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      closed++;
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://simworld");
    const method = (req.method ?? "GET").toUpperCase();
    const record: SimRequestRecord = {
      method,
      path: url.pathname,
      headers: { ...req.headers },
      body: undefined,
      status: 0,
    };
    requests.push(record);
    const abort = new AbortController();
    // Each of a request's sequences (choices, pooled inputs) waits on this signal at once.
    setMaxListeners(0, abort.signal);
    active++;
    res.on("close", () => {
      active--;
      if (res.writableFinished) return;
      cancelled++;
      abort.abort(new Error("client went away"));
    });
    const raw = await readBody(req);
    let body: unknown = undefined;
    let reply: Reply;
    try {
      if (raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch {
          record.body = raw;
          throw new ApiError(400, `Invalid JSON in the request body: ${raw.slice(0, 40)}`, "invalid_request");
        }
      }
      record.body = body;
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`)
        throw new ApiError(401, "Invalid or missing API key (Authorization: Bearer ...)", "auth");
      const handler = flavour.routes[`${method} ${url.pathname}`];
      if (!handler) {
        reply = flavour.notFound(method, url.pathname);
      } else {
        const fault = method === "POST" ? faults.draw() : null;
        if (fault) record.fault = fault;
        if (fault === "429" || fault === "500" || fault === "503") {
          reply = faultReply(fault, url.pathname);
        } else {
          if (fault === "slow")
            await sleep(opts.slowMs ?? 1500, undefined, { signal: abort.signal }).catch(() => {});
          reply = await handler({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
            signal: abort.signal,
            sim,
          });
          await write(res, reply, record, fault);
          return;
        }
      }
    } catch (err) {
      reply =
        err instanceof ApiError
          ? flavour.errorReply(err, url.pathname)
          : flavour.errorReply(internal(err), url.pathname);
    }
    await write(res, reply, record, null);
  }

  function internal(err: unknown): ApiError {
    const message = err instanceof Error ? err.message : String(err);
    return new ApiError(500, `simworld internal error: ${message}`, "server");
  }

  function faultReply(fault: "429" | "500" | "503", path: string): Reply {
    if (fault === "429") {
      const reply = flavour.errorReply(
        new ApiError(429, "Rate limit reached for requests. Please try again shortly.", "rate_limit"),
        path,
      );
      const seconds = String(opts.retryAfterSeconds ?? 1);
      return { ...reply, headers: { ...(reply.headers ?? {}), "retry-after": seconds } } as Reply;
    }
    if (fault === "500")
      return flavour.errorReply(new ApiError(500, "Internal server error (injected fault)", "server"), path);
    return flavour.errorReply(
      new ApiError(503, "Service unavailable: the server is overloaded (injected fault)", "unavailable"),
      path,
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    requests,
    closedConnections: () => closed,
    openConnections: () => sockets.size,
    cancelledRequests: () => cancelled,
    activeRequests: () => active,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= 16 * 1024 * 1024) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("aborted", () => resolve(""));
  });
}

/** Ends the connection abruptly (TCP RST where the platform allows). */
function reset(res: ServerResponse): void {
  const socket = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
  if (socket?.resetAndDestroy) socket.resetAndDestroy();
  else socket?.destroy();
}

async function flushThenReset(res: ServerResponse): Promise<void> {
  // Let the bytes written so far reach the client, so the reset lands mid-response.
  await sleep(15);
  reset(res);
}

/** The last event of a stream: `[DONE]`, Ollama's `done: true`, llama.cpp's `stop: true`. */
function isFinal(event: unknown): boolean {
  if (event === DONE) return true;
  const e = event as { done?: unknown; stop?: unknown } | null;
  return typeof e === "object" && e !== null && (e.done === true || e.stop === true);
}

async function write(
  res: ServerResponse,
  reply: Reply,
  record: SimRequestRecord,
  fault: FaultKind | null,
): Promise<void> {
  if (res.destroyed) return;
  if (reply.kind === "json" || reply.kind === "text") {
    const text = reply.kind === "json" ? JSON.stringify(reply.body) : reply.body;
    const type =
      reply.kind === "json" ? "application/json" : (reply.contentType ?? "text/plain; charset=utf-8");
    record.status = reply.status;
    if (fault === "reset" || fault === "malformed" || fault === "truncated") {
      // No Content-Length: the client cannot tell a cut body from a whole one until it parses it.
      res.writeHead(reply.status, { "content-type": type, ...(reply.headers ?? {}) });
      const cut = text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
      if (fault === "reset") {
        res.write(cut);
        await flushThenReset(res);
      } else res.end(fault === "malformed" ? cut + '"},{' : cut);
      return;
    }
    res.writeHead(reply.status, {
      "content-type": type,
      "content-length": Buffer.byteLength(text),
      ...(reply.headers ?? {}),
    });
    res.end(text);
    return;
  }
  record.status = 200;
  res.writeHead(200, {
    "content-type": reply.format === "sse" ? "text/event-stream; charset=utf-8" : "application/x-ndjson",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...(reply.headers ?? {}),
  });
  const line = (event: unknown): string => {
    if (event === DONE) return "data: [DONE]\n\n";
    const json = JSON.stringify(event);
    return reply.format === "sse" ? `data: ${json}\n\n` : `${json}\n`;
  };
  let count = 0;
  let faulted = false;
  try {
    for await (const event of reply.events) {
      if (res.destroyed) return;
      // A faulty stream breaks at its third event, or at its last one if it is shorter.
      if (fault && !faulted && (count === 2 || isFinal(event))) {
        faulted = true;
        if (fault === "reset") return await flushThenReset(res);
        if (fault === "truncated") {
          res.end();
          return;
        }
        if (fault === "malformed") {
          const text = line(event);
          res.write(text.slice(0, Math.floor(text.length / 2)) + (reply.format === "sse" ? "\n\n" : "\n"));
          count++;
          continue;
        }
      }
      res.write(line(event));
      count++;
    }
    if (reply.closeAfter) res.once("finish", () => res.socket?.end());
    res.end();
  } catch (err) {
    // An error after the headers went out: as servers do, say so in the stream, then close.
    if (!res.destroyed) {
      const message = err instanceof Error ? err.message : String(err);
      const payload = { error: { message, type: "server_error", code: 500 } };
      res.end(
        reply.format === "sse"
          ? `data: ${JSON.stringify(payload)}\n\n`
          : `${JSON.stringify({ error: message })}\n`,
      );
    }
  }
}
