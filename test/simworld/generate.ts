// From "what the model would write" to what a server returns: tokens, stop strings, the token
// limit, finish reasons and log-probabilities. Flavours format the result their own way.
import { Rng, hashString, rngFor } from "./rng.js";
import { EOS, tokenize, type Token } from "./tokens.js";

export interface TokenChoice {
  id: number;
  text: string;
  logprob: number;
}

export interface GenToken extends TokenChoice {
  /** The most likely tokens at this position, best first (the chosen one among them). */
  top: TokenChoice[];
}

/** How a choice ended: EOS, a stop string, or the token limit. */
export type StopType = "eos" | "word" | "limit";

export interface GenChoice {
  index: number;
  /** The returned text (stop string excluded unless asked for). */
  text: string;
  /** The tokens of `text`, with log-probabilities. */
  tokens: GenToken[];
  /** Tokens generated, counting a trimmed stop string and the EOS token, as vLLM counts them. */
  completionTokens: number;
  finishReason: "stop" | "length";
  stopType: StopType;
  /** The stop string that matched, or null. */
  stopReason: string | null;
}

/** A first token with a distribution of its own (a judge's Yes/No, a PRM's +/-). */
export interface Verdict {
  /** The candidates and their probabilities, e.g. [["Yes", 0.8], ["No", 0.2]]. */
  options: [string, number][];
}

/** What a model writes for one choice: text, optionally opened by a verdict token. */
export interface Draft {
  text: string;
  verdict?: Verdict;
}

export interface Limits {
  /** Most tokens to generate, or null for no limit. */
  maxTokens: number | null;
  stop: readonly string[];
  includeStopInOutput?: boolean;
}

const WORD_ALTERNATIVES = [" the", ",", ".", " we", " is", " of", "\n\n", " a"];
const SPACE_ALTERNATIVES = [".", ",", "\n", " the", "$"];

function alternatives(rng: Rng, token: string, count: number): string[] {
  const out: string[] = [];
  const digits = /^( ?)(\d+)$/.exec(token);
  for (let tries = 0; out.length < count && tries < count * 6; tries++) {
    let alt: string;
    if (digits) {
      const body = digits[2] ?? "0";
      const pos = rng.int(0, body.length - 1);
      alt = (digits[1] ?? "") + body.slice(0, pos) + String(rng.int(0, 9)) + body.slice(pos + 1);
    } else alt = rng.pick(/\w/.test(token) ? WORD_ALTERNATIVES : SPACE_ALTERNATIVES);
    if (alt !== token && !out.includes(alt)) out.push(alt);
  }
  return out;
}

/** Plausible log-probabilities: the written token is the most likely one, alternatives trail. */
function tokenLogprobs(rng: Rng, token: Token, topK: number): GenToken {
  const chosen = -(0.001 + 0.5 * rng.next() ** 3);
  const top: TokenChoice[] = [{ id: token.id, text: token.text, logprob: chosen }];
  let lp = chosen;
  for (const alt of alternatives(rng, token.text, Math.max(topK, 2) - 1)) {
    lp -= 1.2 + 2.5 * rng.next();
    const altToken = tokenize(alt)[0];
    if (altToken) top.push({ id: altToken.id, text: altToken.text, logprob: lp });
  }
  return { id: token.id, text: token.text, logprob: chosen, top };
}

function verdictLogprobs(token: Token, verdict: Verdict): GenToken {
  const top: TokenChoice[] = verdict.options
    .map(([text, p]) => {
      const t = tokenize(text)[0] ?? { id: 0, text };
      return { id: t.id, text: t.text, logprob: Math.log(Math.max(p, 1e-9)) };
    })
    .sort((a, b) => b.logprob - a.logprob);
  const own = top.find((t) => t.text === token.text);
  return { id: token.id, text: token.text, logprob: own?.logprob ?? -20, top };
}

/** Picks a verdict token: the most likely at temperature 0, else sampled. */
export function pickVerdict(verdict: Verdict, temperature: number, rng: Rng): string {
  const sorted = [...verdict.options].sort((a, b) => b[1] - a[1]);
  if (temperature <= 0) return sorted[0]?.[0] ?? "";
  const weights = verdict.options.map(([, p]) => Math.pow(Math.max(p, 1e-12), 1 / temperature));
  return verdict.options[rng.weighted(weights)]?.[0] ?? "";
}

/** Applies stop strings and the token limit to a draft, and adds log-probabilities. */
export function finishChoice(
  index: number,
  draft: Draft,
  limits: Limits,
  logprobKey: string,
  topK: number,
  withLogprobs = true,
): GenChoice {
  const full = draft.text;
  const tokens = tokenize(full);
  // The earliest stop string in the text, as an incremental detokenizer would find it.
  let stopAt = -1;
  let stopString: string | null = null;
  for (const s of limits.stop) {
    if (!s) continue;
    const at = full.indexOf(s);
    if (at >= 0 && (stopAt < 0 || at < stopAt)) {
      stopAt = at;
      stopString = s;
    }
  }
  let keepChars = full.length;
  let generated: number;
  let stopType: StopType = "eos";
  if (stopString !== null) {
    const end = stopAt + stopString.length;
    let chars = 0;
    generated = 0;
    while (generated < tokens.length && chars < end) chars += tokens[generated++]?.text.length ?? 0;
    keepChars = limits.includeStopInOutput ? end : stopAt;
    stopType = "word";
  } else {
    generated = tokens.length + 1; // + EOS
  }
  const max = limits.maxTokens;
  // Without a stop string the model needs one more token (EOS) to end on its own.
  if (max !== null && (stopType === "word" ? generated > max : tokens.length >= max)) {
    generated = max;
    keepChars = tokens.slice(0, max).reduce((n, t) => n + t.text.length, 0);
    if (stopString !== null)
      keepChars = Math.min(keepChars, limits.includeStopInOutput ? full.length : stopAt);
    stopType = "limit";
  }
  const text = full.slice(0, keepChars);
  const rng = rngFor("logprobs", logprobKey, index);
  const out: GenToken[] = [];
  let chars = 0;
  for (const [i, t] of tokens.entries()) {
    if (chars >= keepChars) break;
    const piece = t.text.slice(0, keepChars - chars);
    chars += t.text.length;
    const token = { id: t.id, text: piece };
    if (!withLogprobs) out.push({ ...token, logprob: 0, top: [] });
    else if (i === 0 && draft.verdict) out.push(verdictLogprobs(token, draft.verdict));
    else out.push(tokenLogprobs(rng, token, topK));
  }
  return {
    index,
    text,
    tokens: out,
    completionTokens: generated,
    finishReason: stopType === "limit" ? "length" : "stop",
    stopType,
    stopReason: stopType === "word" ? stopString : null,
  };
}

/** The key that makes a request's draws reproducible: [] greedy, [seed, i] or [nonce, i] sampling. */
export function sampleKey(
  temperature: number,
  seed: number | undefined,
  nonce: number,
  index: number,
): (string | number)[] {
  if (temperature <= 0) return [];
  return seed !== undefined && seed !== null && seed >= 0 ? ["seed", seed, index] : ["nonce", nonce, index];
}

export function promptHash(prompt: string): string {
  return hashString(prompt).toString(36);
}

export { EOS, Rng };
