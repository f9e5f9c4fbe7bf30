// How a request's samples spend engine time: each choice is a sequence of its own, admitted to a
// slot, prefilled, decoded for its own length and freed when it ends, as vLLM V1 fans `n` out
// into child requests (vllm/v1/engine/parallel_sampling.py, ParentRequest) and llama.cpp gives
// each task a slot. The request answers when its last choice ends; a short choice never holds a
// slot while a long sibling decodes.
import type { Generation } from "./compat.js";

type Choice = Generation["choices"][number];

type Steps = (c: Choice) => number;
const tokensOf: Steps = (c) => c.choice.completionTokens;

/** Runs every choice as its own sequence; `step` after each of a choice's decode steps. */
async function runSequences(
  g: Generation,
  signal: AbortSignal,
  step?: (c: Choice, t: number) => void,
  steps: Steps = tokensOf,
): Promise<void> {
  await Promise.all(
    g.choices.map(async (c) => {
      const run = g.prompts[c.prompt]!;
      const uncached = run.tokens.length - run.cached;
      const tokens = steps(c);
      g.engine.note(uncached, tokens);
      const release = await g.engine.admit(signal);
      try {
        await g.engine.prefill(uncached, signal);
        if (!step) return await g.engine.decode(tokens, signal);
        const tick = g.engine.pacer();
        for (let t = 0; t < tokens; t++) {
          await tick(signal);
          step(c, t);
        }
      } finally {
        release();
      }
    }),
  );
}

/** Waits until every choice of a whole (unstreamed) response is decoded. */
export function decodeChoices(g: Generation, signal: AbortSignal): Promise<void> {
  return runSequences(g, signal);
}

/**
 * A stream's events in the order the sequences produce them: `at(choice, t)` gives the events
 * of a choice's decode step t, sent as soon as that step is done; `steps`: a choice's decode
 * steps (its tokens unless the server streams more events than tokens).
 */
export async function* streamChoices<E>(
  g: Generation,
  signal: AbortSignal,
  at: (c: Choice, t: number) => E[],
  steps: Steps = tokensOf,
): AsyncGenerator<E> {
  const ready: E[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let failure: { error: unknown } | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  runSequences(
    g,
    signal,
    (c, t) => {
      ready.push(...at(c, t));
      notify();
    },
    steps,
  ).then(
    () => {
      ended = true;
      notify();
    },
    (error: unknown) => {
      failure = { error };
      notify();
    },
  );
  for (;;) {
    if (ready.length) yield ready.shift()!;
    else if (failure) throw (failure as { error: unknown }).error;
    else if (ended) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}
