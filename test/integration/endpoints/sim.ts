import {
  generateProblems,
  startSimworld,
  type Simworld,
  type SimworldOptions,
} from "../../simworld/index.js";
import type { RequestLogLine } from "../../../src/endpoints/index.js";

export const FLAVOURS = ["vllm", "llamacpp", "ollama", "openai"] as const;
export type Flavour = (typeof FLAVOURS)[number];

/** Starts a simworld server for the test and closes it afterwards, whatever happens. */
export async function withSim<T>(options: SimworldOptions, body: (sim: Simworld) => Promise<T>): Promise<T> {
  const sim = await startSimworld({ seed: 1, ...options });
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

/** A log sink that keeps the lines. */
export function requestLog(): { lines: RequestLogLine[]; log: (line: RequestLogLine) => void } {
  const lines: RequestLogLine[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** Generation and scoring requests (POST) recorded since `from`. */
export function posts(sim: Simworld, from = 0): Simworld["requests"] {
  return sim.requests.slice(from).filter((r) => r.method === "POST");
}

export function problems(
  count: number,
  level: number,
  seed = 11,
): { text: string; answer: string; steps: string[] }[] {
  return generateProblems({ count, seed, levels: [level] }).map((p) => ({
    text: p.problem,
    answer: p.answer,
    steps: (p.solution ?? "").split("\n\n"),
  }));
}

export async function until(condition: () => boolean, what: string, deadlineMs = 5_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
