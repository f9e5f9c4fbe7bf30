// A seeded in-memory policy and verifier over arithmetic chains, for the core's unit tests.
// A problem is a start value and a list of operations; a step applies one of them.
import type {
  ExpandRequest,
  ExpandResult,
  Generation,
  Policy,
  Problem,
  ScoreResult,
  Verifier,
} from "../../../src/core/index.js";

export interface ToyProblem {
  start: number;
  ops: number[]; // each op adds its value
}

export function toyProblem(p: ToyProblem): Problem {
  return { text: `Start with ${p.start}. ${p.ops.map((o) => `Add ${o}.`).join(" ")}` };
}

export function parseToy(problem: Problem): ToyProblem {
  const start = Number(/Start with (-?\d+)/.exec(problem.text)![1]);
  const ops = [...problem.text.matchAll(/Add (-?\d+)\./g)].map((m) => Number(m[1]));
  return { start, ops };
}

export function toyAnswer(p: ToyProblem): number {
  return p.ops.reduce((a, b) => a + b, p.start);
}

/** mulberry32: small, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const stepRe = /^v(\d+) = (-?\d+)$/;

/** The value a path has reached, read from its last step (wrong values propagate). */
function state(p: ToyProblem, prefix: readonly string[]): { i: number; v: number } {
  const last = prefix[prefix.length - 1];
  const m = last ? stepRe.exec(last) : null;
  return m ? { i: Number(m[1]), v: Number(m[2]) } : { i: 0, v: p.start };
}

export interface ToyPolicyOptions {
  errorRate: number;
  maxN?: number;
  continuation?: boolean;
  /** Resolves before each call returns; lets a test hold calls open. */
  gate?: (request: ExpandRequest, call: number) => Promise<void>;
  fail?: (call: number) => boolean;
}

/** Writes steps `v<i> = <value>`; each is wrong with `errorRate`; the last writes \boxed{}. */
export class ToyPolicy implements Policy {
  readonly model = "toy-policy-1b";
  readonly capabilities;
  readonly calls: ExpandRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly options: ToyPolicyOptions) {
    this.capabilities = { maxN: options.maxN ?? 1, continuation: options.continuation ?? true };
  }

  async expand(request: ExpandRequest): Promise<ExpandResult> {
    const call = this.calls.length;
    this.calls.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.options.gate?.(request, call);
      if (this.options.fail?.(call)) throw new Error(`toy policy call ${call} failed`);
      const p = parseToy(request.problem);
      // Like a server: a seeded call samples the same text whenever it runs.
      const random = rng(hash(`${request.seed ?? `call ${call}`}|${request.prefix.join("|")}`));
      const generations: Generation[] = [];
      for (let s = 0; s < request.k; s++) generations.push(this.write(p, request, random));
      const completionTokens = generations.reduce((a, g) => a + g.text.length, 0);
      return { generations, usage: { promptTokens: 10 + request.prefix.length * 3, completionTokens } };
    } finally {
      this.inFlight--;
    }
  }

  private write(p: ToyProblem, request: ExpandRequest, random: () => number): Generation {
    let { i, v } = state(p, request.prefix);
    const steps: string[] = [];
    do {
      if (i >= p.ops.length) {
        steps.push(`The answer is \\boxed{${v}}`);
        return { text: steps.join(request.delimiter), ended: true };
      }
      const wrong = request.temperature > 0 && random() < this.options.errorRate;
      v = v + p.ops[i]! + (wrong ? 1 + Math.floor(random() * 5) : 0);
      i++;
      steps.push(`v${i} = ${v}`);
    } while (request.mode === "solution");
    return { text: steps[0]!, ended: false };
  }
}

/** Scores a step by whether it is right given the path so far; `inverted` prefers wrong steps. */
export class ToyVerifier implements Verifier {
  readonly kind = "http" as const;
  readonly model = "toy-prm-1b";
  calls = 0;
  constructor(
    private readonly options: { inverted?: boolean; scoreCount?: (steps: number) => number } = {},
  ) {}

  async score(problem: Problem, steps: readonly string[]): Promise<ScoreResult> {
    this.calls++;
    const p = parseToy(problem);
    let right = true;
    let v = p.start;
    const scores = steps.map((step, i) => {
      const m = stepRe.exec(step);
      if (m) {
        right = right && Number(m[2]) === v + (p.ops[i] ?? NaN);
        v = Number(m[2]);
      }
      const good = this.options.inverted ? !right : right;
      return good ? 0.9 : 0.1;
    });
    const count = this.options.scoreCount?.(steps.length) ?? steps.length;
    return {
      scores: scores.slice(0, count).concat(Array(Math.max(0, count - scores.length)).fill(0.5)),
      usage: { promptTokens: 5 * steps.length, completionTokens: 0 },
    };
  }
}
