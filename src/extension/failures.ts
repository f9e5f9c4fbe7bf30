// Turns whatever stopped a run into what the user is told: what failed, where, and the one
// action most likely to fix it.
import type { RunView } from "../core/index.js";
import type { PanelError } from "../protocol.js";
import { SettingsError } from "../settings.js";

/** The fields of the endpoints' EndpointError that matter here, read structurally. */
interface EndpointLike {
  name: string;
  message: string;
  endpoint: string;
  url: string;
}

function isEndpointError(e: unknown): e is EndpointLike {
  return (
    e instanceof Error &&
    typeof (e as Partial<EndpointLike>).endpoint === "string" &&
    typeof (e as Partial<EndpointLike>).url === "string"
  );
}

/** A thrown error (bad settings, unreachable endpoint, anything else) as the panel shows it. */
export function failureOf(e: unknown): PanelError {
  if (e instanceof SettingsError) return { message: e.message, action: "openSettings" };
  if (isEndpointError(e))
    return {
      message: withTestHint(e.message),
      endpoint: e.endpoint,
      url: e.url,
      action: "testConnection",
    };
  const message = e instanceof Error ? e.message : String(e);
  return { message, ...(mentionsEndpoint(message) ? { action: "testConnection" as const } : {}) };
}

/** A run that finished with an error: the core's reason, plus the first failure it warned of. */
export function runFailureOf(view: RunView): PanelError | null {
  const error = view.result?.error;
  if (!error) return null;
  const first = view.warnings.find(mentionsEndpoint);
  // The core names the first failure of each role; older traces only warned of it.
  const message = first && !mentionsEndpoint(error) ? `${error} First failure: ${first}` : error;
  return { message: mentionsEndpoint(message) ? withTestHint(message) : message, ...actionFor(message) };
}

function actionFor(message: string): Pick<PanelError, "action"> {
  if (mentionsEndpoint(message)) return { action: "testConnection" };
  if (/verifier|needs a|continu/i.test(message)) return { action: "openSettings" };
  return {};
}

// EndpointError messages read "The policy endpoint (http://…) refused the connection …".
function mentionsEndpoint(message: string): boolean {
  return /\bendpoint \(/.test(message);
}

function withTestHint(message: string): string {
  return /Test Connection/.test(message)
    ? message
    : `${message} Run "TTS Reasoner: Test Connection" to check the endpoints.`;
}
