// Reading request bodies and writing JSON, error envelopes and server-sent events.
import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, envelope, ServeError } from "./errors.js";

/** A chat body larger than this is refused: a long conversation is a few hundred kB. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new ServeError(
            413,
            `The body is over ${MAX_BODY_BYTES} bytes.`,
            "invalid_request_error",
            "body_too_large",
          ),
        );
        req.destroy();
      } else chunks.push(c);
    });
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(badRequest("The body is not valid JSON."));
      }
    });
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: ServeError): void {
  sendJson(
    res,
    e.status,
    envelope(e),
    e.retryAfter !== undefined ? { "retry-after": String(e.retryAfter) } : {},
  );
}

/** Quiet milliseconds after which a stream gets a keep-alive comment (a long search). */
export const HEARTBEAT_MS = 15_000;

/**
 * A server-sent event stream in OpenAI's framing: `data: <json>` blocks, then `data: [DONE]`.
 * Once nothing has been sent for `heartbeatMs`, an SSE comment (`: keep-alive`, which clients
 * skip) goes out, so proxies and idle timers do not cut a search that is still running.
 */
export class EventStream {
  private heartbeat: ReturnType<typeof setInterval>;
  private lastWrite = Date.now();

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    // Headers out now: a client sees the stream open while the search runs.
    res.flushHeaders();
    this.heartbeat = setInterval(() => {
      if (this.open && Date.now() - this.lastWrite >= heartbeatMs) this.write(": keep-alive\n\n");
    }, heartbeatMs / 3);
    this.heartbeat.unref();
    res.on("close", () => clearInterval(this.heartbeat));
  }

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  send(data: unknown): void {
    if (this.open) this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    this.lastWrite = Date.now();
    this.res.write(text);
  }

  /** Ends with `[DONE]`, or, after an error event, without it (as OpenAI's servers do). */
  end(done = true): void {
    clearInterval(this.heartbeat);
    if (this.open) this.res.end(done ? "data: [DONE]\n\n" : undefined);
  }
}
