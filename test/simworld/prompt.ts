// Reading a prompt the way a model sees it: a rendered string. Chat requests are rendered with
// the simulated models' ChatML template first; completion prompts arrive rendered by the client
// (ChatML, Llama-3, Mistral, Gemma, Phi-3) or raw. From the turns we take the problem (the last
// user turn) and the partial solution (an assistant turn left open), and continue from there.
import { findWorldProblem, inventChain, STEP_OPENING, type Chain } from "./world.js";

export interface ChatMessage {
  role: string;
  content: string;
}

export type TemplateName = "chatml" | "llama3" | "mistral" | "gemma" | "phi3" | "raw";

export interface ParsedPrompt {
  template: TemplateName;
  /** Closed turns, in order (for a raw prompt: one user turn with the whole text). */
  messages: ChatMessage[];
  /** The text of an assistant turn left open for the model to continue, or null for none. */
  openAssistant: string | null;
}

/** The system prompt the simulated models' template adds when a chat has none (as Qwen2.5-Math's does). */
export const DEFAULT_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

/** Message content may be a string or OpenAI content parts; only text parts count. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p) =>
        p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string"
          ? (p as { text: string }).text
          : "",
      )
      .join("");
  return "";
}

export interface RenderOptions {
  addGenerationPrompt: boolean;
  /** Leave the last (assistant) message open instead of closing its turn. */
  continueFinal: boolean;
}

/** Renders messages with the simulated models' ChatML template (Qwen2.5 style). */
export function renderChatML(messages: readonly ChatMessage[], opts: RenderOptions): string {
  const turns =
    messages[0]?.role === "system"
      ? [...messages]
      : [{ role: "system", content: DEFAULT_SYSTEM }, ...messages];
  let out = "";
  turns.forEach((m, i) => {
    const last = i === turns.length - 1;
    out += `<|im_start|>${m.role}\n${m.content}`;
    if (!(last && opts.continueFinal && m.role === "assistant")) out += "<|im_end|>\n";
  });
  if (opts.addGenerationPrompt && !(opts.continueFinal && turns[turns.length - 1]?.role === "assistant"))
    out += "<|im_start|>assistant\n";
  return out;
}

interface TurnSyntax {
  name: TemplateName;
  detect: RegExp;
  /** Splits the prompt into [role, content, closed] turns. */
  split(text: string): { role: string; content: string; closed: boolean }[];
}

function splitByMarkers(text: string, open: string, headerEnd: string, close: string) {
  const turns: { role: string; content: string; closed: boolean }[] = [];
  const parts = text.split(open).slice(1);
  for (const part of parts) {
    const h = part.indexOf(headerEnd);
    if (h < 0) continue;
    const role = part.slice(0, h).trim();
    let body = part.slice(h + headerEnd.length);
    const c = body.indexOf(close);
    const closed = c >= 0;
    if (closed) body = body.slice(0, c);
    turns.push({ role, content: body, closed });
  }
  return turns;
}

const SYNTAXES: TurnSyntax[] = [
  {
    name: "chatml",
    detect: /<\|im_start\|>/,
    split: (t) => splitByMarkers(t, "<|im_start|>", "\n", "<|im_end|>"),
  },
  {
    name: "llama3",
    detect: /<\|start_header_id\|>/,
    split: (t) =>
      splitByMarkers(t, "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>").map((x) => ({
        ...x,
        content: x.content.replace(/^\n\n/, ""),
      })),
  },
  {
    name: "gemma",
    detect: /<start_of_turn>/,
    split: (t) =>
      splitByMarkers(t, "<start_of_turn>", "\n", "<end_of_turn>").map((x) => ({
        ...x,
        role: x.role === "model" ? "assistant" : x.role,
      })),
  },
  {
    name: "phi3",
    detect: /<\|(user|assistant)\|>/,
    split: (t) => {
      const turns: { role: string; content: string; closed: boolean }[] = [];
      for (const m of t.matchAll(
        /<\|(system|user|assistant)\|>\n?([\s\S]*?)(<\|end\|>|(?=<\|(?:system|user|assistant)\|>)|$)/g,
      ))
        turns.push({ role: m[1] ?? "user", content: m[2] ?? "", closed: m[3] === "<|end|>" });
      return turns;
    },
  },
  {
    name: "mistral",
    detect: /\[INST\]/,
    split: (t) => {
      const turns: { role: string; content: string; closed: boolean }[] = [];
      for (const m of t.matchAll(/\[INST\]([\s\S]*?)\[\/INST\]([\s\S]*?)(?=\[INST\]|$)/g)) {
        turns.push({ role: "user", content: (m[1] ?? "").trim(), closed: true });
        const answer = (m[2] ?? "").replace(/^ /, "");
        const closed = answer.includes("</s>");
        turns.push({ role: "assistant", content: answer.replace(/<\/s>[\s\S]*$/, ""), closed });
      }
      return turns;
    },
  },
];

