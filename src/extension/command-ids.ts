// The command ids (without the `ttsReasoner.` prefix), in one vscode-free list so the manifest
// can be checked against the registrations.
export const COMMAND_IDS = [
  "solve",
  "scoreSteps",
  "clearScores",
  "openPanel",
  "testConnection",
  "setApiKey",
  "clearApiKey",
  "exportTrace",
  "openTrace",
  "cancel",
  "startServer",
  "stopServer",
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export const COMMAND_PREFIX = "ttsReasoner.";
