// A pretend tokenizer. Real tokenizers are not available here, so simworld cuts text into
// pieces of at most 4 characters (plus a leading space) (words, digit groups of up to 3, whitespace runs,
// punctuation), which gives plausible counts (about 3 to 4 characters per token). Ids are
// invertible, so token-id prompts can be decoded; the special tokens keep the ids the real
// models use (Qwen2.5 chat markers and `<extra_0>`, Llama-3 headers, Math-Shepherd `ки`/`+`/`-`).

export interface Token {
  id: number;
  text: string;
}

/** Special tokens and the handful of pieces whose real ids clients look for. */
export const SPECIAL_IDS: Readonly<Record<string, number>> = {
  "<s>": 1,
  "</s>": 2,
  "[INST]": 3,
  "[/INST]": 4,
  "\n": 13,
  "-": 387,
  "+": 648,
  ки: 12902,
  "<|begin_of_text|>": 128000,
  "<|start_header_id|>": 128006,
  "<|end_header_id|>": 128007,
  "<|eot_id|>": 128009,
  "<|endoftext|>": 151643,
  "<|im_start|>": 151644,
  "<|im_end|>": 151645,
  "<extra_0>": 151651,
  "<start_of_turn>": 106,
  "<end_of_turn>": 107,
  "<|user|>": 32010,
  "<|assistant|>": 32001,
  "<|system|>": 32006,
  "<|end|>": 32007,
};

/** The end-of-sequence token the simulated models emit. */
export const EOS: Token = { id: 151643, text: "<|endoftext|>" };

const SPECIAL_BY_ID = new Map<number, string>(Object.entries(SPECIAL_IDS).map(([t, id]) => [id, t]));
const MULTI_CHAR_SPECIALS = Object.keys(SPECIAL_IDS)
  .filter((t) => t.length > 1)
  .sort((a, b) => b.length - a.length);

// Base-99 code for pieces of up to 5 ASCII characters (printable, \n, \t, \r).
const ALPHABET = "\n\t\r" + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const BASE = ALPHABET.length + 1;
const CODEPOINT_OFFSET = 160_000; // up to 160_000 + 0x10ffff
const ASCII_OFFSET = 1_300_000;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Specials first, then a word with its leading space, digit groups, whitespace runs, one symbol.
const PIECE = new RegExp(
  `${MULTI_CHAR_SPECIALS.map(escapeRegex).join("|")}| ?[A-Za-z]+| ?\\d{1,3}|\\s+| ?[\\s\\S]`,
  "gu",
);

// Character → digit of the base-99 code (0 = not in the alphabet).
const DIGIT = new Int16Array(128);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i + 1;
const ASCII_ONLY = /^[\x20-\x7e\n\t\r]*$/;

function pieceId(piece: string): number {
  const special = SPECIAL_IDS[piece];
  if (special !== undefined) return special;
  if (!ASCII_ONLY.test(piece)) return CODEPOINT_OFFSET + (piece.codePointAt(0) ?? 0);
  let id = 0;
  for (let i = piece.length - 1; i >= 0; i--) id = id * BASE + (DIGIT[piece.charCodeAt(i)] ?? 0);
  return ASCII_OFFSET + id;
}

/** The text of a token id; unknown ids decode to the empty string. */
export function decodeId(id: number): string {
  const special = SPECIAL_BY_ID.get(id);
  if (special !== undefined) return special;
  if (id < CODEPOINT_OFFSET) return "";
  if (id < ASCII_OFFSET) return String.fromCodePoint(Math.min(id - CODEPOINT_OFFSET, 0x10ffff));
  let rest = id - ASCII_OFFSET;
  let out = "";
  while (rest > 0) {
    out += ALPHABET[(rest % BASE) - 1] ?? "";
    rest = Math.floor(rest / BASE);
  }
  return out;
}

function splitAscii(piece: string, out: string[]): void {
  // Pieces with non-ASCII characters become one token per character.
  if (!ASCII_ONLY.test(piece)) {
    for (const ch of piece) out.push(ch);
    return;
  }
  // A leading space rides on the first chunk, as in BPE vocabularies (" Step", "Mult", "iply").
  const lead = piece.startsWith(" ") && piece.length > 1 ? 1 : 0;
  for (let i = 0; i < piece.length;) {
    const size = i === 0 ? 4 + lead : 4;
    out.push(piece.slice(i, i + size));
    i += size;
  }
}

const memo = new Map<string, Token[]>();

/** Cuts text into tokens; joining their texts gives the text back exactly. */
export function tokenize(text: string): Token[] {
  const hit = memo.get(text);
  if (hit) return hit;
  const tokens = cut(text);
  // Prompts repeat (a search sends the same prefix again and again): keep the recent ones.
  if (text.length > 64) {
    memo.set(text, tokens);
    if (memo.size > 256) memo.delete(memo.keys().next().value as string);
  }
  return tokens;
}

function cut(text: string): Token[] {
  const pieces: string[] = [];
  for (const m of text.matchAll(PIECE)) {
    const piece = m[0];
    if (SPECIAL_IDS[piece] !== undefined) pieces.push(piece);
    else splitAscii(piece, pieces);
  }
  return pieces.map((p) => ({ id: pieceId(p), text: p }));
}

export function detokenize(ids: readonly number[]): string {
  return ids.map(decodeId).join("");
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

const counted = new Map<string, number>();

/**
 * `countTokens` without building the tokens, for the in-process benchmarks (direct.ts), which
 * count every prompt of every search (a prefix grows step by step, so few repeat): the ids and
 * objects were most of that work. The same count (test/integration/simworld/direct.test.ts);
 * the server keeps `countTokens`, so its timing under the e2e tests stays what it was.
 */
export function countTokensQuick(text: string): number {
  const hit = memo.get(text)?.length ?? counted.get(text);
  if (hit !== undefined) return hit;
  let count = 0;
  for (const m of text.matchAll(PIECE)) {
    const piece = m[0];
    if (SPECIAL_IDS[piece] !== undefined) count++;
    else if (!ASCII_ONLY.test(piece)) count += [...piece].length;
    else {
      // As splitAscii: a first chunk of 4 characters (5 with a leading space), then chunks of 4.
      const first = piece.startsWith(" ") && piece.length > 1 ? 5 : 4;
      count += piece.length <= first ? 1 : 1 + Math.ceil((piece.length - first) / 4);
    }
  }
  if (text.length > 64) {
    counted.set(text, count);
    if (counted.size > 1024) counted.delete(counted.keys().next().value as string);
  }
  return count;
}

export function utf8Bytes(text: string): number[] {
  return [...Buffer.from(text, "utf8")];
}