/** Splits a rendered prompt into turns and the open assistant turn, if any. */
export function parsePrompt(text: string): ParsedPrompt {
  for (const syntax of SYNTAXES) {
    if (!syntax.detect.test(text)) continue;
    const turns = syntax.split(text);
    if (!turns.length) break;
    const last = turns[turns.length - 1];
    const open = last && !last.closed && last.role === "assistant" ? last : null;
    const closed = (open ? turns.slice(0, -1) : turns).map((t) => ({ role: t.role, content: t.content }));
    return { template: syntax.name, messages: closed, openAssistant: open ? open.content : null };
  }
  return { template: "raw", messages: [{ role: "user", content: text }], openAssistant: null };
}

// ---------------------------------------------------------------------------------------------

export interface SolveTask {
  /** The problem statement as the model understood it. */
  problem: string;
  chain: Chain;
  /** The solution written so far (possibly empty), to be continued. */
  partial: string;
  /** The prompt had no chat template (raw completion text). */
  rawPrompt: boolean;
}

/** A segment of a solution that states a result: an equation `= N` or a `\boxed{}`. */
export const STEP_LIKE = /=\s*-?\d|\\boxed\{|^\s*Step \d+:/m;

/**
 * Separates the problem from a solution that follows it in one piece of text: after a world
 * problem's question; else where the first step in the policies' wording (or "Step 1:") begins;
 * else at the first later paragraph that states a result.
 */
export function splitProblemAndSolution(text: string): { problem: string; chain: Chain; solution: string } {
  const found = findWorldProblem(text);
  if (found)
    return {
      problem: text.slice(found.start, found.end),
      chain: found.chain,
      solution: text.slice(found.end),
    };
  const opening = STEP_OPENING.exec(text);
  let at = opening && opening.index > 0 ? opening.index : -1;
  if (at < 0) {
    const paragraphs = text.split(/(\n\s*\n)/);
    let offset = 0;
    for (let i = 0; i < paragraphs.length && at < 0; i += 2) {
      if (i > 0 && STEP_LIKE.test(paragraphs[i] ?? "")) at = offset;
      offset += (paragraphs[i]?.length ?? 0) + (paragraphs[i + 1]?.length ?? 0);
    }
  }
  if (at < 0) return { problem: text.trim(), chain: inventChain(text.trim()), solution: "" };
  const problem = text.slice(0, at).trim();
  return { problem, chain: inventChain(problem), solution: text.slice(at) };
}

/** What a writing model should do with a prompt: which problem, and from where to continue. */
export function solveTask(prompt: ParsedPrompt): SolveTask {
  const users = prompt.messages.filter((m) => m.role === "user");
  const lastUser = users[users.length - 1]?.content ?? "";
  if (prompt.template === "raw") {
    const { problem, chain, solution } = splitProblemAndSolution(lastUser);
    return { problem, chain, partial: solution, rawPrompt: true };
  }
  const found = findWorldProblem(lastUser);
  const problem = found ? lastUser.slice(found.start, found.end) : lastUser.trim();
  const chain = found ? found.chain : inventChain(problem);
  return { problem, chain, partial: prompt.openAssistant ?? "", rawPrompt: false };
}
