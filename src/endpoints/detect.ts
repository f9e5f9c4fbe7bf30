import { flavourFromModels, parseModels, type ModelEntry, type ServerFlavour } from "./adapters/models.js";
import { asString, isObject } from "./adapters/shape.js";
import type { EndpointClient } from "./client.js";
import { EndpointError } from "./errors.js";
import type { Timeouts } from "./http.js";

export interface ServerInfo {
  root: string;
  flavour: ServerFlavour;
  /** From `GET /v1/models`; empty when the server does not list them. */
  models: ModelEntry[];
  /** How the flavour was told, in words. */
  evidence: string;
  /** Why `/v1/models` could not be read, when it could not. */
  modelsError?: EndpointError;
}

/**
 * Detection's own limits, shorter than a generation's (a listing answers at once, a prefill may
 * not): a server that accepts connections and never answers fails in seconds, not after the
 * first-token timeout times the retries. The deadline bounds all probes of one root together.
 */
export const DETECT_TIMEOUTS: Timeouts = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 };
export const DETECT_DEADLINE_MS = 15_000;

/**
 * Tells which server software answers at a root: `owned_by` in `GET /v1/models` first ("vllm",
 * "sglang", "llamacpp", Ollama's "library"), then Ollama's `/api/version`, vLLM's `/version`,
 * llama.cpp's `/health` body, and the OpenAI host name. Connection failures are thrown (the
 * server is not there); HTTP errors on the probes just make the answer "unknown". A server
 * that does not answer (DETECT_TIMEOUTS, DETECT_DEADLINE_MS) fails with an error saying so.
 */
export async function detectServer(
  client: EndpointClient,
  root: string,
  signal?: AbortSignal,
  maxRetries?: number,
): Promise<ServerInfo> {
  const deadline = AbortSignal.timeout(DETECT_DEADLINE_MS);
  const started = Date.now();
  try {
    return await probeServer(
      client,
      root,
      signal ? AbortSignal.any([signal, deadline]) : deadline,
      maxRetries,
    );
  } catch (e) {
    if (signal?.aborted) throw e;
    const silent = deadline.aborted || (e instanceof EndpointError && e.transport === "first-token-timeout");
    if (!silent) throw e;
    // Said as what it is, not as a slow prefill: a listing answers at once.
    const url = `${root}/v1/models`;
    const waited = Math.max(1, Math.round((Date.now() - started) / 1000));
    throw new EndpointError({
      endpoint: client.endpoint,
      url,
      transport: "first-token-timeout",
      what: `did not answer GET /v1/models (waited ${waited} s)`,
      hint: `Something accepts connections at ${new URL(url).origin} but does not answer: check that it is the model server and that it is not stuck.`,
      retryable: true,
    });
  }
}

async function probeServer(
  client: EndpointClient,
  root: string,
  signal: AbortSignal,
  maxRetries?: number,
): Promise<ServerInfo> {
  const timeouts = DETECT_TIMEOUTS;
  let models: ModelEntry[] = [];
  let modelsError: EndpointError | undefined;
  try {
    models = parseModels(
      (await client.json("/v1/models", undefined, { root, signal, maxRetries, timeouts })).value,
    );
  } catch (e) {
    // Unreachable, or the key is refused: nothing else will work either.
    if (!(e instanceof EndpointError) || e.transport || e.status === 401 || e.status === 403) throw e;
    modelsError = e;
  }
  const info = (flavour: ServerFlavour, evidence: string): ServerInfo => ({
    root,
    flavour,
    models,
    evidence,
    ...(modelsError ? { modelsError } : {}),
  });
  const byOwner = flavourFromModels(models);
  if (byOwner) return info(byOwner, `GET /v1/models says owned_by "${models[0]?.ownedBy}"`);

  const probe = async (route: string): Promise<unknown> => {
    try {
      return (await client.json(route, undefined, { root, signal, maxRetries: 1, timeouts })).value;
    } catch (e) {
      if (e instanceof EndpointError && !e.transport) return undefined;
      throw e;
    }
  };
  const ollama = await probe("/api/version");
  if (isObject(ollama) && asString(ollama.version))
    return info("ollama", `GET /api/version answers ${ollama.version}`);
  const vllm = await probe("/version");
  if (isObject(vllm) && asString(vllm.version)) return info("vllm", `GET /version answers ${vllm.version}`);
  const health = await probe("/health");
  if (isObject(health) && health.status === "ok")
    return info("llamacpp", 'GET /health answers {"status":"ok"}');
  if (/(^|\.)openai\.com$/i.test(new URL(root).hostname)) return info("openai", "the host is openai.com");
  return info("unknown", "no probe recognised the server");
}

/**
 * Detects the server at the first replica that answers: a replica that is down must not stop
 * the others from being used (it is tried once, and taken out of the pool for a while). A
 * single base URL gets the usual retries.
 */
export async function detectFirstLive(client: EndpointClient, signal?: AbortSignal): Promise<ServerInfo> {
  let failure: unknown;
  const several = client.roots.length > 1;
  for (const root of client.roots) {
    try {
      return await detectServer(client, root, signal, several ? 0 : undefined);
    } catch (e) {
      if (!(e instanceof EndpointError) || !e.transport) throw e;
      client.markDown(root);
      failure ??= e;
    }
  }
  throw failure;
}

export const FLAVOUR_NAMES: Record<ServerFlavour, string> = {
  vllm: "vLLM",
  sglang: "SGLang",
  llamacpp: "llama.cpp server",
  ollama: "Ollama",
  openai: "OpenAI",
  unknown: "an OpenAI-compatible server",
};
