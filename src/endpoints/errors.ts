import { SearchError } from "../core/errors.js";
import { displayUrl } from "./url.js";

/** What went wrong below HTTP: no status to show, so the kind says it. */
export type TransportFailure =
  | "refused"
  | "reset"
  | "dns"
  | "tls"
  | "connect-timeout"
  | "first-token-timeout"
  | "idle-timeout"
  | "bad-response";

export interface EndpointErrorInit {
  /** Which endpoint: "policy", "verifier" or the name the caller gave. */
  endpoint: string;
  url: string;
  status?: number;
  serverMessage?: string;
  /** The server's error type or code, when it sent one. */
  serverType?: string;
  transport?: TransportFailure;
  /** What the user can do about it. */
  hint?: string;
  /** A retry may succeed (rate limits, overload, resets, timeouts). */
  retryable?: boolean;
  /** From a `Retry-After` header, in ms. */
  retryAfterMs?: number;
  /** Replaces the default message (what failed, in words). */
  what?: string;
}

/**
 * A failed call to a policy or verifier endpoint. The message says what failed, where
 * (endpoint and URL, without credentials), the HTTP status and the server's own words, and
 * what to do. Keys never appear in it: the URL is shown without user info or query, and the
 * server's message is passed through `redact` by the client that made the call.
 */
export class EndpointError extends SearchError {
  readonly endpoint: string;
  readonly url: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly serverType?: string;
  readonly transport?: TransportFailure;
  readonly hint?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** Retries made before giving up: the scheduler counts them in the run's cost. */
  retries = 0;

  constructor(init: EndpointErrorInit) {
    const url = displayUrl(init.url);
    const what = init.what ?? describe(init);
    const sentence = `The ${init.endpoint} endpoint (${url}) ${what}${init.serverMessage ? `: ${init.serverMessage}` : ""}`;
    const role = init.endpoint === "policy" || init.endpoint === "verifier" ? init.endpoint : undefined;
    super(
      "endpoint",
      `${sentence}${/[.!?]$/.test(sentence) ? "" : "."}${init.hint ? ` ${init.hint}` : ""}`,
      role,
    );
    this.name = "EndpointError";
    this.endpoint = init.endpoint;
    this.url = url;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.serverType = init.serverType;
    this.transport = init.transport;
    this.hint = init.hint;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
  }
}

function describe(init: EndpointErrorInit): string {
  if (init.status !== undefined) return `answered HTTP ${init.status}`;
  switch (init.transport) {
    case "refused":
      return "refused the connection";
    case "reset":
      return "closed the connection before answering";
    case "dns":
      return "could not be found (DNS)";
    case "tls":
      return "failed the TLS handshake";
    case "connect-timeout":
      return "did not accept a connection in time";
    case "first-token-timeout":
      return "sent nothing back in time";
    case "idle-timeout":
      return "stopped sending in the middle of a response";
    case "bad-response":
      return "sent a response that could not be read";
    default:
      return "failed";
  }
}

/** The message, type and code of an error body, whatever its shape. */
export interface ServerErrorBody {
  message?: string;
  type?: string;
  code?: string | number;
  /** llama.cpp's context overflow: the context of one slot, in tokens. */
  nCtx?: number;
}

/**
 * Reads an error body in every shape the servers use: nested `{"error":{message,type,code}}`
 * (OpenAI, vLLM ≥ 0.10.1, llama.cpp, Ollama /v1), flat `{"object":"error","message",…}`
 * (vLLM < 0.10.1, SGLang), `{"error":"text"}` (Ollama native), FastAPI `{"detail":…}`, or plain
 * text. Returns an empty object when the body says nothing.
 */
export function parseErrorBody(body: unknown): ServerErrorBody {
  if (typeof body === "string") {
    const text = body.trim();
    if (!text) return {};
    try {
      return parseErrorBody(JSON.parse(text) as unknown);
    } catch {
      return {
        message: clip(
          text
            .replace(/<[^>]*>/g, " ")
            .replace(/\s+/g, " ")
            .trim(),
        ),
      };
    }
  }
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (typeof err === "string") return { message: clip(err) };
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    return {
      message: typeof e.message === "string" ? clip(e.message) : undefined,
      type: typeof e.type === "string" ? e.type : undefined,
      code: typeof e.code === "string" || typeof e.code === "number" ? e.code : undefined,
      ...(typeof e.n_ctx === "number" ? { nCtx: e.n_ctx } : {}),
    };
  }
  if (typeof b.message === "string")
    return {
      message: clip(b.message),
      type: typeof b.type === "string" ? b.type : undefined,
      code: typeof b.code === "string" || typeof b.code === "number" ? b.code : undefined,
    };
  if (typeof b.detail === "string") return { message: clip(b.detail) };
  if (Array.isArray(b.detail))
    return {
      message: clip(
        b.detail
          .map((d) =>
            d && typeof d === "object" && "msg" in d
              ? String((d as { msg: unknown }).msg)
              : JSON.stringify(d),
          )
          .join("; "),
      ),
    };
  return {};
}

