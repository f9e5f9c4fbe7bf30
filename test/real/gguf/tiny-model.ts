// A deterministic tiny qwen2 model for the real-server suite (facts of one that loads:
// docs/reference/llamacpp-real.md, "A tiny model that loads"). Its attention and MLP write
// nothing, so the next token depends only on the last one, by design:
//   prompt end ("\n") → a starter word ("We", "The", …; '+', '-', "Yes", "No" close behind, so
//   the verifiers find their labels among the top log-probabilities) → a word → a word →
//   "\n\n" → a digit → end of text (or, sampled, another "\n\n" and more steps).
// Greedy decoding writes "Starter word word\n\nD"; sampling varies words, digits and lengths.
import { writeGguf, type GgufTensor } from "./writer.js";

const N_EMBD = 64;
const N_HEAD = 4;
const N_HEAD_KV = 2;
const N_FF = 128;
const N_LAYER = 2;
const N_VOCAB = 576;

export const SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;
const STARTERS = ["We", "The", "Let", "So"];
const LABELS = ["+", "-", "Yes", "No"];

/** Qwen2.5's chat template, without the tool parts. */
export const CHATML = `{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}{%- else %}{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{%- endif %}{%- for message in messages %}{%- if not (message.role == 'system' and loop.first) %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endif %}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}`;

// A small math text the merges are learned from.
const CORPUS = `We need to find the value of the expression. Let the number of apples be x.
The total is the sum of the two numbers. So the answer is the product of these values.
We add the numbers together and then multiply the result by two. The final answer is seven.
Let us subtract the smaller number from the larger one. So we divide both sides by three.
The problem asks for the remainder when the number is divided by five. We compute each step.
Therefore the answer is the value we found. Then we check that the result is correct.
First we simplify the fraction, then we solve the equation for the unknown variable.
The area of the triangle is half the base times the height of the triangle.`;

const PRETOKEN =
  /(?:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible byte → printable character map. */
function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const map: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  return map;
}

const B2U = bytesToUnicode();
const encode = (s: string): string[] => [...Buffer.from(s, "utf8")].map((b) => B2U[b]!);

