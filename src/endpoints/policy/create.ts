import { DEFAULT_POLICY_SEQUENCES } from "../../core/index.js";
import { servedEntry, type ServerFlavour } from "../adapters/models.js";
import { asString, isObject } from "../adapters/shape.js";
import { builtinTemplateFor, CHATML_TEMPLATE } from "../chat-template.js";
import { EndpointClient } from "../client.js";
import { detectFirstLive, FLAVOUR_NAMES, type ServerInfo } from "../detect.js";
import { EndpointError } from "../errors.js";
import type { EndpointDeps, PolicyApiStyle, PolicyEndpointConfig } from "../config.js";
import { RoutePolicy, type PolicyRoute } from "./base.js";
import { ChatRoute } from "./chat-route.js";
import { CompletionsRoute } from "./completions-route.js";
import { llamacppFacts, type LlamacppFacts } from "./llamacpp-probe.js";
import { LlamaCppRoute } from "./llamacpp-route.js";
import { OllamaRawRoute } from "./ollama-route.js";
import {
  CONFIGURED_TEMPLATE,
  ServerTemplateRenderer,
  TEMPLATE_PROBE,
  TemplateRenderer,
  type PromptRenderer,
} from "./renderer.js";

export type ResolvedApiStyle = Exclude<PolicyApiStyle, "auto">;

/** Samples per request where the server honours `n`. */
const MAX_N: Record<ServerFlavour, number> = {
  vllm: 16,
  sglang: 16,
  openai: 8,
  // llama-server's chat route: up to its slots, read from /props (see llamacppSlots).
  llamacpp: 1,
  // Ollama ignores n; unknown servers may ignore or reject it.
  ollama: 1,
  unknown: 1,
};

/**
 * Sequences to keep in flight where the server does not say how many it decodes at once. A
 * request beyond a server's parallel slots waits in its queue, where the first-token timeout
 * runs: harmless on a batching engine (vLLM, SGLang: the core's default), but Ollama decodes
 * OLLAMA_NUM_PARALLEL (default 1 or 4) at a time, hosted APIs rate-limit, and an unknown server
 * (LM Studio and the like) may take one request at a time.
 */
export const UNREPORTED_SEQUENCES: Partial<Record<ServerFlavour, number>> = {
  ollama: 4,
  openai: 64,
  unknown: 8,
};

/** A policy over HTTP, with what was found out while building it. */
export class EndpointPolicy extends RoutePolicy {
  constructor(
    model: string,
    route: PolicyRoute,
    readonly client: EndpointClient,
    readonly server: ServerInfo,
    readonly style: ResolvedApiStyle,
    /** Why this style, in words (auto detection). */
    readonly reason: string,
    /** llama-server only: slots, build and assistant prefill. */
    readonly llamacpp?: LlamacppFacts,
  ) {
    // A llama-server decodes its slots at once; the replicas are taken to be alike.
    const perReplica = llamacpp ? llamacpp.totalSlots : UNREPORTED_SEQUENCES[server.flavour];
    super(model, route, server.root, perReplica ? perReplica * client.roots.length : undefined);
    const params = servedEntry(server.models, server.flavour, model)?.nParams;
    if (params) this.parameters = params;
  }

  readonly parameters?: number;
}

