// Turns whatever stopped a run into what the user is told: what failed, where, and the one
// action most likely to fix it.
import { errorCodeOf, type ErrorCode, type RunView } from "../core/index.js";
import { EndpointError } from "../endpoints/index.js";
import type { PanelError } from "../protocol.js";

/** A thrown error (bad settings, unreachable endpoint, anything else) as the panel shows it. */
export function failureOf(e: unknown): PanelError {
  const message = e instanceof Error ? e.message : String(e);
  const code = errorCodeOf(e);
  if (e instanceof EndpointError)
    return { message: withTestHint(message), endpoint: e.endpoint, url: e.url, action: "testConnection" };
  return { message: code === "endpoint" ? withTestHint(message) : message, ...actionFor(code) };
}

/** A run that finished with an error: the core's reason, plus the first failure it warned of. */
export function runFailureOf(view: RunView): PanelError | null {
  const result = view.result;
  if (!result?.error) return null;
  const cause = result.failures?.find((f) => f.role === result.errorRole) ?? result.failures?.[0];
  const code = result.errorCode === "no-solution" && cause?.code ? cause.code : result.errorCode;
  // The core names the first failure of each role; say it unless the error already quotes it.
  const first = cause && !result.error.includes(cause.message.replace(/\.$/, "")) ? cause.message : null;
  const message = first ? `${result.error} First failure: ${first}` : result.error;
  return { message: code === "endpoint" ? withTestHint(message) : message, ...actionFor(code) };
}

/** The one action most likely to fix what the code says went wrong. */
function actionFor(code: ErrorCode | undefined): Pick<PanelError, "action"> {
  switch (code) {
    case "endpoint":
      return { action: "testConnection" };
    case "invalid-config":
    case "needs-verifier":
    case "needs-continuation":
      return { action: "openSettings" };
    default:
      return {};
  }
}

function withTestHint(message: string): string {
  return /Test Connection/.test(message)
    ? message
    : `${message} Run "TTS Reasoner: Test Connection" to check the endpoints.`;
}
