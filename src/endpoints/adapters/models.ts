import { asArray, asString, isObject } from "./shape.js";

/** The server software behind a base URL, as far as it can be told from outside. */
export type ServerFlavour = "vllm" | "sglang" | "llamacpp" | "ollama" | "openai" | "unknown";

export interface ModelEntry {
  id: string;
  ownedBy?: string;
  maxModelLen?: number;
  /** Parameter count the server reports (llama.cpp `meta.n_params`). */
  nParams?: number;
}

/** `GET /v1/models` → its entries (`data[].id`, `owned_by`, vLLM `max_model_len`, llama.cpp `meta.n_params`). */
export function parseModels(body: unknown): ModelEntry[] {
  const data = isObject(body) ? asArray(body.data) : [];
  return data.filter(isObject).flatMap((m): ModelEntry[] => {
    const id = asString(m.id);
    if (!id) return [];
    const owned = asString(m.owned_by);
    const max = typeof m.max_model_len === "number" ? m.max_model_len : undefined;
    const params = isObject(m.meta) && typeof m.meta.n_params === "number" ? m.meta.n_params : undefined;
    return [
      {
        id,
        ...(owned ? { ownedBy: owned } : {}),
        ...(max ? { maxModelLen: max } : {}),
        ...(params && params > 0 ? { nParams: params } : {}),
      },
    ];
  });
}

/**
 * The flavour from the `owned_by` of the model list: "vllm", "sglang", "llamacpp" name
 * themselves; Ollama says "library" (or the namespace of a pulled model); OpenAI says
 * "openai", "system" or an "openai-…"/"user-…" owner. Null when it says nothing known.
 */
export function flavourFromModels(models: readonly ModelEntry[]): ServerFlavour | null {
  for (const m of models) {
    const owner = (m.ownedBy ?? "").toLowerCase();
    if (owner === "vllm") return "vllm";
    if (owner === "sglang") return "sglang";
    if (owner === "llamacpp" || owner === "llama.cpp") return "llamacpp";
    if (owner === "library" || owner === "ollama") return "ollama";
    if (owner === "openai" || owner === "system" || owner.startsWith("openai-")) return "openai";
  }
  return null;
}

/**
 * The entry of the model requests go to: the one of that id, or a single-model llama-server's
 * only model, which it serves under any name.
 */
export function servedEntry(
  models: readonly ModelEntry[],
  flavour: ServerFlavour,
  model: string,
): ModelEntry | undefined {
  return (
    models.find((m) => m.id === model) ??
    (flavour === "llamacpp" && models.length === 1 ? models[0] : undefined)
  );
}
