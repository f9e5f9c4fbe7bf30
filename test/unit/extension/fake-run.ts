// A small deterministic policy and verifier, and a helper that records a real runSearch's
// events, for tests of what the panel and the host do with an event stream.
import {
  runSearch,
  type ExpandRequest,
  type ExpandResult,
  type Policy,
  type Problem,
  type ScoreResult,
  type SearchConfig,
  type SearchEvent,
  type Verifier,
} from "../../../src/core/index.js";

/** Writes "step <depth>.<sample>" steps (or `text(…)` when given) and ends after `depth` steps. */
export class ScriptedPolicy implements Policy {
  readonly model = "scripted-policy-1.5b";
  readonly capabilities = { maxN: 4, continuation: true };
  private call = 0;
  constructor(
    private readonly depth = 3,
    private readonly text: (depth: number, sample: number) => string = (d, s) => `step ${d}.${s}`,
  ) {}

  async expand(r: ExpandRequest): Promise<ExpandResult> {
    const call = this.call++;
    const generations = Array.from({ length: r.k }, (_, s) => {
      const steps: string[] = [];
      let d = r.prefix.length;
      do {
        d++;
        steps.push(d >= this.depth ? `${this.text(d, s)} so \\boxed{${(call + s) % 3}}` : this.text(d, s));
      } while (r.mode === "solution" && d < this.depth);
      return { text: steps.join(r.delimiter), ended: d >= this.depth };
    });
    return { generations, usage: { promptTokens: 10, completionTokens: 5 * r.k } };
  }
}

/** Scores steps by a fixed pattern so some paths win and others are pruned. */
export class PatternVerifier implements Verifier {
  readonly kind = "http" as const;
  readonly model = "pattern-prm-7b";
  async score(_p: Problem, steps: readonly string[]): Promise<ScoreResult> {
    return {
      scores: steps.map((s, i) => ((s.length * 7 + i * 13) % 10) / 10),
      usage: { promptTokens: 3 * steps.length, completionTokens: 0 },
    };
  }
}

export async function recordRun(
  config: Partial<SearchConfig>,
  policy: Policy = new ScriptedPolicy(),
  problem = "What is 1 + 1?",
): Promise<SearchEvent[]> {
  const events: SearchEvent[] = [];
  let t = 0;
  await runSearch({
    problem: { text: problem },
    policy,
    verifier: new PatternVerifier(),
    config,
    onEvent: (e) => events.push(structuredClone(e)),
    now: () => (t += 2),
  });
  return events;
}
