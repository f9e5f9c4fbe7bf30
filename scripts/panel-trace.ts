// Synthetic traces for `npm run bench:panel`: the event stream of a beam search of N nodes (steps
// written in LaTeX as a math policy writes them, scored, pruned, finished, with cost events), and
// a finished greedy run whose one solution has S steps. Deterministic: the same arguments give
// the same events, so figures from run to run compare the panel, not the trace.
import { emptyCost } from "../src/core/cost.js";
import { resolveSearchConfig, type Candidate, type PathNode, type SearchEvent } from "../src/core/index.js";

const PROBLEM =
  "A baker has $34$ trays of $9$ rolls. She sells $\\frac{2}{3}$ of them and bakes $12$ more trays. How many rolls does she have?";

/** A step as a math policy writes one: prose around a few inline formulas. */
export function stepText(depth: number, sample: number): string {
  const a = 10 + ((depth * 37 + sample * 11) % 90);
  const k = 2 + ((depth + sample) % 8);
  switch ((depth + sample) % 4) {
    case 0:
      return `Scaling by $${k}$ gives $${a} \\times ${k} = ${a * k}$, so there are $${a * k}$ rolls.`;
    case 1:
      return `Taking $\\frac{${k}}{${k + 1}}$ of $${a * (k + 1)}$ leaves $${a * (k + 1)} \\cdot \\frac{${k}}{${k + 1}} = ${a * k}$.`;
    case 2:
      return `Adding the $${k}$ new trays: $${a} + ${k} \\cdot 9 = ${a + 9 * k}$ rolls in all.`;
    default:
      return `We check: $\\sqrt{${a * a}} = ${a}$ and $${a}^2 - ${k}^2 = ${a * a - k * k}$.`;
  }
}

const score = (depth: number, sample: number): number =>
  Math.round((0.35 + 0.6 * (((depth * 7919 + sample * 104729) % 1000) / 1000)) * 1000) / 1000;

/**
 * A beam search of `nodes` nodes over 8 rounds: n = nodes / 8 children a round, the best quarter
 * kept (M = 4), the rest pruned; the kept paths of the last round finish. `t` advances 20 ms per
 * node added, so the trace lasts about nodes × 25 ms.
 */
export function beamTrace(nodes: number): SearchEvent[] {
  const rounds = 8;
  const n = Math.max(4, Math.floor(nodes / rounds));
  const width = 4;
  const config = resolveSearchConfig({ strategy: "beam", n, beamWidth: width, maxSteps: rounds });
  const events: SearchEvent[] = [];
  let t = 0;
  const cost = emptyCost();
  events.push({
    type: "run-started",
    t,
    problem: { text: PROBLEM },
    config,
    policy: "sim-policy-1.5b",
    verifier: "vllm-pooling:sim-prm-qwen",
  });
  const root: PathNode = { id: "n0", parentId: null, depth: 0, text: "", status: "active" };
  events.push({ type: "node-added", t, node: root });
  let id = 1;
  let live: { node: PathNode; scores: number[]; steps: string[] }[] = [{ node: root, scores: [], steps: [] }];
  const candidates: Candidate[] = [];
  for (let depth = 1; depth <= rounds; depth++) {
    const children: { node: PathNode; scores: number[]; steps: string[] }[] = [];
    for (let c = 0; c < n; c++) {
      const parent = live[c % live.length]!;
      const node: PathNode = {
        id: `n${id++}`,
        parentId: parent.node.id,
        depth,
        text: stepText(depth, c),
        status: "active",
      };
      t += 20;
      events.push({ type: "node-added", t, node });
      const scores = [...parent.scores, score(depth, c)];
      t += 5;
      events.push({
        type: "node-scored",
        t,
        id: node.id,
        stepScores: scores,
        score: scores[scores.length - 1]!,
      });
      cost.policy.requests++;
      cost.policy.promptTokens += 120 + 30 * depth;
      cost.policy.completionTokens += 40;
      cost.verifier.requests++;
      cost.verifier.promptTokens += 160 + 30 * depth;
      events.push({ type: "cost", t, cost: structuredClone(cost) });
      children.push({ node, scores, steps: [...parent.steps, node.text] });
    }
    children.sort((x, y) => y.scores[y.scores.length - 1]! - x.scores[x.scores.length - 1]!);
    const keep = Math.max(1, Math.floor(n / width));
    for (const pruned of children.slice(keep)) events.push({ type: "node-pruned", t, id: pruned.node.id });
    live = children.slice(0, keep);
  }
  for (const [i, path] of live.entries()) {
    const answer = String(100 + (i % 3));
    events.push({ type: "path-finished", t, id: path.node.id, answer });
    candidates.push({
      nodeId: path.node.id,
      steps: path.steps,
      stepScores: path.scores,
      score: path.scores.at(-1),
      answer,
      group: answer,
    });
  }
  return finish(events, t, candidates, cost, "beam");
}

