// The webview's one handle on VS Code. `acquireVsCodeApi` may be called once per page.
import type { ToHostMessage } from "../src/protocol.js";

/** What the panel keeps across being hidden (setState survives hiding, not closing). */
export interface PersistedState {
  draft?: string;
  selected?: string | null;
  hidePruned?: boolean;
}

export interface HostApi {
  postMessage(message: ToHostMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

export function hostApi(): HostApi {
  const api = acquireVsCodeApi();
  return {
    postMessage: (m) => api.postMessage(m),
    getState: () => (api.getState() as PersistedState | undefined) ?? undefined,
    setState: (s) => api.setState(s),
  };
}
