import { DEFAULT_DELIMITER, type ExpandRequest } from "../core/index.js";
import type { RequestLogLine } from "./client.js";
import { FLAVOUR_NAMES, type ServerInfo } from "./detect.js";
import { EndpointError } from "./errors.js";
import type { Timeouts } from "./http.js";
import type { PolicyEndpointConfig, VerifierEndpointConfig } from "./config.js";
import { createPolicy } from "./policy/create.js";
import { displayUrl } from "./url.js";
import { buildVerifier } from "./verifier/create.js";

/** What Test Connection found, role by role, in lines a user can act on. */
export interface ConnectionReport {
  /** Every check passed. */
  ok: boolean;
  /** One line: what works, or the first thing to fix. */
  summary: string;
  /** The checks in order, each starting with ✓ (passed), ✗ (failed) or • (information). */
  lines: string[];
  policy: RoleReport;
  verifier: RoleReport | null;
}

export interface RoleReport {
  ok: boolean;
  /** The resolved server roots. */
  urls: string[];
  flavour?: string;
  models?: string[];
  /** Policy: the API style used, continuation and samples per request. */
  apiStyle?: string;
  continuation?: boolean;
  maxN?: number;
  /** llama-server: `/props` build and slots, and whether it prefills a partial assistant message. */
  build?: string;
  slots?: number;
  assistantPrefill?: boolean;
  /** Verifier: the scores parsed for the two-step test solution. */
  scores?: number[];
  error?: string;
}

const TEST_PROBLEM = { text: "What is $2 + 3$?" };

/**
 * Test Connection's own limits for its 1-token generation and 2-step scoring (detection has
 * its own, shorter ones): they answer in seconds, or after a model load, which the one retry
 * waits out; a configured limit that is shorter still wins.
 */
export const TEST_TIMEOUTS = { firstTokenMs: 30_000, idleMs: 30_000 };
const TEST_RETRIES = 1;

export function withTestLimits<
  T extends { baseUrls: readonly string[]; timeouts?: Partial<Timeouts>; maxRetries?: number },
>(cfg: T): T {
  const t = cfg.timeouts ?? {};
  return {
    ...cfg,
    timeouts: {
      ...t,
      firstTokenMs: Math.min(t.firstTokenMs ?? Infinity, TEST_TIMEOUTS.firstTokenMs),
      idleMs: Math.min(t.idleMs ?? Infinity, TEST_TIMEOUTS.idleMs),
    },
    maxRetries: Math.min(cfg.maxRetries ?? TEST_RETRIES, TEST_RETRIES),
  };
}
const TEST_STEPS = ["We add the two numbers: $2 + 3 = 5$.", "The final answer is $\\boxed{5}$."];

/**
 * Checks both endpoints for real: resolves and shows the URLs, detects the server, lists its
 * models, runs a 1-token generation (and a 1-token continuation of a partial solution, and an
 * `n = 2` request where `n` is used), and scores a two-step solution with the verifier. Never
 * throws for an endpoint problem: each lands in `lines` with what to do about it.
 */
export async function runConnectionTest(
  policyCfg: PolicyEndpointConfig,
  verifierCfg: VerifierEndpointConfig | null,
  log?: (line: RequestLogLine) => void,
): Promise<ConnectionReport> {
  // Both roles at once, so two silent servers cost one detection deadline, not two.
  const policyLines: string[] = [];
  const verifierLines: string[] = [];
  const [policy, verifier] = await Promise.all([
    checkPolicy(withTestLimits(policyCfg), policyLines, log),
    verifierCfg && verifierCfg.kind !== "none"
      ? checkVerifier(withTestLimits(verifierCfg), verifierLines, log)
      : null,
  ]);
  const lines = [...policyLines, ...verifierLines];
  if (!verifier)
    lines.push("• Verifier: none. Majority vote works; best-of-N, beam search and DVTS need a verifier.");
  const ok = policy.ok && (verifier?.ok ?? true);
  const firstFailure = lines.find((l) => l.startsWith("✗"));
  const summary = ok
    ? `Policy${verifier ? " and verifier" : ""} answered as expected${policy.continuation === false ? " (whole solutions only)" : ""}.`
    : (firstFailure ?? "✗ The connection test failed.").slice(2);
  return { ok, summary, lines, policy, verifier };
}

function serverLines(
  role: string,
  server: ServerInfo,
  model: string,
  given: readonly string[],
  lines: string[],
): boolean {
  lines.push(`• ${role}: ${displayUrl(server.root)} (from ${given.map((g) => `"${g}"`).join(", ")})`);
  lines.push(`• ${role} server: ${FLAVOUR_NAMES[server.flavour]} (${server.evidence}).`);
  if (server.modelsError) lines.push(`• ${role}: GET /v1/models failed: ${server.modelsError.message}`);
  const ids = server.models.map((m) => m.id);
  if (ids.length) {
    const shown = ids.slice(0, 8).join(", ") + (ids.length > 8 ? `, … (${ids.length} in all)` : "");
    if (model && !ids.includes(model) && server.flavour === "llamacpp" && ids.length === 1) {
      // A single-model llama-server answers any model name with its one model (200).
      lines.push(
        `✓ ${role}: the server serves one model, "${ids[0]}", under any name: "${model}" is answered by it.`,
      );
      return true;
    }
    if (model && !ids.includes(model)) {
      lines.push(
        `✗ ${role}: the model "${model}" is not among the served models: ${shown}. Set one of them.`,
      );
      return false;
    }
    lines.push(`✓ ${role}: model "${model || ids[0]}" is served (${shown}).`);
  }
  return true;
}

