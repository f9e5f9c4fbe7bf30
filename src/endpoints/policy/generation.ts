import { exactAnswerKey, type Generation, type GenerationMode } from "../../core/index.js";
import type { Choice } from "../adapters/choices.js";

/**
 * Turns a sample into a generation. In solution mode the text is the rest of the solution. In
 * step mode it is one step without its delimiter, and `ended` tells the end of the solution from
 * the end of a step:
 * - where the server says which stop fired (vLLM `stop_reason`, SGLang `matched_stop`,
 *   llama.cpp native `stop_type`), that decides: the delimiter means the step ended, end of
 *   text means the solution did;
 * - where it does not (OpenAI, llama.cpp /v1, Ollama all say `finish_reason: "stop"` for both),
 *   the solution ended when the step states a final answer (`\boxed{…}`) or is empty. A solution
 *   that stops without either is taken as a step end; the next round then comes back empty and
 *   ends the path, one call later than a server that says so.
 * A server that ignored the stop string and wrote past the delimiter is cut there.
 */
export function toGeneration(choice: Choice, mode: GenerationMode, delimiter: string): Generation {
  let text = choice.text;
  let stop = choice.stop;
  if (mode === "step" && delimiter) {
    const at = text.indexOf(delimiter);
    if (at >= 0) {
      text = text.slice(0, at);
      stop = "stop-string";
    }
  }
  const truncated = stop === "length";
  if (mode === "solution") return { text, ended: true, ...(truncated ? { truncated } : {}) };
  let ended: boolean;
  switch (stop) {
    case "stop-string":
    case "length":
      ended = false;
      break;
    case "eos":
    case "other":
      ended = true;
      break;
    case "stop":
      ended = !text.trim() || exactAnswerKey.extract(text) !== null;
      break;
  }
  return { text, ended, ...(truncated ? { truncated } : {}) };
}
