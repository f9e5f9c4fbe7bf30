import { setMaxListeners } from "node:events";
import { AbortedError, DEFAULT_CONCURRENCY, type Usage } from "../core/index.js";
import {
  EndpointError,
  hintForStatus,
  hintForTransport,
  isContextOverflow,
  parseErrorBody,
  shortReason,
} from "./errors.js";
import {
  closeIdleSockets,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUTS,
  keepAliveAgents,
  requestAborted,
  send,
  shorter,
  TransportError,
  type HttpResponse,
  type Timeouts,
} from "./http.js";
import { ReplicaPool } from "./pool.js";
import { readUsage, tallyReceived, tallyRequest, tallyUsage } from "./request-count.js";
import { failureOutcome, RETRYABLE_STATUS, retryAfterMs, retryDelay, sleep } from "./retry-policy.js";
import { NdjsonParser, SseParser } from "./sse.js";
import { checkedUrl, displayUrl, normalizeBaseUrl, originOf, UrlFacts } from "./url.js";

/** One line per HTTP request (each retry is its own line). Never holds keys or bodies. */
export interface RequestLogLine {
  endpoint: string;
  method: "GET" | "POST";
  url: string;
  /** HTTP status, or null when no response came (connection failure, timeout, cancel). */
  status: number | null;
  promptTokens?: number;
  completionTokens?: number;
  ms: number;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  error?: string;
}

export interface ClientOptions {
  /** Which role, as errors and logs name it: "policy" or "verifier". */
  endpoint: string;
  baseUrls: readonly string[];
  apiKey?: string;
  timeouts?: Partial<Timeouts>;
  maxRetries?: number;
  concurrency?: number;
  log?: (line: RequestLogLine) => void;
  /** Use the URLs as given, not as base URLs (a custom scorer's full URL). */
  rawUrls?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Fewer retries than the endpoint's default, e.g. 0 for probes. */
  maxRetries?: number;
  /** A specific replica root instead of the pool's choice (probes). */
  root?: string;
  /** Reads token usage from a parsed body, for the log line. */
  usage?: (body: unknown) => Usage | undefined;
  /** Shorter limits than the endpoint's (probes); a longer one is ignored. */
  timeouts?: Partial<Timeouts>;
}

export interface CallResult<T> {
  value: T;
  /** Retries made before it succeeded. */
  retries: number;
  /** The URL that answered. */
  url: string;
}

/** Parses a streamed body; a fresh reader is made for every attempt. */
export interface StreamReader<T> {
  event(payload: unknown): void;
  /** The stream reached its end marker (finish reasons, `done`, `stop`), not just EOF. */
  complete(): boolean;
  result(): T;
  /** Tokens received so far, counted as spent when the attempt fails or is cut off. */
  received?(): Usage;
}

/**
 * HTTP for one role: a pool of replicas with a concurrency cap, retries with backoff that honour
 * `Retry-After`, timeouts, cancellation, one log line per request, and errors that carry the
 * endpoint, URL, status and the server's own message. The API key goes only to the origins of
 * the configured base URLs and is scrubbed from anything the server echoes back.
 */
export class EndpointClient {
  readonly endpoint: string;
  readonly roots: string[];
  private readonly pool: ReplicaPool;
  private readonly timeouts: Timeouts;
  private readonly maxRetries: number;
  private readonly apiKey?: string;
  private readonly keyOrigins: Set<string>;
  private readonly agents;
  private readonly log?: (line: RequestLogLine) => void;
  private readonly linked = new WeakMap<AbortSignal, AbortSignal>();
  private readonly urls: UrlFacts;

  constructor(options: ClientOptions) {
    this.endpoint = options.endpoint;
    this.roots = [...new Set(options.baseUrls.map(options.rawUrls ? checkedUrl : normalizeBaseUrl))];
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.pool = new ReplicaPool(this.roots, concurrency);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.apiKey = options.apiKey || undefined;
    this.keyOrigins = new Set(this.roots.map(originOf));
    this.urls = new UrlFacts(this.keyOrigins);
    this.agents = keepAliveAgents(concurrency);
    this.log = options.log;
  }

  /** A probe found this replica down: calls avoid it for a while. */
  markDown(root: string): void {
    this.pool.markDown(root);
  }

  /** The replica roots, without credentials, for messages. */
  get displayRoots(): string[] {
    return this.roots.map(displayUrl);
  }