/** A finished greedy run whose one solution has `steps` steps (one node, as solution mode writes). */
export function longSolutionTrace(steps: number): SearchEvent[] {
  const config = resolveSearchConfig({ strategy: "greedy", n: 1, maxSteps: 1000 });
  const text = Array.from({ length: steps }, (_, i) => stepText(i + 1, 0)).join(config.delimiter);
  const scores = Array.from({ length: steps }, (_, i) => score(i + 1, 0));
  const cost = emptyCost();
  cost.policy.requests = 1;
  cost.policy.completionTokens = steps * 30;
  cost.verifier.requests = 1;
  cost.verifier.promptTokens = steps * 30;
  const node: PathNode = { id: "n1", parentId: "n0", depth: 1, text, status: "active", ended: true };
  const events: SearchEvent[] = [
    {
      type: "run-started",
      t: 0,
      problem: { text: PROBLEM },
      config,
      policy: "sim-policy-1.5b",
      verifier: "vllm-pooling:sim-prm-qwen",
    },
    { type: "node-added", t: 0, node: { id: "n0", parentId: null, depth: 0, text: "", status: "active" } },
    { type: "node-added", t: 1000, node },
    { type: "node-scored", t: 1500, id: "n1", stepScores: scores, score: scores[steps - 1]! },
    { type: "cost", t: 1500, cost: structuredClone(cost) },
    { type: "path-finished", t: 1500, id: "n1", answer: "102" },
  ];
  const steps_ = text.split(config.delimiter);
  return finish(
    events,
    1500,
    [
      {
        nodeId: "n1",
        steps: steps_,
        stepScores: scores,
        score: scores[steps - 1],
        answer: "102",
        group: "102",
      },
    ],
    cost,
    "greedy",
  );
}

function finish(
  events: SearchEvent[],
  t: number,
  candidates: Candidate[],
  cost: ReturnType<typeof emptyCost>,
  strategy: "beam" | "greedy",
): SearchEvent[] {
  const groups = new Map<string, { votes: number; scoreSum: number; bestScore: number }>();
  for (const c of candidates) {
    const g = groups.get(c.answer!) ?? { votes: 0, scoreSum: 0, bestScore: 0 };
    g.votes++;
    g.scoreSum += c.score ?? 0;
    g.bestScore = Math.max(g.bestScore, c.score ?? 0);
    groups.set(c.answer!, g);
  }
  const tally = [...groups]
    .map(([answer, g]) => ({ group: answer, answer, ...g }))
    .sort((a, b) => b.scoreSum - a.scoreSum);
  const chosen = candidates.find((c) => c.answer === tally[0]!.answer) ?? null;
  events.push({ type: "answer-tally", t, tally });
  cost.wallMs = t;
  events.push({
    type: "run-finished",
    t,
    result: { strategy, answer: chosen?.answer ?? null, chosen, candidates, tally, cost, aborted: false },
  });
  return events;
}
