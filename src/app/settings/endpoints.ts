// From the settings to what src/endpoints takes: base URLs, model, key, limits, per role.
import type { PolicyEndpointConfig, VerifierEndpointConfig } from "../../endpoints/index.js";
import { SettingsError, type Settings } from "./read.js";

/** Looks up the API key for an origin (`https://host:port`); undefined when none is set. */
export type ApiKeyLookup = (origin: string) => string | undefined;

/**
 * The one origin a role's key may be sent to. A key is attached only when every base URL of the
 * role shares that origin, so a replica on another host never receives it.
 */
export function keyOrigin(baseUrls: readonly string[]): string | null {
  const origins = new Set(baseUrls.map(writtenOrigin));
  if (origins.size !== 1 || origins.has(null)) return null;
  return [...origins][0]!;
}

/** `scheme://host[:port]` of a URL as written by a user (scheme defaults to http), or null. */
export function writtenOrigin(url: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `http://${url.trim()}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return u.origin;
  } catch {
    return null;
  }
}

function endpointBase(
  role: "policy" | "verifier",
  s: Settings,
  baseUrls: string[],
  apiKeyFor?: ApiKeyLookup,
): Omit<VerifierEndpointConfig, "kind"> {
  if (!baseUrls.length)
    throw new SettingsError([
      {
        key: `${role}.baseUrls`,
        message: `is empty: set the ${role} server's base URL (e.g. http://localhost:8000/v1) in the settings`,
      },
    ]);
  const origin = keyOrigin(baseUrls);
  const apiKey = origin && apiKeyFor ? apiKeyFor(origin) : undefined;
  return {
    baseUrls,
    model: s[role].model,
    ...(apiKey ? { apiKey } : {}),
    timeouts: { ...s.timeouts },
    maxRetries: s.requests.maxRetries,
    concurrency: s[role].concurrency,
  };
}

export function policyEndpointFrom(s: Settings, apiKeyFor?: ApiKeyLookup): PolicyEndpointConfig {
  return {
    ...endpointBase("policy", s, s.policy.baseUrls, apiKeyFor),
    apiStyle: s.policy.apiStyle,
    ...(s.policy.chatTemplate ? { chatTemplate: s.policy.chatTemplate } : {}),
    ...(s.policy.systemPrompt ? { systemPrompt: s.policy.systemPrompt } : {}),
  };
}

/** Null when the verifier kind is `none`. Empty verifier URLs fall back to the policy's. */
export function verifierEndpointFrom(s: Settings, apiKeyFor?: ApiKeyLookup): VerifierEndpointConfig | null {
  if (s.verifier.kind === "none") return null;
  const urls = s.verifier.baseUrls.length ? s.verifier.baseUrls : s.policy.baseUrls;
  return { ...endpointBase("verifier", s, urls, apiKeyFor), kind: s.verifier.kind };
}

/** Every origin a request may go to, for the API key picker. */
export function endpointOrigins(s: Settings): string[] {
  const urls = [...s.policy.baseUrls, ...(s.verifier.kind === "none" ? [] : s.verifier.baseUrls)];
  return [...new Set(urls.map(writtenOrigin).filter((o): o is string => o !== null))];
}

/** Parameter counts for the FLOPs estimate; null lets the core read them from model names. */
export function parameterCounts(s: Settings): { policyParams: number | null; verifierParams: number | null } {
  const count = (b: number): number | null => (b > 0 ? b * 1e9 : null);
  return {
    policyParams: count(s.policy.parametersBillions),
    verifierParams: count(s.verifier.parametersBillions),
  };
}
