/**
 * Base URLs as users paste them: with or without `/v1`, with a trailing slash, with a doubled
 * `/v1/v1`, or with a whole endpoint path copied from a docs page. All of them resolve to the
 * server root; the OpenAI routes live under `${root}/v1`, vLLM's `/pooling` and the native
 * llama.cpp and Ollama routes under the root itself.
 */

// Endpoint paths a user may paste after the base URL (longest first).
const PASTED_PATHS = [
  "/chat/completions",
  "/completions",
  "/completion",
  "/models",
  "/embeddings",
  "/pooling",
  "/tokenize",
  "/detokenize",
  "/apply-template",
  "/api/generate",
  "/api/chat",
  "/api/tags",
  "/api/version",
  "/health",
  "/version",
];

/** The server root for a pasted base URL: no trailing slash, no `/v1`, no endpoint path. */
export function normalizeBaseUrl(url: string): string {
  let text = url.trim();
  if (!text)
    throw new Error("The endpoint URL is empty: enter the server's base URL, e.g. http://localhost:8000/v1.");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`"${url}" is not a URL: enter the server's base URL, e.g. http://localhost:8000/v1.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Error(`"${url}" uses ${parsed.protocol}: endpoint URLs must start with http:// or https://.`);
  refuseCredentials(parsed);
  let path = parsed.pathname.replace(/\/+$/, "");
  for (let changed = true; changed;) {
    changed = false;
    for (const p of PASTED_PATHS) {
      if (path.toLowerCase().endsWith(p)) {
        path = path.slice(0, -p.length).replace(/\/+$/, "");
        changed = true;
      }
    }
    if (/\/v1$/i.test(path)) {
      path = path.slice(0, -3).replace(/\/+$/, "");
      changed = true;
    }
  }
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/** The origin a URL belongs to (scheme, host, port): API keys are bound to it. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** A URL safe to show: no user name, password, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

/**
 * How each request URL is shown and whether a key may go to it, parsed once per URL (a client
 * sends to a handful: its roots times its routes) rather than once per request.
 */
export class UrlFacts {
  private readonly seen = new Map<string, { shown: string; keyed: boolean }>();

  constructor(private readonly keyOrigins: ReadonlySet<string>) {}

  of(url: string): { shown: string; keyed: boolean } {
    let facts = this.seen.get(url);
    if (facts) return facts;
    if (this.seen.size >= 256) this.seen.clear(); // bounded, should routes ever carry ids
    facts = { shown: displayUrl(url), keyed: this.keyOrigins.has(originOf(url)) };
    this.seen.set(url, facts);
    return facts;
  }
}

/**
 * A user name or password in a URL (`http://user:pass@host`) is never sent (keys go in an
 * Authorization header, to their own origin only), so it is refused in words rather than
 * dropped without a trace. The message shows the URL without them.
 */
export function refuseCredentials(parsed: URL): void {
  if (!parsed.username && !parsed.password) return;
  throw new Error(
    `"${displayUrl(parsed.href)}" was given with a user name or password in it (user:password@): ` +
      "they are not sent. Remove them from the URL and set the server's API key instead " +
      "(VS Code: TTS Reasoner: Set API Key…; CLI: TTS_REASONER_POLICY_API_KEY or TTS_REASONER_VERIFIER_API_KEY).",
  );
}

/** A full URL as given, checked to be http(s). */
export function checkedUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:"))
    throw new Error(
      `"${displayUrl(url)}" is not an http(s) URL: enter the scorer's full URL, e.g. http://localhost:9000/score.`,
    );
  refuseCredentials(parsed);
  return trimmed;
}
