import { asArray, asNumber, isObject } from "./shape.js";

/**
 * Step rewards from a vLLM `/pooling` response of a Qwen2.5-Math-PRM-style model: one
 * `[p_negative, p_positive]` row per `<extra_0>` tag, in order (STEP pooling); the reward is
 * `row[1]`. A row of one value (a single-label head) is taken as the reward itself. Throws a
 * plain Error saying what the body held when it has no such rows (e.g. base64 encoding).
 */
export function parsePoolingStepRewards(body: unknown): number[] {
  const first = isObject(body) ? asArray(body.data)[0] : undefined;
  return stepRewards(isObject(first) ? first.data : undefined);
}

/**
 * Step rewards per input of a `/pooling` request whose `input` was a list: vLLM answers one
 * `data` item per input, each with its `index` (serving_pooling.py). `count` inputs were sent;
 * an input without an item, or whose rows cannot be read, gets the Error saying why.
 */
export function parsePoolingBatchStepRewards(body: unknown, count: number): (number[] | Error)[] {
  const out: (number[] | Error | undefined)[] = new Array<undefined>(count).fill(undefined);
  const items = isObject(body) ? asArray(body.data) : [];
  items.forEach((item, position) => {
    if (!isObject(item)) return;
    const index = typeof item.index === "number" ? item.index : position;
    if (!(index >= 0 && index < count)) return;
    try {
      out[index] = stepRewards(item.data);
    } catch (e) {
      out[index] = e instanceof Error ? e : new Error(String(e));
    }
  });
  // Errors only for what is missing: an Error captures a stack, too dear for every input.
  return out.map((r, i) => r ?? new Error(`the response has no data item for input ${i}`));
}

function stepRewards(rows: unknown): number[] {
  if (typeof rows === "string")
    throw new Error("the pooling output came base64-encoded; the request must ask for encoding_format float");
  if (!Array.isArray(rows)) throw new Error("the response has no data[0].data rows of step scores");
  return rows.map((row, i) => {
    if (typeof row === "number") return row;
    const values = asArray(row).map(asNumber);
    const value = values.length >= 2 ? values[1] : values[0];
    if (value === undefined) throw new Error(`step score row ${i + 1} is not a list of numbers`);
    return value;
  });
}
