// The chat template's own thread (see template-thread.ts): renders under the in-thread budget
// and answers every request, also with its error, so the main thread only has to wait.
import { Template } from "@huggingface/jinja";
import { parentPort } from "node:worker_threads";
import { renderBounded, TemplateBudgetError } from "./template-budget.js";
import type { RenderReply, RenderRequest } from "./template-thread.js";

/** Parsed templates by source: a run renders each problem with the same one. */
const parsed = new Map<string, Template>();

function render({ source, items, budget }: RenderRequest): RenderReply {
  try {
    let template = parsed.get(source);
    if (!template) {
      template = new Template(source);
      parsed.set(source, template);
      if (parsed.size > 8) parsed.delete(parsed.keys().next().value!);
    }
    return { ok: true, text: renderBounded(template.parsed, items, budget) };
  } catch (e) {
    if (e instanceof TemplateBudgetError) return { ok: false, budget: true, message: e.what };
    return { ok: false, budget: false, message: e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.on("message", (request: RenderRequest) => parentPort!.postMessage(render(request)));
parentPort!.postMessage("ready");
