// Starts simworld (the test server that plays vLLM & co.) for a session or `npm start`.
// Imported on demand: sessions that need no endpoints never load it.
import type { Simworld, SimworldOptions } from "../../simworld/index.js";

export type { Simworld, SimworldOptions };

/** The models the default e2e endpoint settings name (see test/simworld/models.ts). */
export const SIM_POLICY_MODEL = "sim-policy-1.5b";
export const SIM_PRM_MODEL = "sim-prm-qwen";

export async function startSimworld(options: SimworldOptions): Promise<Simworld> {
  const { startSimworld: start } = await import("../../simworld/index.js");
  return start(options);
}