/** A policy for the configured server; detects the server (and for `auto`, the API style). */
export async function createPolicy(
  cfg: PolicyEndpointConfig,
  { log }: EndpointDeps = {},
): Promise<EndpointPolicy> {
  const client = new EndpointClient({
    endpoint: "policy",
    baseUrls: cfg.baseUrls,
    apiKey: cfg.apiKey,
    timeouts: cfg.timeouts,
    maxRetries: cfg.maxRetries,
    // Requests never outnumber sequences: the scheduler's sequence limit is the one that binds.
    concurrency: cfg.concurrency || DEFAULT_POLICY_SEQUENCES,
    log,
  });
  const server = await detectFirstLive(client);
  const flavour = server.flavour;
  const listed = cfg.model || server.models[0]?.id;
  if (!listed)
    throw new EndpointError({
      endpoint: "policy",
      url: server.root,
      what: "lists no model, and none is set",
      hint: "Set the policy's model name in the settings.",
    });
  const model: string = listed;
  const name = FLAVOUR_NAMES[flavour];
  const configured = cfg.chatTemplate?.trim()
    ? new TemplateRenderer(
        cfg.chatTemplate,
        "the configured chat template",
        cfg.systemPrompt,
        CONFIGURED_TEMPLATE,
      )
    : null;
  // Rendered once now, so a template that fails or runs over its budget stops here, naming the setting.
  await configured?.open({ text: "1 + 1" });
  const llama = flavour === "llamacpp" ? await llamacppFacts(client, server.root) : undefined;
  const slots = llama?.slots ?? 1;
  // llama-server's unstreamed body counts the first sample's tokens only (usage per choice:
  // test/simworld/compat.ts, usagePerChoice), so it keeps streaming, which counts every one.
  const stream = cfg.stream !== false || flavour === "llamacpp";
  const make = (style: ResolvedApiStyle, route: PolicyRoute, reason: string): EndpointPolicy =>
    new EndpointPolicy(model, route, client, server, style, reason, llama);
  const chat = async (continuation: boolean): Promise<ChatRoute> => {
    const maxN = flavour === "llamacpp" ? slots : MAX_N[flavour];
    return new ChatRoute(client, model, flavour, continuation, maxN, cfg.systemPrompt, stream);
  };

  const ollamaRenderer = async (): Promise<PromptRenderer | null> =>
    configured ?? (await ollamaTemplate(client, server.root, model, cfg.systemPrompt));
  const refuse = (style: string, why: string, hint: string): never => {
    throw new EndpointError({
      endpoint: "policy",
      url: server.root,
      what: `cannot use the ${style} API style: ${why}`,
      hint,
    });
  };

  switch (cfg.apiStyle) {
    case "whole-solution":
      return make("whole-solution", await chat(false), "set in the settings");
    case "chat-continue": {
      if (flavour === "openai")
        refuse(
          "chat-continue",
          "OpenAI does not continue a partial assistant message",
          "Use whole-solution (best-of-N, majority vote) with OpenAI.",
        );
      if (flavour === "ollama") {
        const renderer = await ollamaRenderer();
        if (!renderer)
          refuse(
            "chat-continue",
            "Ollama continues raw prompts only, and the model's template is not one this client knows",
            "Set the chat template (Jinja, from the model's tokenizer_config.json) in the settings.",
          );
        return make("chat-continue", new OllamaRawRoute(client, model, renderer!), "set in the settings");
      }
      if (llama?.prefill === false)
        refuse(
          "chat-continue",
          "this llama-server does not continue a partial assistant message (it runs with --no-prefill-assistant: /apply-template closes the turn and starts a new answer)",
          "Use the auto or completions-template API style (the prompt is built here, so prefill does not matter), or restart llama-server without --no-prefill-assistant.",
        );
      return make("chat-continue", await chat(true), "set in the settings");
    }
    case "completions-template": {
      if (flavour === "llamacpp")
        return make(
          "completions-template",
          new LlamaCppRoute(client, configured ?? (await learnedRenderer(client, cfg.systemPrompt)), slots),
          "set in the settings",
        );
      if (flavour === "ollama") {
        const renderer = await ollamaRenderer();
        if (!renderer)
          refuse(
            "completions-template",
            "no chat template is configured and the model's Ollama template is not one this client knows",
            "Set the chat template (Jinja, from the model's tokenizer_config.json) in the settings.",
          );
        return make(
          "completions-template",
          new OllamaRawRoute(client, model, renderer!),
          "set in the settings",
        );
      }
      if (!configured)
        refuse(
          "completions-template",
          `${name} does not render chat templates for clients`,
          "Set the chat template (Jinja, from the model's tokenizer_config.json) in the settings, or use chat-continue.",
        );
      return make(
        "completions-template",
        new CompletionsRoute(client, model, configured!, MAX_N[flavour], stream),
        "set in the settings",
      );
    }
    case "auto":
      return autoPolicy();
  }

  async function autoPolicy(): Promise<EndpointPolicy> {
    switch (flavour) {
      case "vllm":
      case "sglang":
        return make(
          "chat-continue",
          await chat(true),
          `${name} continues assistant messages (continue_final_message)`,
        );
      case "llamacpp": {
        if (configured)
          return make(
            "completions-template",
            new LlamaCppRoute(client, configured, slots),
            "llama.cpp /completion tells step ends apart",
          );
        const renderer = new ServerTemplateRenderer(client, cfg.systemPrompt);
        try {
          await renderer.learn(TEMPLATE_PROBE);
          return make(
            "completions-template",
            new LlamaCppRoute(client, renderer, slots),
            "llama.cpp /completion tells step ends apart, on the server's own template",
          );
        } catch (e) {
          if (e instanceof EndpointError && e.transport) throw e;
          return make(
            "chat-continue",
            await chat(true),
            "this llama.cpp build has no /apply-template; using assistant prefill",
          );
        }
      }
      case "ollama": {
        const renderer = await ollamaRenderer();
        if (renderer)
          return make(
            "completions-template",
            new OllamaRawRoute(client, model, renderer),
            `raw prompts with ${renderer.source}`,
          );
        return make(
          "whole-solution",
          await chat(false),
          "the model's Ollama template is not one this client knows, so partial solutions cannot be continued (set a chat template to enable step-level search)",
        );
      }
      case "openai":
        return make(
          "whole-solution",
          await chat(false),
          "OpenAI does not continue partial assistant messages",
        );
      case "unknown":
        if (configured)
          return make(
            "completions-template",
            new CompletionsRoute(client, model, configured, MAX_N.unknown, stream),
            "a chat template is configured",
          );
        return make(
          "whole-solution",
          await chat(false),
          "the server is not recognised, so continuation is not assumed (set the API style or a chat template to enable step-level search)",
        );
    }
  }
}

