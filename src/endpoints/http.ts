import http from "node:http";
import https from "node:https";
import { AbortedError } from "../core/errors.js";
import type { TransportFailure } from "./errors.js";

/** Connect, first-token and idle limits of one HTTP exchange, in ms. */
export interface Timeouts {
  /** Until the TCP connection is up. */
  connectMs: number;
  /** From the request being sent until the first byte of the response body. */
  firstTokenMs: number;
  /** Longest silence between two chunks of the body once it has started. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000 };

/** Retries of a failed request unless the settings say otherwise. */
export const DEFAULT_MAX_RETRIES = 4;

/** A failure below HTTP: the connection, not the server's answer. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/** Thrown when the caller's AbortSignal fires; the request's socket is destroyed. */
export const requestAborted = (): AbortedError => new AbortedError("The request was cancelled.");

export interface HttpCall {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeouts: Timeouts;
  agents?: Agents;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it arrives; the idle timeout applies between chunks. Breaking out closes it. */
  chunks(): AsyncGenerator<Buffer>;
  text(): Promise<string>;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive agents whose idle sockets close after a few seconds. No socket limit: the replica
 * pool caps the requests in flight, and a request queued inside the agent is handed the socket
 * of the response that just ended, which a server that closes after each stream (llama-server)
 * has already shut: measured, 29 of 64 such requests failed with "socket hang up".
 */
export function keepAliveAgents(maxFreeSockets: number): Agents {
  const options = { keepAlive: true, maxSockets: Infinity, maxFreeSockets, timeout: 5_000 };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/**
 * Closes the agents' idle keep-alive sockets (sockets in use are left alone). Called when a
 * request is cancelled, so that a cancelled run leaves no connection open on the server.
 */
export function closeIdleSockets(agents: Agents): void {
  for (const agent of [agents.http, agents.https])
    for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
}

/**
 * Sends one request over node:http(s) and resolves once the response headers are in. The
 * socket is destroyed, not returned to the pool, on abort, on a timeout and when the body is
 * abandoned, so a cancelled run leaves no connection open on the server.
 */
export function send(call: HttpCall): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (call.signal?.aborted) return reject(requestAborted());
    const url = new URL(call.url);
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = { ...call.headers };
    if (call.body !== undefined) headers["content-length"] = String(Buffer.byteLength(call.body));
    const agent = call.agents ? (secure ? call.agents.https : call.agents.http) : undefined;
    let req: http.ClientRequest;
    let resends = 0;

    let settled = false;
    let finished = false;
    let failure: Error | null = null;
    let res: http.IncomingMessage | null = null;
    const queue: Buffer[] = [];
    let ended = false;
    let wake: (() => void) | null = null;
    const timers: { connect?: NodeJS.Timeout; first?: NodeJS.Timeout; idle?: NodeJS.Timeout } = {};

    const clearTimers = (): void => {
      clearTimeout(timers.connect);
      clearTimeout(timers.first);
      clearTimeout(timers.idle);
    };
    const cleanup = (): void => {
      finished = true;
      clearTimers();
      call.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: Error): void => {
      if (finished) return;
      failure = error;
      cleanup();
      req.destroy();
      res?.destroy();
      if (!settled) {
        settled = true;
        reject(error);
      }
      wake?.();
    };
    const onAbort = (): void => fail(requestAborted());
    call.signal?.addEventListener("abort", onAbort, { once: true });

    const timeout = (kind: TransportFailure, ms: number): NodeJS.Timeout =>
      setTimeout(
        () => fail(new TransportError(kind, `no ${kind.replace(/-timeout$/, "")} within ${ms} ms`)),
        ms,
      );

    const open = (): void => {
      req = (secure ? https : http).request(url, { method: call.method, headers, agent });
      const self = req;
      req.on("socket", (socket) => {
        if (socket.connecting) {
          timers.connect = timeout("connect-timeout", call.timeouts.connectMs);
          socket.once("connect", () => clearTimeout(timers.connect));
        }
      });
      req.on("finish", () => {
        clearTimeout(timers.first);
        if (!finished) timers.first = timeout("first-token-timeout", call.timeouts.firstTokenMs);
      });
      req.on("error", (e) => {
        if (finished || self !== req) return;
        // A pooled keep-alive socket the server had already closed (llama-server closes after
        // every stream although it says Keep-Alive): nothing reached the server, so the request
        // goes again at once on another socket; it is not a failure or a retry of the call.
        if (self.reusedSocket && !res && resends < MAX_RESENDS && isDeadSocket(e)) {
          resends++;
          clearTimers();
          self.destroy();
          open();
          return;
        }
        fail(transportError(e));
      });
      req.on("response", onResponse);
      req.end(call.body);
    };

    const onResponse = (response: http.IncomingMessage): void => {
      res = response;
      response.on("data", (chunk: Buffer) => {
        clearTimeout(timers.first);
        clearTimeout(timers.idle);
        timers.idle = timeout("idle-timeout", call.timeouts.idleMs);
        queue.push(chunk);
        wake?.();
      });
      response.on("end", () => {
        ended = true;
        cleanup();
        wake?.();
      });
      response.on("aborted", () => fail(new TransportError("reset", "the connection closed mid-response")));
      response.on("error", (e) => fail(transportError(e)));
      response.on("close", () => {
        if (!ended) fail(new TransportError("reset", "the connection closed mid-response"));
      });

      async function* chunks(): AsyncGenerator<Buffer> {
        try {
          for (;;) {
            const next = queue.shift();
            if (next) yield next;
            else if (failure) throw failure;
            else if (ended) return;
            else await new Promise<void>((r) => (wake = r));
            wake = null;
          }
        } finally {
          // A reader that stops early must not leave the socket open behind it.
          if (!ended && !failure) fail(requestAborted());
        }
      }
      settled = true;
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        chunks,
        async text() {
          const parts: Buffer[] = [];
          for await (const c of chunks()) parts.push(c);
          return Buffer.concat(parts).toString("utf8");
        },
      });
    };
    open();
  });
}

/** Pooled sockets one request may find dead in a row before the failure counts. */
const MAX_RESENDS = 16;

function isDeadSocket(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED";
}

function transportError(e: Error): Error {
  if (e instanceof TransportError || e instanceof AbortedError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? "";
  const kind: TransportFailure =
    code === "ECONNREFUSED"
      ? "refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "dns"
        : code === "ETIMEDOUT"
          ? "connect-timeout"
          : /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)
            ? "tls"
            : code === "HPE_INVALID_CONSTANT" || code.startsWith("HPE_")
              ? "bad-response"
              : "reset";
  return new TransportError(kind, e.message || code);
}

/** The tighter of two sets of limits, field by field. */
export function shorter(base: Timeouts, limits?: Partial<Timeouts>): Timeouts {
  if (!limits) return base;
  return {
    connectMs: Math.min(base.connectMs, limits.connectMs ?? Infinity),
    firstTokenMs: Math.min(base.firstTokenMs, limits.firstTokenMs ?? Infinity),
    idleMs: Math.min(base.idleMs, limits.idleMs ?? Infinity),
  };
}
