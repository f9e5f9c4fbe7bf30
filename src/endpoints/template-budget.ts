// A Jinja interpreter with a budget. A chat template is code from the settings (or a model
// card), and @huggingface/jinja runs it synchronously with no limit: a nested `range(2500)` loop
// froze the extension host for seconds, `range(100000000)` took 3 GB. Here every evaluation
// step counts, the clock is read every few hundred steps, text and lists produced are counted,
// and `range` is capped, so a hostile template fails in milliseconds instead. It runs on the
// template's own thread (template-thread.ts), which is also stopped from outside if it hangs.
import { Environment, Interpreter } from "@huggingface/jinja";

export interface TemplateBudget {
  /** Evaluation steps (every expression and statement) one render may take. */
  steps: number;
  /** Wall time one render may take, in ms. */
  ms: number;
  /** Characters of text and list items one render may produce, all values together. */
  produced: number;
  /** Longest list `range()` may make. */
  range: number;
  /**
   * Wall time the template's thread may take to answer one render, checked from outside it:
   * past it the thread is terminated (a render stuck inside one step never reaches the clock).
   */
  answerMs: number;
}

/**
 * Ample for real chat templates: ChatML renders a problem in under 100 steps, and a step costs
 * about 10 µs on a slow machine, so the steps run out in about 200 ms and the clock at 250 ms;
 * the outside limit leaves room for a loaded machine.
 */
export const TEMPLATE_BUDGET: TemplateBudget = {
  steps: 20_000,
  ms: 250,
  produced: 4_000_000,
  range: 10_000,
  answerMs: 2_000,
};

/** A render went over its budget; `what` says which limit. */
export class TemplateBudgetError extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = "TemplateBudgetError";
  }
}

type Statement = Parameters<Interpreter["evaluate"]>[0];
type Value = ReturnType<Interpreter["evaluate"]>;

class BoundedInterpreter extends Interpreter {
  private steps = 0;
  private produced = 0;
  private readonly deadline: number;

  constructor(
    env: Environment,
    private readonly budget: TemplateBudget,
  ) {
    super(env);
    this.deadline = Date.now() + budget.ms;
  }

  override evaluate(statement: Statement, environment: Environment): Value {
    if (++this.steps > this.budget.steps)
      throw new TemplateBudgetError(`took more than ${this.budget.steps} evaluation steps`);
    if ((this.steps & 255) === 0 && Date.now() > this.deadline)
      throw new TemplateBudgetError(`took more than ${this.budget.ms} ms`);
    const value = super.evaluate(statement, environment);
    const v: unknown = value.value;
    const size = typeof v === "string" ? v.length : Array.isArray(v) ? v.length : 0;
    if (size > 64 && (this.produced += size) > this.budget.produced)
      throw new TemplateBudgetError(`produced more than ${this.budget.produced} characters and list items`);
    return value;
  }
}

/** Python's range, refusing lists longer than `max`. */
function boundedRange(max: number) {
  return (start: number, stop?: number, step = 1): number[] => {
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0) throw new Error("range() step must not be zero");
    const length = Math.max(0, Math.ceil((stop - start) / step));
    if (length > max) throw new TemplateBudgetError(`asked range() for ${length} numbers (at most ${max})`);
    return Array.from({ length }, (_, i) => start + i * step);
  };
}

/** `strftime_now` for the formats chat templates use (Llama 3.1: "%d %b %Y"). */
function strftimeNow(format: string): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  const month = (style: "long" | "short"): string => d.toLocaleString("en-US", { month: style });
  const codes: Record<string, string> = {
    d: pad(d.getDate()),
    m: pad(d.getMonth() + 1),
    Y: String(d.getFullYear()),
    y: pad(d.getFullYear() % 100),
    b: month("short"),
    B: month("long"),
    H: pad(d.getHours()),
    M: pad(d.getMinutes()),
    S: pad(d.getSeconds()),
    "%": "%",
  };
  return String(format).replace(/%(.)/g, (m, c: string) => codes[c] ?? m);
}

/**
 * Renders a parsed template under `budget`, with the globals @huggingface/jinja's own
 * `Template.render` sets (its `range` bounded); throws a TemplateBudgetError past the budget.
 */
export function renderBounded(
  program: Parameters<Interpreter["run"]>[0],
  items: Record<string, unknown>,
  budget: TemplateBudget = TEMPLATE_BUDGET,
): string {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    raise_exception: (args: unknown) => {
      throw new Error(String(args));
    },
    range: boundedRange(budget.range),
    strftime_now: strftimeNow,
  };
  for (const [key, value] of Object.entries({ ...globals, ...items })) env.set(key, value);
  const result = new BoundedInterpreter(env, budget).run(program);
  return String(result.value);
}
