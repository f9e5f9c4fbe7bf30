// POST /v1/completions in every flavour (their differences in `Quirks`, compat.ts).
import { ApiError, badRequest } from "./errors.js";
import type { GenToken, Limits } from "./generate.js";
import type { SimModel } from "./models.js";
import { scoredPositions } from "./prm.js";
import { decodeChoices } from "./sequences.js";
import type { HandlerInput, Reply } from "./server.js";
import { detokenize, type Token } from "./tokens.js";
import {
  asBody,
  bool,
  checkContext,
  chatLogprob,
  generate,
  int,
  readCommon,
  responseHead,
  sse,
  timingsOf,
  usageOf,
  type Body,
  type Generation,
  type PromptRun,
  type Quirks,
} from "./compat.js";

function legacyLogprobs(tokens: GenToken[], topK: number, offset0: number) {
  let offset = offset0;
  const text_offset: number[] = [];
  for (const t of tokens) {
    text_offset.push(offset);
    offset += t.text.length;
  }
  return {
    text_offset,
    token_logprobs: tokens.map((t) => t.logprob),
    tokens: tokens.map((t) => t.text),
    top_logprobs: tokens.map((t) => {
      const top: Record<string, number> = {};
      for (const x of t.top.slice(0, topK)) top[x.text] = x.logprob;
      top[t.text] = t.logprob; // the sampled token is always there, as in vLLM
      return top;
    }),
  };
}

function completionLogprobs(tokens: GenToken[], q: Quirks, topK: number, offset0 = 0): unknown {
  if (q.completionLogprobs === "chat") return { content: tokens.map((t) => chatLogprob(t, q, topK)) };
  return legacyLogprobs(tokens, topK, offset0);
}

function readPrompts(body: Body, q: Quirks): string[] {
  const p = body.prompt;
  if (typeof p === "string") return [p];
  if (q.prompt === "string") throw badRequest("invalid prompt: prompt must be a string", "prompt");
  if (Array.isArray(p) && p.length && p.every((x) => typeof x === "number"))
    return [detokenize(p as number[])];
  if (q.prompt === "any" && Array.isArray(p) && p.length) {
    if (p.every((x) => typeof x === "string")) return p as string[];
    if (p.every((x) => Array.isArray(x) && x.every((y) => typeof y === "number")))
      return (p as number[][]).map((x) => detokenize(x));
  }
  throw badRequest("`prompt` must be a string, a list of strings, or token ids.", "prompt");
}

