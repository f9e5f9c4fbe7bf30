// simworld: a real HTTP server that speaks the dialects of vLLM, llama.cpp, Ollama and OpenAI
// and simulates policies and PRMs over a world of problems with known answers. A test
// instrument: it never ships, and nothing in src/ may special-case it. See README.md.
import { llamacppFlavour } from "./flavours/llamacpp.js";
import { ollamaFlavour } from "./flavours/ollama.js";
import { openaiFlavour } from "./flavours/openai.js";
import { vllmFlavour } from "./flavours/vllm.js";
import {
  serve,
  type FlavourSpec,
  type SimContext,
  type SimRequestRecord,
  type SimworldOptions,
} from "./server.js";

export type { Flavour, SimRequestRecord, SimworldOptions } from "./server.js";
export {
  chainAnswer,
  findWorldProblem,
  generateProblems,
  referenceSolution,
  truthValues,
  type Chain,
  type WorldProblem,
} from "./world.js";
export {
  expectedAuroc,
  JUDGE,
  MODELS,
  POLICIES,
  PRMS,
  stepErrorRate,
  withOverride,
  type ModelOverride,
} from "./models.js";

export interface Simworld {
  /** "http://127.0.0.1:<port>" (no trailing slash, no /v1). */
  url: string;
  /** Every request seen, in order. */
  requests: SimRequestRecord[];
  /** Sockets closed so far (a cancelled client shows up here). */
  closedConnections(): number;
  openConnections(): number;
  /** Requests whose client went away before the reply was written whole (a cancelled search). */
  cancelledRequests(): number;
  /** Requests being answered now. */
  activeRequests(): number;
  close(): Promise<void>;
}

const FLAVOURS: Record<string, (sim: SimContext) => FlavourSpec> = {
  vllm: vllmFlavour,
  llamacpp: llamacppFlavour,
  ollama: ollamaFlavour,
  openai: openaiFlavour,
};

export async function startSimworld(options: SimworldOptions): Promise<Simworld> {
  const make = FLAVOURS[options.flavour];
  if (!make)
    throw new Error(`simworld: unknown flavour "${options.flavour}" (vllm, llamacpp, ollama, openai)`);
  return serve(options, make);
}