async function checkPolicy(
  cfg: PolicyEndpointConfig,
  lines: string[],
  log?: (line: RequestLogLine) => void,
): Promise<RoleReport> {
  let built;
  try {
    built = await createPolicy(cfg, { log });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    lines.push(`✗ Policy: ${message}`);
    return { ok: false, urls: cfg.baseUrls, error: message };
  }
  const report: RoleReport = {
    ok: serverLines("Policy", built.server, cfg.model, cfg.baseUrls, lines),
    urls: built.client.displayRoots,
    flavour: built.server.flavour,
    models: built.server.models.map((m) => m.id),
    apiStyle: built.style,
    continuation: built.capabilities.continuation,
  };
  if (built.llamacpp) {
    const { build, slots, prefill } = built.llamacpp;
    report.slots = slots;
    if (build) report.build = build;
    if (prefill !== null) report.assistantPrefill = prefill;
    lines.push(
      `• Policy server build ${build ?? "unknown"}, ${slots} slot(s); assistant prefill ${
        prefill === null ? "unknown (no /apply-template)" : prefill ? "on" : "off (--no-prefill-assistant)"
      }.`,
    );
  }
  lines.push(`• Policy API style: ${built.style}, ${built.description} (${built.reason}).`);
  const base: ExpandRequest = {
    problem: TEST_PROBLEM,
    prefix: [],
    k: 1,
    mode: "solution",
    delimiter: DEFAULT_DELIMITER,
    temperature: 0,
    maxTokens: 1,
  };
  const attempt = async (label: string, request: ExpandRequest): Promise<number | null> => {
    const started = Date.now();
    try {
      const r = await built.expand(request);
      const text = r.generations.map((g) => JSON.stringify(g.text)).join(", ");
      lines.push(
        `✓ Policy ${label}: ${r.generations.length} sample(s) ${text} in ${Date.now() - started} ms.`,
      );
      return r.generations.length;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      lines.push(`✗ Policy ${label} failed: ${message}`);
      report.ok = false;
      report.error ??= message;
      return null;
    }
  };
  if ((await attempt("1-token generation", base)) === null) return report;
  if (built.capabilities.continuation)
    await attempt("continuation of a partial solution", {
      ...base,
      prefix: [TEST_STEPS[0]!],
      mode: "step",
    });
  else
    lines.push(
      "• Policy cannot continue partial solutions here: greedy, majority vote and best-of-N work; beam search and DVTS do not.",
    );
  if (built.capabilities.maxN > 1) {
    const asked = built.capabilities.maxN;
    const got = await attempt("n = 2 in one request", { ...base, k: 2 });
    if (got !== null)
      lines.push(
        built.capabilities.maxN < asked
          ? "• The server ignores or refuses n: samples will go out as parallel requests."
          : `• Up to ${built.capabilities.maxN} samples per request (n).`,
      );
  } else
    lines.push(
      "• One sample per request (this server's n is not used): samples go out as parallel requests.",
    );
  report.maxN = built.capabilities.maxN;
  return report;
}

async function checkVerifier(
  cfg: VerifierEndpointConfig,
  lines: string[],
  log?: (line: RequestLogLine) => void,
): Promise<RoleReport> {
  let built;
  try {
    built = await buildVerifier(cfg, log);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    lines.push(`✗ Verifier (${cfg.kind}): ${message}`);
    return { ok: false, urls: cfg.baseUrls, error: message };
  }
  if (!built) return { ok: true, urls: [] };
  const report: RoleReport = { ok: true, urls: built.client.displayRoots };
  if (built.server) {
    report.ok = serverLines("Verifier", built.server, cfg.model, cfg.baseUrls, lines);
    report.flavour = built.server.flavour;
    report.models = built.server.models.map((m) => m.id);
  } else lines.push(`• Verifier: ${built.client.displayRoots.join(", ")} (used as given).`);
  lines.push(`• Verifier kind: ${cfg.kind}, ${built.description}.`);
  const started = Date.now();
  try {
    const r = await built.verifier.score(TEST_PROBLEM, TEST_STEPS);
    if (r.scores.length !== TEST_STEPS.length)
      throw new EndpointError({
        endpoint: "verifier",
        url: built.client.roots[0]!,
        what: `returned ${r.scores.length} scores for ${TEST_STEPS.length} steps`,
      });
    report.scores = r.scores;
    lines.push(
      `✓ Verifier scored a 2-step solution: ${r.scores.map((s) => s.toFixed(3)).join(", ")} in ${Date.now() - started} ms.`,
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    lines.push(`✗ Verifier scoring failed: ${message}`);
    report.ok = false;
    report.error = message;
  }
  return report;
}
