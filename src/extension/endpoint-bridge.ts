// Builds the policy and verifier from the settings and the stored keys (src/endpoints does the
// HTTP), and writes the endpoints' one line per request to the output channel.
import { connect, type Endpoints } from "../app/connect.js";
import { runPlan, type RunPlan } from "../app/run.js";
import type { Verifier } from "../core/index.js";
import {
  createVerifier,
  testConnection,
  type ConnectionReport,
  type EndpointDeps,
  type RequestLogLine,
} from "../endpoints/index.js";
import { keyOrigin, policyEndpointFrom, verifierEndpointFrom, type Settings } from "../app/settings/index.js";
import type { ApiKeys } from "./api-keys.js";
import type { RequestLog } from "./request-log.js";

function deps(log: RequestLog): EndpointDeps {
  return { log: (line) => log.info(formatRequestLine(line)) };
}

/** One request as a log line: endpoint, method, URL, status, tokens, time. Never bodies or keys. */
export function formatRequestLine(l: RequestLogLine): string {
  const parts = [l.endpoint, `${l.method} ${l.url}`, l.status === null ? "no response" : `HTTP ${l.status}`];
  if (l.promptTokens !== undefined || l.completionTokens !== undefined)
    parts.push(`${l.promptTokens ?? 0}+${l.completionTokens ?? 0} tokens`);
  parts.push(`${Math.round(l.ms)} ms`);
  if (l.attempt > 1) parts.push(`retry ${l.attempt - 1}`);
  if (l.error) parts.push(l.error);
  return parts.join(" · ");
}

async function keysFor(s: Settings, keys: ApiKeys): Promise<(origin: string) => string | undefined> {
  const origins = [
    keyOrigin(s.policy.baseUrls),
    keyOrigin(s.verifier.baseUrls.length ? s.verifier.baseUrls : s.policy.baseUrls),
  ];
  return keys.lookup(origins.filter((o): o is string => o !== null));
}

/**
 * The settings as a run uses them, with the stored keys; the verifier as set (PlanInputs says
 * why the CLI differs). A relative strategy-table path starts at the first workspace folder.
 */
export async function planRun(s: Settings, keys: ApiKeys, workspaceFolder?: string): Promise<RunPlan> {
  const lookup = await keysFor(s, keys);
  return runPlan(s, {
    keys: { policy: lookup, verifier: lookup },
    useVerifier: true,
    tableBase: workspaceFolder,
  });
}

/** Connects to the planned endpoints, one log line per request. */
export const connectLogged = (plan: RunPlan, log: RequestLog): Promise<Endpoints> => connect(plan, deps(log));

/** The verifier alone, for scoring a written solution; refuses when none is configured. */
export async function connectVerifier(s: Settings, keys: ApiKeys, log: RequestLog): Promise<Verifier> {
  const cfg = verifierEndpointFrom(s, await keysFor(s, keys));
  const verifier = cfg ? await createVerifier(cfg, deps(log)) : null;
  if (!verifier)
    throw new Error(
      'Scoring steps needs a verifier: set "ttsReasoner.verifier.kind" (and its base URL) in the settings.',
    );
  return verifier;
}

export interface ConnectionCheck {
  ok: boolean;
  summary: string;
  lines: string[];
}

export async function checkConnection(s: Settings, keys: ApiKeys, log: RequestLog): Promise<ConnectionCheck> {
  const lookup = await keysFor(s, keys);
  try {
    const report = await testConnection(
      policyEndpointFrom(s, lookup),
      verifierEndpointFrom(s, lookup),
      deps(log),
    );
    return describeReport(report);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, summary: message, lines: [message] };
  }
}

function describeReport(report: ConnectionReport): ConnectionCheck {
  return { ok: report.ok, summary: report.summary, lines: report.lines };
}