/** Merges: the fixed ones (tokens the model's design needs), then learned from the corpus. */
function learnMerges(budget: number): string[][] {
  const fixed = [
    ["Ċ", "Ċ"],
    ["W", "e"],
    ["T", "h"],
    ["Th", "e"],
    ["L", "e"],
    ["Le", "t"],
    ["S", "o"],
    ["Y", "e"],
    ["Ye", "s"],
    ["N", "o"],
  ];
  const words = new Map<string, number>();
  for (const m of CORPUS.match(PRETOKEN) ?? []) words.set(m, (words.get(m) ?? 0) + 1);
  let split = [...words].map(([w, n]) => ({ parts: encode(w), n }));
  const apply = (a: string, b: string): void => {
    split = split.map(({ parts, n }) => {
      const next: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (parts[i] === a && parts[i + 1] === b) {
          next.push(a + b);
          i++;
        } else next.push(parts[i]!);
      }
      return { parts: next, n };
    });
  };
  const merges: string[][] = [];
  const made = new Set<string>();
  for (const [a, b] of fixed) {
    merges.push([a!, b!]);
    made.add(a! + b!);
    apply(a!, b!);
  }
  while (merges.length < budget) {
    const counts = new Map<string, number>();
    for (const { parts, n } of split)
      for (let i = 0; i + 1 < parts.length; i++) {
        const k = `${parts[i]} ${parts[i + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + n);
      }
    // Most frequent pair, ties by text: deterministic.
    const best = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    if (!best) break;
    const [a, b] = best[0].split(" ") as [string, string];
    apply(a, b);
    if (made.has(a + b)) continue;
    made.add(a + b);
    merges.push([a, b]);
  }
  return merges;
}

/** Deterministic PRNG (mulberry32) and a standard normal from it. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TinyModel {
  bytes: Buffer;
  tokens: string[];
  nParams: number;
}

export function tinyModel(seed = 14): TinyModel {
  const merges = learnMerges(N_VOCAB - 256 - SPECIALS.length);
  const tokens = [...B2U, ...merges.map((m) => m.join("")), ...SPECIALS];
  const types: number[] = tokens.map((_, i) => (i >= 256 + merges.length ? 3 : 1));
  while (tokens.length % 8 || tokens.length < N_VOCAB) {
    tokens.push(`[PAD${tokens.length}]`);
    types.push(5);
  }
  const V = tokens.length;
  const id = (t: string): number => tokens.indexOf(t);
  const decoded = tokens.map((t) => {
    const bytes = [...t].map((c) => B2U.indexOf(c));
    return bytes.every((b) => b >= 0) ? Buffer.from(bytes).toString("latin1") : t;
  });

  // Token classes (what the next token depends on) and output groups.
  const NLNL = id("ĊĊ");
  const EOS = id("<|im_end|>");
  const starters = STARTERS.map((s) => id(encode(s).join("")));
  const labels = LABELS.map((s) => id(encode(s).join("")));
  const digits = [..."0123456789"].map((d) => id(encode(d).join("")));
  const wordy = (i: number): boolean =>
    i < 256 + merges.length &&
    /^[ A-Za-z.,'?!]+$/.test(decoded[i]!) &&
    /[A-Za-z]/.test(decoded[i]!) &&
    !labels.includes(i) &&
    !starters.includes(i);
  const groupA = tokens.map((_, i) => i).filter((i) => wordy(i) && i % 2 === 0);
  const groupB = tokens.map((_, i) => i).filter((i) => wordy(i) && i % 2 === 1);
  const CLASSES = ["prompt", "starter", "a", "b", "nlnl", "digit"] as const;
  type Class = (typeof CLASSES)[number];
  const classOf = (i: number): Class =>
    i === NLNL
      ? "nlnl"
      : digits.includes(i)
        ? "digit"
        : starters.includes(i)
          ? "starter"
          : !wordy(i) && !labels.includes(i)
            ? "prompt" // "\n", specials, punctuation, other bytes (the end of " ки")
            : i % 2 === 0
              ? "a"
              : "b";
  // Logits of the next token after each class (everything else: 0).
  const targets: Record<Class, Array<[number[], number]>> = {
    prompt: [
      [starters, 8],
      [labels, 7.6],
    ],
    starter: [[groupA, 8]],
    a: [[groupB, 8]],
    b: [
      [[NLNL], 8.5],
      [groupB, 3],
    ],
    nlnl: [
      [digits, 8],
      [starters, 7],
    ],
    digit: [
      [[EOS], 8],
      [[NLNL], 7.5],
    ],
  };

  // Embedding: the class one-hot (amplitude A) plus a token's own random direction (C), with
  // rms 1 so the final RMS norm leaves it as it is; the output weights read the class off.
  const A = 6;
  const C = Math.sqrt(N_EMBD - A * A);
  const NOISE = 0.4 / C; // logit noise (std) within a group, so samples differ
  const rand = rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const embd = new Float32Array(N_EMBD * V);
  const out = new Float32Array(N_EMBD * V);
  for (let t = 0; t < V; t++) {
    const row = embd.subarray(t * N_EMBD, (t + 1) * N_EMBD);
    row[CLASSES.indexOf(classOf(t))] = A;
    const dir = Array.from({ length: N_EMBD - 8 }, normal);
    const norm = Math.hypot(...dir);
    dir.forEach((x, k) => (row[8 + k] = (C * x) / norm));
    const o = out.subarray(t * N_EMBD, (t + 1) * N_EMBD);
    for (let k = 8; k < N_EMBD; k++) o[k] = normal() * NOISE;
  }
  CLASSES.forEach((cls, c) => {
    for (const [group, logit] of targets[cls]) for (const v of group) out[v * N_EMBD + c] = logit / A;
  });

  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const zeros = (n: number): Float32Array => new Float32Array(n);
  const gqa = (N_EMBD / N_HEAD) * N_HEAD_KV;
  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", shape: [N_EMBD, V], data: embd },
    { name: "output_norm.weight", shape: [N_EMBD], data: ones(N_EMBD) },
    { name: "output.weight", shape: [N_EMBD, V], data: out },
  ];
  for (let l = 0; l < N_LAYER; l++) {
    const t = (name: string, shape: number[], data?: Float32Array): void => {
      tensors.push({
        name: `blk.${l}.${name}`,
        shape,
        data: data ?? zeros(shape.reduce((a, b) => a * b, 1)),
      });
    };
    t("attn_norm.weight", [N_EMBD], ones(N_EMBD));
    t("attn_q.weight", [N_EMBD, N_EMBD]);
    t("attn_q.bias", [N_EMBD]);
    t("attn_k.weight", [N_EMBD, gqa]);
    t("attn_k.bias", [gqa]);
    t("attn_v.weight", [N_EMBD, gqa]);
    t("attn_v.bias", [gqa]);
    // Zero: attention and MLP add nothing to the residual stream (see the top of the file).
    t("attn_output.weight", [N_EMBD, N_EMBD]);
    t("ffn_norm.weight", [N_EMBD], ones(N_EMBD));
    t("ffn_gate.weight", [N_EMBD, N_FF]);
    t("ffn_up.weight", [N_EMBD, N_FF]);
    t("ffn_down.weight", [N_FF, N_EMBD]);
  }
  const nParams = tensors.reduce((n, t) => n + t.data.length, 0);

  const bytes = writeGguf(
    [
      ["general.architecture", { type: "string", value: "qwen2" }],
      ["general.name", { type: "string", value: "tts-tiny" }],
      ["general.file_type", { type: "u32", value: 0 }],
      ["general.alignment", { type: "u32", value: 32 }],
      ["qwen2.context_length", { type: "u32", value: 32768 }],
      ["qwen2.embedding_length", { type: "u32", value: N_EMBD }],
      ["qwen2.block_count", { type: "u32", value: N_LAYER }],
      ["qwen2.feed_forward_length", { type: "u32", value: N_FF }],
      ["qwen2.attention.head_count", { type: "u32", value: N_HEAD }],
      ["qwen2.attention.head_count_kv", { type: "u32", value: N_HEAD_KV }],
      ["qwen2.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-6 }],
      ["qwen2.rope.freq_base", { type: "f32", value: 10000 }],
      ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
      ["tokenizer.ggml.pre", { type: "string", value: "qwen2" }],
      ["tokenizer.ggml.tokens", { type: "strings", value: tokens }],
      ["tokenizer.ggml.token_type", { type: "i32s", value: types }],
      ["tokenizer.ggml.merges", { type: "strings", value: merges.map((m) => m.join(" ")) }],
      ["tokenizer.ggml.eos_token_id", { type: "u32", value: EOS }],
      ["tokenizer.ggml.bos_token_id", { type: "u32", value: id("<|endoftext|>") }],
      ["tokenizer.ggml.padding_token_id", { type: "u32", value: id("<|endoftext|>") }],
      ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
      ["tokenizer.chat_template", { type: "string", value: CHATML }],
    ],
    tensors,
  );
  return { bytes, tokens, nParams };
}