function clip(text: string): string {
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

const CONTEXT_OVERFLOW =
  /maximum context length|context[_ ]length[_ ]exceeded|exceeds? the available context|context size|too many tokens|is too large/i;

/** True when an error says the prompt and completion do not fit the model's context. */
export function isContextOverflow(status: number | undefined, body: ServerErrorBody): boolean {
  if (body.type === "exceed_context_size_error" || body.code === "context_length_exceeded") return true;
  return (
    (status === 400 || status === 413 || status === undefined) && CONTEXT_OVERFLOW.test(body.message ?? "")
  );
}

/** What a user can do about an HTTP error, in words. */
export function hintForStatus(status: number, body: ServerErrorBody, url: string): string | undefined {
  const message = body.message ?? "";
  if (body.type === "exceed_context_size_error")
    // llama-server's own error: its context is split over the slots (docs/reference/llamacpp-real.md).
    return (
      `The prompt and the completion do not fit one slot's context${body.nCtx ? ` (${body.nCtx} tokens)` : ""}: ` +
      "llama-server splits -c over its -np slots, so each request gets -c / -np tokens. Raise -c, lower -np " +
      "(or start it with --kv-unified), or lower max tokens or max steps."
    );
  if (isContextOverflow(status, body))
    return (
      "The prompt and the completion do not fit the model's context: lower max tokens or max steps, " +
      "or give the server a larger context (vLLM --max-model-len, llama.cpp -c, Ollama num_ctx)."
    );
  if (status === 401 || status === 403)
    return (
      `Check the API key set for ${new URL(url).origin} (keyless local servers need none). ` +
      "A user name or password written in the URL is not sent: the key goes in the API key setting."
    );
  if (status === 404 && /model/i.test(message))
    return "The model name is not served there: use an id from GET /v1/models (Test Connection lists them).";
  if (status === 404 || status === 405)
    return "The server has no such route: check the base URL and the API style (Test Connection detects both).";
  if (status === 429) return "The server is rate limiting: lower the concurrency or wait.";
  if (status === 503 && /loading/i.test(message))
    return "The server is still loading the model: wait and retry.";
  if (status === 502 || status === 503 || status === 504)
    return "The server (or a proxy in front of it) is overloaded or down: wait and retry, or lower the concurrency.";
  if (status >= 500) return "The server failed on this request: its log says why.";
  return undefined;
}

/** What a user can do about a transport failure, in words. */
export function hintForTransport(kind: TransportFailure, url: string): string {
  const origin = new URL(url).origin;
  switch (kind) {
    case "refused":
      return `Nothing is listening at ${origin}: start the server, or fix the host and port.`;
    case "dns":
      return `The host of ${origin} does not resolve: check the spelling, or use an IP address.`;
    case "tls":
      return "Check the server's certificate; for a private CA set NODE_EXTRA_CA_CERTS to its bundle.";
    case "connect-timeout":
      return `Check that ${origin} is reachable from here (firewall, VPN), or raise the connect timeout.`;
    case "first-token-timeout":
      return "The server may be overloaded or prefilling a long prompt: raise the first-token timeout or lower the concurrency.";
    case "idle-timeout":
      return "The server stalled while generating: raise the idle timeout or lower the concurrency.";
    case "reset":
      return "The server or a proxy dropped the connection: check the server log.";
    case "bad-response":
      return "The URL may point at something that is not this kind of server: check the base URL and API style.";
  }
}

/** A failure in a word or two, for the request's log line. */
export function shortReason(error: EndpointError | null, e: unknown): string {
  if (error?.transport) return error.transport;
  if (error?.status !== undefined) return error.serverType ?? `HTTP ${error.status}`;
  if (error) return error.serverType ?? "error";
  return e instanceof Error ? e.name : "error";
}

const TIMEOUT_KINDS: readonly TransportFailure[] = ["connect-timeout", "first-token-timeout", "idle-timeout"];

/**
 * Whether an endpoint error, or a message one made (a run's `failures` keep only messages),
 * says the server ran out of time: a gateway in front of the search answers 504 for those.
 */
export function isEndpointTimeout(e: unknown): boolean {
  if (e instanceof EndpointError) return e.transport !== undefined && TIMEOUT_KINDS.includes(e.transport);
  const message = typeof e === "string" ? e : e instanceof Error ? e.message : "";
  return TIMEOUT_KINDS.some((transport) =>
    message.includes(`) ${describe({ endpoint: "", url: "", transport })}`),
  );
}