  /** Sends a JSON request (GET without body) and parses the JSON response. */
  async json(route: string, body: unknown, options: CallOptions = {}): Promise<CallResult<unknown>> {
    return this.withRetries(route, body, options, "application/json", async (res, url) => {
      const text = await res.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw this.notJson(url, "sent a body that is not JSON", text, hintForTransport("bad-response", url));
      }
    });
  }

  /**
   * Sends a request whose response streams (SSE or NDJSON) and feeds each parsed payload to a
   * reader. An error event inside the stream fails the attempt like an HTTP error would.
   */
  async stream<T>(
    route: string,
    body: unknown,
    format: "sse" | "ndjson",
    makeReader: () => StreamReader<T>,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const accept = format === "sse" ? "text/event-stream" : "application/x-ndjson";
    // One reader per attempt that got a stream; all but a successful last one were cut off.
    const readers: StreamReader<T>[] = [];
    const track = (): StreamReader<T> => {
      const reader = makeReader();
      readers.push(reader);
      return reader;
    };
    const done = this.withRetries(route, body, options, accept, async (res, url) => {
      const reader = track();
      const parser = format === "sse" ? new SseParser() : new NdjsonParser();
      const handle = (payloads: string[]): void => {
        for (const p of payloads) {
          if (p === "[DONE]") continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(p);
          } catch {
            throw this.notJson(url, "sent a stream event that is not JSON", p);
          }
          if (
            parsed &&
            typeof parsed === "object" &&
            "error" in parsed &&
            (parsed as { error: unknown }).error
          )
            throw this.streamError(parsed, url);
          reader.event(parsed);
        }
      };
      const type = String(res.headers["content-type"] ?? "");
      if (type.includes("application/json") && format === "sse") {
        // A server that does not stream answers the whole response as one JSON body.
        handle([(await res.text()).trim()]);
      } else {
        for await (const chunk of res.chunks()) handle(parser.push(chunk));
        handle(parser.end());
      }
      if (!reader.complete())
        throw new EndpointError({
          endpoint: this.endpoint,
          url,
          transport: "bad-response",
          what: "ended its stream before the response was complete",
          hint: "The server or a proxy cut the response short; it is retried.",
          retryable: true,
        });
      return reader.result();
    });
    try {
      const result = await done;
      readers.pop();
      return result;
    } finally {
      // What arrived before a stream broke (or was cancelled) was generated: it is spent.
      for (const r of readers) tallyReceived(r.received?.());
    }
  }

  /**
   * The caller's signal, linked once to one of this client's own: every request, wait and
   * backoff listens to that one (so a run's signal gets one listener per endpoint, not one per
   * request), and when the run is cancelled the idle keep-alive sockets are closed too, whether
   * or not a call was in flight, so the server sees every connection of the run close.
   */
  private link(signal?: AbortSignal): AbortSignal | undefined {
    if (!signal) return undefined;
    let inner = this.linked.get(signal);
    if (!inner) {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const onAbort = (): void => {
        controller.abort();
        // After the aborted requests have destroyed their own sockets.
        setImmediate(() => closeIdleSockets(this.agents));
      };
      if (signal.aborted) controller.abort();
      else signal.addEventListener("abort", onAbort, { once: true });
      inner = controller.signal;
      this.linked.set(signal, inner);
    }
    return inner;
  }

  private async withRetries<T>(
    route: string,
    body: unknown,
    callOptions: CallOptions,
    accept: string,
    read: (res: HttpResponse, url: string) => Promise<T>,
  ): Promise<CallResult<T>> {
    const options = { ...callOptions, signal: this.link(callOptions.signal) };
    const maxRetries = Math.min(options.maxRetries ?? this.maxRetries, this.maxRetries);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const replica = options.root ? null : await this.pool.acquire(options.signal);
      const url = (options.root ?? replica!.root) + route;
      const started = Date.now();
      tallyRequest(attempt);
      let error: EndpointError;
      try {
        const res = await send({
          url,
          method: payload === undefined ? "GET" : "POST",
          headers: this.headers(url, accept, payload !== undefined),
          body: payload,
          signal: options.signal,
          timeouts: shorter(this.timeouts, options.timeouts),
          agents: this.agents,
        });
        if (res.status >= 400) throw this.httpError(res, await res.text().catch(() => ""), url);
        const value = await read(res, url);
        if (replica) this.pool.release(replica, "ok");
        const usage = readUsage(options.usage, value);
        if (usage) tallyUsage(usage);
        this.emit(payload, url, res.status, started, attempt, undefined, usage);
        return { value, retries: attempt, url: this.urls.of(url).shown };
      } catch (e) {
        const aborted = e instanceof AbortedError || options.signal?.aborted === true;
        const known = aborted ? null : this.asEndpointError(e, url);
        if (replica) this.pool.release(replica, known ? failureOutcome(known) : "neutral");
        this.emit(
          payload,
          url,
          known?.status ?? null,
          started,
          attempt,
          aborted ? "cancelled" : shortReason(known, e),
        );
        if (aborted) throw e instanceof AbortedError ? e : requestAborted();
        if (!known) throw e;
        error = known;
      }
      if (!error.retryable || attempt >= maxRetries) {
        error.retries = attempt;
        throw error;
      }
      await sleep(retryDelay(attempt, error.retryAfterMs), options.signal);
    }
  }

  private headers(url: string, accept: string, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept, "user-agent": "tts-reasoner" };
    if (hasBody) h["content-type"] = "application/json";
    // The key belongs to the configured origins only, never to any other host.
    if (this.apiKey && this.urls.of(url).keyed) h.authorization = `Bearer ${this.apiKey}`;
    return h;
  }

  private httpError(res: HttpResponse, text: string, url: string): EndpointError {
    const body = parseErrorBody(text);
    const message = body.message ? this.redact(body.message) : undefined;
    return new EndpointError({
      endpoint: this.endpoint,
      url,
      status: res.status,
      serverMessage: message,
      serverType: body.type ?? (body.code !== undefined ? String(body.code) : undefined),
      hint: hintForStatus(res.status, { ...body, message }, url),
      retryable: RETRYABLE_STATUS.has(res.status) && !isContextOverflow(res.status, body),
      retryAfterMs: retryAfterMs(res.headers),
    });
  }

  /** A body or event that does not parse: retried, the server's first words quoted. */
  private notJson(url: string, what: string, text: string, hint?: string): EndpointError {
    return new EndpointError({
      endpoint: this.endpoint,
      url,
      transport: "bad-response",
      what,
      serverMessage: this.redact(text.slice(0, 200)),
      ...(hint ? { hint } : {}),
      retryable: true,
    });
  }

  private streamError(parsed: object, url: string): EndpointError {
    const body = parseErrorBody(parsed);
    const code = typeof body.code === "number" ? body.code : undefined;
    const serverSide =
      (code !== undefined && code >= 500) || /server_error|unavailable|overload/i.test(body.type ?? "");
    return new EndpointError({
      endpoint: this.endpoint,
      url,
      what: "reported an error in the middle of its stream",
      serverMessage: body.message ? this.redact(body.message) : undefined,
      serverType: body.type,
      hint: isContextOverflow(undefined, body) ? hintForStatus(400, body, url) : undefined,
      retryable: (serverSide || code === 429) && !isContextOverflow(undefined, body),
    });
  }

  private asEndpointError(e: unknown, url: string): EndpointError | null {
    if (e instanceof EndpointError) return e;
    if (e instanceof TransportError)
      return new EndpointError({
        endpoint: this.endpoint,
        url,
        transport: e.kind,
        hint: hintForTransport(e.kind, url),
        retryable: e.kind !== "dns" && e.kind !== "tls",
      });
    return null;
  }

  /** Removes the API key from text a server sent back (some echo a prefix of it). */
  redact(text: string): string {
    if (!this.apiKey) return text;
    let out = text.split(this.apiKey).join("[key]");
    if (this.apiKey.length >= 12) out = out.split(this.apiKey.slice(0, 8)).join("[key]");
    return out;
  }

  private emit(
    payload: string | undefined,
    url: string,
    status: number | null,
    started: number,
    attempt: number,
    error?: string,
    usage?: Usage,
  ): void {
    if (!this.log) return;
    try {
      this.log({
        endpoint: this.endpoint,
        method: payload === undefined ? "GET" : "POST",
        url: this.urls.of(url).shown,
        status,
        ...(usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } : {}),
        ms: Date.now() - started,
        attempt: attempt + 1,
        ...(error ? { error } : {}),
      });
    } catch {
      // A failing log sink must not fail the call.
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
