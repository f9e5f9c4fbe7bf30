// The user settings a test code-server starts with: a quiet workbench that types exactly what a
// test types, plus the extension's own settings. Extension setting names are checked against
// package.json `contributes.configuration`, so a renamed setting fails loudly instead of being
// silently ignored by VS Code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../setup/index.js";

export type Settings = Record<string, unknown>;

/** No startup editor, trust prompt, telemetry, tips, AI chat or auto-completion noise. */
export const QUIET_WORKBENCH: Settings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.editor.enablePreview": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "files.autoSave": "off",
  // Typed text lands as typed: no auto-closing, auto-indent, suggestions or wrapping.
  "editor.wordWrap": "off",
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.autoClosingOvertype": "never",
  "editor.autoSurround": "never",
  "editor.autoIndent": "none",
  "editor.formatOnType": false,
  "editor.quickSuggestions": { other: false, comments: false, strings: false },
  "editor.suggestOnTriggerCharacters": false,
  "editor.acceptSuggestionOnEnter": "off",
  "editor.wordBasedSuggestions": "off",
  "editor.inlineSuggest.enabled": false,
  "editor.minimap.enabled": false,
  "markdown.validate.enabled": false,
};

/** Workspace trust on, and the folder opened untrusted without asking: a Restricted Mode window. */
export const RESTRICTED_MODE: Settings = {
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never",
  "security.workspace.trust.emptyWindow": false,
};

interface ConfigurationBlock {
  properties?: Record<string, { scope?: string; type?: string | string[] }>;
}

/** The extension's contributed settings and their schemas (package.json `contributes.configuration`). */
export function contributedSchemas(): Map<string, { scope?: string; type?: string | string[] }> {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    contributes?: { configuration?: ConfigurationBlock | ConfigurationBlock[] };
  };
  const conf = manifest.contributes?.configuration;
  const blocks = Array.isArray(conf) ? conf : conf ? [conf] : [];
  return new Map(blocks.flatMap((b) => Object.entries(b.properties ?? {})));
}

/** Every setting key the extension contributes. */
export function contributedSettings(): Set<string> {
  return new Set(contributedSchemas().keys());
}

/** The contributed settings a remote window reads from the remote's settings (`machine` scopes). */
export function machineScopedSettings(): Set<string> {
  return new Set(
    [...contributedSchemas()]
      .filter(([, s]) => s.scope === "machine" || s.scope === "machine-overridable")
      .map(([k]) => k),
  );
}

/** The prefix of the extension's settings. */
export const SETTINGS_PREFIX = "ttsReasoner.";

/** Throws when a `ttsReasoner.*` key in `settings` is not contributed by package.json. */
export function checkContributed(settings: Settings): void {
  const known = contributedSettings();
  const unknown = Object.keys(settings).filter((k) => k.startsWith(SETTINGS_PREFIX) && !known.has(k));
  if (unknown.length)
    throw new Error(
      `These settings are not in package.json contributes.configuration, so VS Code would ignore them: ` +
        `${unknown.join(", ")}. Rename them in the test (or contribute them).`,
    );
}

/**
 * Endpoint settings for a server speaking the vLLM APIs at `baseUrl` (e.g. simworld); the
 * verifier at `verifierBaseUrl` when it is served elsewhere.
 */
/** What the panel says while simworld stands in for the models (the policy.note setting). */
export const SIMULATED_NOTE =
  "Simulated models: simworld, a test server, stands in for the policy and the PRM. Its solutions and scores are simulations, not real model output. Set ttsReasoner.policy.baseUrls (and the verifier's) to use your own servers.";

export function endpointSettings(opts: {
  baseUrl: string;
  policyModel: string;
  verifierModel: string;
  verifierKind?: string;
  verifierBaseUrl?: string;
}): Settings {
  const v1 = (base: string): string => `${base.replace(/\/+$/, "")}/v1`;
  return {
    "ttsReasoner.policy.baseUrls": [v1(opts.baseUrl)],
    "ttsReasoner.policy.model": opts.policyModel,
    "ttsReasoner.verifier.kind": opts.verifierKind ?? "vllm-pooling",
    "ttsReasoner.verifier.baseUrls": [v1(opts.verifierBaseUrl ?? opts.baseUrl)],
    "ttsReasoner.verifier.model": opts.verifierModel,
  };
}