/**
 * The server's template, learned around a placeholder (no request per problem) where the server
 * renders it; where it cannot, each problem's render fails as it comes, saying why.
 */
async function learnedRenderer(
  client: EndpointClient,
  systemPrompt?: string,
): Promise<ServerTemplateRenderer> {
  const renderer = new ServerTemplateRenderer(client, systemPrompt);
  try {
    await renderer.learn(TEMPLATE_PROBE);
  } catch (e) {
    if (!(e instanceof EndpointError) || e.transport) throw e;
  }
  return renderer;
}

/**
 * The template for Ollama raw prompts. Ollama's own templates are Go templates, which cannot be
 * rendered here, so the one from `/api/show` is matched by its markers to a built-in Jinja
 * template (ChatML, Llama 3); failing that, a Qwen family in `/api/tags` means ChatML. Null when
 * neither tells.
 */
async function ollamaTemplate(
  client: EndpointClient,
  root: string,
  model: string,
  systemPrompt?: string,
): Promise<PromptRenderer | null> {
  const renderer = (source: string, why: string): PromptRenderer =>
    new TemplateRenderer(
      source,
      `the built-in ${source.includes("<|im_start|>") ? "ChatML" : "Llama 3"} template (${why})`,
      systemPrompt,
    );
  try {
    const shown = (await client.json("/api/show", { model }, { root })).value;
    const builtin = builtinTemplateFor(isObject(shown) ? (asString(shown.template) ?? "") : "");
    if (builtin) return renderer(builtin, "it matches the model's Ollama template");
  } catch (e) {
    if (!(e instanceof EndpointError) || e.transport) throw e;
    if (e.status === 404 && /model/i.test(e.serverMessage ?? ""))
      throw new EndpointError({
        endpoint: "policy",
        url: root + "/api/show",
        status: 404,
        serverMessage: e.serverMessage,
        hint: `Ollama does not have the model "${model}": pull it (ollama pull ${model}) or pick one from GET /v1/models.`,
      });
  }
  try {
    const tags = (await client.json("/api/tags", undefined, { root })).value;
    const entry = (isObject(tags) && Array.isArray(tags.models) ? tags.models : []).find(
      (m: unknown) => isObject(m) && (m.name === model || m.model === model || m.name === `${model}:latest`),
    ) as Record<string, unknown> | undefined;
    const family = isObject(entry?.details) ? (asString(entry.details.family) ?? "") : "";
    if (/^qwen/i.test(family)) return renderer(CHATML_TEMPLATE, `the model's family is ${family}`);
  } catch (e) {
    if (!(e instanceof EndpointError) || e.transport) throw e;
  }
  return null;
}
