import { asArray, asNumber, isObject } from "./shape.js";

/**
 * Step rewards from a vLLM `/pooling` response of a Qwen2.5-Math-PRM-style model: one
 * `[p_negative, p_positive]` row per `<extra_0>` tag, in order (STEP pooling); the reward is
 * `row[1]`. A row of one value (a single-label head) is taken as the reward itself. Throws a
 * plain Error saying what the body held when it has no such rows (e.g. base64 encoding).
 */
export function parsePoolingStepRewards(body: unknown): number[] {
  const first = isObject(body) ? asArray(body.data)[0] : undefined;
  const rows = isObject(first) ? first.data : undefined;
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
