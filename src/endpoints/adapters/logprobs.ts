import { asArray, asNumber, asString, isObject } from "./shape.js";

/** One candidate token at a position, with its log-probability. */
export interface TopLogprob {
  token: string;
  logprob: number;
  /** Token id, where the server gives one (llama.cpp, vLLM prompt logprobs). */
  id?: number;
}

/** A generated token and the top candidates at its position. */
export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

/**
 * Reads generated-token log-probabilities in each shape servers use:
 * chat shape `{content:[{token, logprob, top_logprobs:[…]}]}` (OpenAI chat, vLLM chat,
 * llama.cpp and Ollama on both endpoints), legacy arrays `{tokens, token_logprobs,
 * top_logprobs:[{tok: lp}]}` (OpenAI/vLLM/SGLang completions), and arrays of entries
 * (llama.cpp native `completion_probabilities`, also as `prob`/`top_probs`; Ollama native).
 * Empty when there are none.
 */
export function readLogprobs(raw: unknown): TokenLogprob[] {
  if (Array.isArray(raw)) return raw.map(entry).filter((e): e is TokenLogprob => e !== null);
  if (!isObject(raw)) return [];
  if (Array.isArray(raw.content)) return readLogprobs(raw.content);
  if (Array.isArray(raw.tokens)) {
    const tokens = raw.tokens;
    const lps = asArray(raw.token_logprobs);
    const tops = asArray(raw.top_logprobs);
    return tokens.map((t, i) => ({
      token: asString(t) ?? "",
      logprob: asNumber(lps[i]) ?? -Infinity,
      top: topFromDict(tops[i]),
    }));
  }
  return [];
}

function entry(raw: unknown): TokenLogprob | null {
  if (!isObject(raw)) return null;
  const token = asString(raw.token) ?? "";
  const logprob = asNumber(raw.logprob) ?? probToLog(asNumber(raw.prob));
  const id = asNumber(raw.id);
  const topRaw = Array.isArray(raw.top_logprobs) ? raw.top_logprobs : asArray(raw.top_probs);
  const top = topRaw
    .map((t): TopLogprob | null => {
      if (!isObject(t)) return null;
      const lp = asNumber(t.logprob) ?? probToLog(asNumber(t.prob));
      const tid = asNumber(t.id);
      return { token: asString(t.token) ?? "", logprob: lp, ...(tid !== undefined ? { id: tid } : {}) };
    })
    .filter((t): t is TopLogprob => t !== null);
  return { token, logprob, ...(id !== undefined ? { id } : {}), top };
}

/** Legacy `{token: logprob}` dicts (and vLLM prompt-logprob dicts keyed by id). */
function topFromDict(raw: unknown): TopLogprob[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).flatMap(([key, v]): TopLogprob[] => {
    if (typeof v === "number") return [{ token: key, logprob: v }];
    if (isObject(v) && asNumber(v.logprob) !== undefined) {
      const id = /^\d+$/.test(key) ? Number(key) : undefined;
      return [
        {
          token: asString(v.decoded_token) ?? key,
          logprob: v.logprob as number,
          ...(id !== undefined ? { id } : {}),
        },
      ];
    }
    return [];
  });
}

function probToLog(p: number | undefined): number {
  return p === undefined ? -Infinity : p > 0 ? Math.log(p) : -Infinity;
}

/** One position of a vLLM `prompt_logprobs` list: the prompt token and the top candidates. */
export interface PromptPosition {
  /** The prompt token at this position. */
  id: number;
  /** Its text, when the server decoded it. */
  token?: string;
  /** The distribution the model put on this position (empty for position 0). */
  top: TopLogprob[];
}

/**
 * Reads vLLM's `prompt_logprobs` (`[null, {"<id>": {logprob, rank, decoded_token}}, …]`) with
 * the prompt token ids (`prompt_token_ids`, from `return_token_ids`). Null when either is
 * missing or their lengths differ, since positions cannot then be trusted.
 */
export function readPromptLogprobs(
  promptLogprobs: unknown,
  promptTokenIds: unknown,
): PromptPosition[] | null {
  if (!Array.isArray(promptLogprobs) || !Array.isArray(promptTokenIds)) return null;
  if (promptLogprobs.length !== promptTokenIds.length) return null;
  return promptTokenIds.map((rawId, i): PromptPosition => {
    const id = asNumber(rawId) ?? -1;
    const dict = promptLogprobs[i];
    const own = isObject(dict) ? dict[String(id)] : undefined;
    const token = isObject(own) ? asString(own.decoded_token) : undefined;
    return { id, ...(token !== undefined ? { token } : {}), top: topFromDict(dict) };
  });
}

/** A token's text as a label: surrounding space and SentencePiece/BPE space marks removed. */
export function labelOf(token: string): string {
  return token.replace(/^[\s▁Ġ]+|[\s▁Ġ]+$/g, "");
}

function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

/**
 * P(good) from a position's candidates: the probability of the `good` label renormalised over
 * the `good` and `bad` labels. A candidate is matched by id where both it and the label have
 * ids (docs/reference/serving-apis.md §7.3: token strings differ by tokenizer, and `"+"` and `"▁+"` are different
 * tokens to the model), else by its text, case-insensitively after `labelOf`. A label missing
 * from the candidates counts as improbable. Null when neither label is among them.
 */
export function binaryProbability(
  top: readonly TopLogprob[],
  good: { texts: readonly string[]; ids?: readonly number[] },
  bad: { texts: readonly string[]; ids?: readonly number[] },
): number | null {
  const matches = (t: TopLogprob, label: typeof good): boolean =>
    t.id !== undefined && label.ids?.length
      ? label.ids.includes(t.id)
      : label.texts.some((x) => x.toLowerCase() === labelOf(t.token).toLowerCase());
  // The same token may be listed twice (vLLM lists the sampled token besides the top-k).
  const unique = new Map<string, TopLogprob>();
  for (const t of top) unique.set(`${t.id ?? ""}|${t.token}`, t);
  const goods = [...unique.values()].filter((t) => matches(t, good)).map((t) => t.logprob);
  const bads = [...unique.values()].filter((t) => matches(t, bad)).map((t) => t.logprob);
  if (!goods.length && !bads.length) return null;
  const g = logSumExp(goods.length ? goods : [-Infinity]);
  const b = logSumExp(bads.length ? bads : [-Infinity]);
  if (g === -Infinity) return 0;
  if (b === -Infinity) return 1;
  return 1 / (1 + Math.exp(b - g));
}