export async function completions(input: HandlerInput, q: Quirks): Promise<Reply> {
  const body = asBody(input.body);
  const common = readCommon(body, q, input.sim);
  const prompts = readPrompts(body, q);
  const echo = bool(body, "echo") ?? false;
  if (echo && q.echo === "rejected") throw new ApiError(500, "Only no echo is supported", "server");
  const useEcho = echo && q.echo === "supported";
  const logprobs = int(body, "logprobs");
  if (logprobs !== undefined && (logprobs < -1 || logprobs > q.maxLogprobs))
    throw badRequest(
      `Requested logprobs of ${logprobs}, which is greater than max allowed: ${q.maxLogprobs}`,
      "logprobs",
    );
  const promptLogprobs = q.flavour === "vllm" ? int(body, "prompt_logprobs") : undefined;
  if (promptLogprobs !== undefined && common.stream)
    throw badRequest("`prompt_logprobs` are not available when `stream=True`.", "prompt_logprobs");
  if (promptLogprobs !== undefined && (promptLogprobs < -1 || promptLogprobs > q.maxLogprobs))
    throw badRequest(
      `Requested prompt_logprobs of ${promptLogprobs}, which is greater than max allowed: ${q.maxLogprobs}`,
      "prompt_logprobs",
    );
  const maxTokens =
    (q.flavour === "llamacpp" ? int(body, "n_predict") : undefined) ??
    int(body, "max_tokens") ??
    q.completionsDefaultMaxTokens;
  const limits: Limits = {
    maxTokens: maxTokens !== null && maxTokens < 0 ? null : maxTokens,
    stop: common.stop,
    includeStopInOutput: q.flavour === "vllm" ? (bool(body, "include_stop_str_in_output") ?? false) : false,
  };
  if (limits.maxTokens === 0 && !(useEcho && q.flavour === "vllm") && q.flavour !== "llamacpp")
    throw badRequest("`max_tokens` must be at least 1.", "max_tokens");
  const topK = logprobs === undefined ? 0 : logprobs < 0 ? 20 : logprobs;
  const wantLogprobs = logprobs !== undefined && !(q.flavour === "ollama" && logprobs === 0);
  const pLogprobsWanted = promptLogprobs !== undefined;
  const g = generate(
    {
      model: common.model,
      prompts,
      n: common.n,
      temperature: common.temperature,
      seed: common.seed,
      limits,
      topK,
      logprobs: wantLogprobs || pLogprobsWanted,
    },
    input.sim,
    q.id("cmpl", input.sim),
  );
  for (const p of g.prompts) checkContext(q, p.tokens.length, limits.maxTokens);
  const returnTokenIds = q.flavour === "vllm" && bool(body, "return_token_ids") === true;
  const pLogprobs =
    promptLogprobs !== undefined || (useEcho && wantLogprobs) ? (promptLogprobs ?? topK) : undefined;

  const choiceBody = (c: Generation["choices"][number]) => {
    const prompt = g.prompts[c.prompt];
    let text = c.choice.text;
    let lp: unknown = null;
    if (useEcho && prompt) text = prompt.text + text;
    if (wantLogprobs) {
      if (useEcho && prompt && q.completionLogprobs === "legacy") {
        const promptPart = promptTokenLogprobs(prompt.tokens, g.model, topK);
        const legacy = legacyLogprobs([...promptPart, ...c.choice.tokens], topK, 0);
        (legacy.token_logprobs as (number | null)[])[0] = null;
        (legacy.top_logprobs as (Record<string, number> | null)[])[0] = null;
        lp = legacy;
      } else lp = completionLogprobs(c.choice.tokens, q, topK);
    }
    const out: Record<string, unknown> = {
      index: c.choice.index,
      text,
      logprobs: lp,
      finish_reason: c.choice.finishReason,
    };
    if (q.stopReason) out.stop_reason = c.choice.stopReason;
    if (q.flavour === "vllm") {
      out.token_ids = returnTokenIds ? c.choice.tokens.map((t) => t.id) : null;
      out.prompt_logprobs =
        pLogprobs !== undefined && prompt ? vllmPromptLogprobs(prompt, g.model, pLogprobs) : null;
      out.prompt_token_ids = returnTokenIds && prompt ? prompt.tokens.map((t) => t.id) : null;
    }
    return out;
  };

  if (!common.stream) {
    await decodeChoices(g, input.signal);
    const res: Record<string, unknown> = {
      ...responseHead(g, "text_completion"),
      choices: g.choices.map(choiceBody),
    };
    if (q.systemFingerprint !== null || q.flavour === "vllm") res.system_fingerprint = q.systemFingerprint;
    res.usage = usageOf(g, q);
    if (q.flavour === "vllm") res.service_tier = null;
    if (q.timings) res.timings = timingsOf(g);
    return { kind: "json", status: 200, body: res };
  }

  const base = (choices: unknown[]) => {
    const chunk: Record<string, unknown> = {
      ...responseHead(g, "text_completion"),
      choices,
    };
    if (q.systemFingerprint !== null) chunk.system_fingerprint = q.systemFingerprint;
    return chunk;
  };
  // The chunks of one choice's token t.
  const chunksAt = (c: Generation["choices"][number], t: number): unknown[] => {
    const tok = c.choice.tokens[t];
    const last = t === c.choice.completionTokens - 1;
    if (!tok && !last) return [];
    const out: unknown[] = [];
    const choice: Record<string, unknown> = {
      index: c.choice.index,
      text: tok?.text ?? "",
      logprobs:
        tok && wantLogprobs
          ? completionLogprobs(
              [tok],
              q,
              topK,
              c.choice.tokens.slice(0, t).reduce((n, x) => n + x.text.length, 0),
            )
          : null,
      finish_reason: last && !q.separateFinishChunk ? c.choice.finishReason : null,
    };
    if (q.stopReason) choice.stop_reason = last ? c.choice.stopReason : null;
    if (tok || !last || !q.separateFinishChunk) out.push(base([choice]));
    if (last && q.separateFinishChunk)
      out.push({
        ...base([{ index: c.choice.index, text: "", logprobs: null, finish_reason: c.choice.finishReason }]),
        ...(q.usagePerChoice ? { usage: usageOf(g, q, c), timings: timingsOf(g) } : {}),
      });
    return out;
  };
  const echoed = useEcho
    ? g.choices.map((c) =>
        base([
          {
            index: c.choice.index,
            text: g.prompts[c.prompt]?.text ?? "",
            logprobs: null,
            finish_reason: null,
          },
        ]),
      )
    : [];
  return sse(g, q, input.signal, common.includeUsage, base, echoed, chunksAt);
}

/** Logprobs for prompt tokens (echo / prompt_logprobs): the actual token and plausible others. */
function promptTokenLogprobs(tokens: readonly Token[], model: SimModel, topK: number): GenToken[] {
  const scored = scoredPositions(tokens, model);
  return tokens.map((t, i) => {
    const verdict = scored.get(i);
    if (verdict) {
      const own = verdict.find((v) => v.text === t.text);
      return { id: t.id, text: t.text, logprob: own?.logprob ?? -9, top: verdict };
    }
    const lp = -(0.01 + ((i * 7919) % 97) / 100);
    return {
      id: t.id,
      text: t.text,
      logprob: lp,
      top: [
        { id: t.id, text: t.text, logprob: lp },
        { id: 1300019, text: ".", logprob: lp - 3.1 },
        { id: 1300000 + 99 * 55, text: " The", logprob: lp - 5.2 },
      ].slice(0, Math.max(1, topK)),
    };
  });
}

function vllmPromptLogprobs(prompt: PromptRun, model: SimModel, k: number): unknown[] {
  const lps = promptTokenLogprobs(prompt.tokens, model, k < 0 ? 20 : k);
  return lps.map((t, i) => {
    if (i === 0) return null;
    const entries = [...t.top.slice(0, k < 0 ? 20 : k)];
    if (!entries.some((e) => e.id === t.id)) entries.push({ id: t.id, text: t.text, logprob: t.logprob });
    const sorted = [...t.top].sort((a, b) => b.logprob - a.logprob);
    const out: Record<string, { logprob: number; rank: number; decoded_token: string }> = {};
    for (const e of entries) {
      const rank = sorted.findIndex((s) => s.id === e.id);
      out[String(e.id)] = {
        logprob: e.logprob,
        rank: rank >= 0 ? rank + 1 : sorted.length + 1,
        decoded_token: e.text,
      };
    }
    return out;
  });
}
