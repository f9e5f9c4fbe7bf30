// Starts simworld (the test server that plays vLLM & co.) for a session or `npm start`.
// Loaded on demand: sessions that need no endpoints never import it.
import type { RunningServer, SimworldOptions } from "../../simworld/server.js";

export type Simworld = RunningServer;
export type { SimworldOptions };

/** The models the default e2e endpoint settings name (see test/simworld/models.ts). */
export const SIM_POLICY_MODEL = "sim-policy-1.5b";
export const SIM_PRM_MODEL = "sim-prm-qwen";

// A variable specifier keeps this file compiling while test/simworld/index.ts is being written;
// the shape it must export is declared here and checked at run time.
const SIMWORLD_ENTRY = "../../simworld/index.js";

export async function startSimworld(options: SimworldOptions): Promise<Simworld> {
  const mod = (await import(SIMWORLD_ENTRY)) as { startSimworld?: (o: SimworldOptions) => Promise<Simworld> };
  if (typeof mod.startSimworld !== "function")
    throw new Error(
      `test/simworld/index.ts does not export startSimworld(options); the e2e harness needs it.`,
    );
  return mod.startSimworld(options);
}
