// Shared by the simworld tests: HTTP helpers, an SSE/NDJSON reader, and validators compiled from
// the OpenAI OpenAPI description (only the schemas the tests need, with their $refs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

/** The repository's test fixtures (`test/fixtures/`, sources in its README). */
export const FIXTURES = fileURLToPath(new URL("../../fixtures", import.meta.url));
/** MATH-500 as the repository carries it (`data/`, provenance in its README). */
export const MATH500 = fileURLToPath(new URL("../../../data/math500.jsonl", import.meta.url));

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${FIXTURES}/servers/${name}.json`, "utf8")) as Record<string, unknown>;
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export async function get(url: string): Promise<{ status: number; text: string; json: () => unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as unknown };
}

/** The `data:` payloads of an SSE body, in order (`[DONE]` kept as the string). */
export function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .map((block) =>
      block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n"),
    )
    .filter((d) => d.length > 0);
}

export function sseEvents(text: string): unknown[] {
  return sseData(text)
    .filter((d) => d !== "[DONE]")
    .map((d) => JSON.parse(d) as unknown);
}

export function ndjson(text: string): unknown[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI validators.

type Json = Record<string, unknown>;

let spec: Json | null = null;

function schemas(): Json {
  spec ??= JSON.parse(readFileSync(`${FIXTURES}/openai-openapi/schemas.json`, "utf8")) as Json;
  return (spec.components as Json).schemas as Json;
}

/** The named schemas and every schema they reference, deep-copied so the tests can relax them. */
function closure(names: string[]): Json {
  const all = schemas();
  const out: Json = {};
  const visit = (name: string) => {
    if (out[name] || !all[name]) return;
    out[name] = JSON.parse(JSON.stringify(all[name])) as Json;
    for (const m of JSON.stringify(all[name]).matchAll(/#\/components\/schemas\/([A-Za-z0-9_.-]+)/g))
      visit(m[1] ?? "");
  };
  names.forEach(visit);
  return out;
}

/**
 * Where real servers (and so simworld) differ from the OpenAI description, the schemas are
 * relaxed, each for a stated reason:
 * - `system_fingerprint` may be null (vLLM sends null; the spec says string);
 * - `Error.code` may be an integer (vLLM and llama.cpp send the HTTP status; the spec says
 *   string), and `Error.param` may be missing (llama.cpp has none);
 * - a chat message may lack `refusal` (llama.cpp, Ollama) and carry `annotations`/`function_call`
 *   as null (vLLM);
 * - chat `logprobs` need no `refusal` (vLLM, llama.cpp, Ollama leave it out);
 * - `finish_reason` may be null on completion stream chunks (the spec shares the non-stream
 *   schema, where it is always set);
 * - top-logprob entries may carry llama.cpp's extra `id` (the spec allows extra fields anyway).
 */
function relax(s: Json): void {
  openapiNullable(s);
  for (const name of [
    "CreateCompletionResponse",
    "CreateChatCompletionResponse",
    "CreateChatCompletionStreamResponse",
  ]) {
    const props = (s[name] as Json | undefined)?.properties as Json | undefined;
    if (props?.system_fingerprint) props.system_fingerprint = { type: ["string", "null"] };
  }
  const err = (s.Error as Json | undefined)?.properties as Json | undefined;
  if (err) err.code = { anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] };
  const errSchema = s.Error as Json;
  errSchema.required = (errSchema.required as string[]).filter((r) => r !== "param");
  const message = s.ChatCompletionResponseMessage as Json;
  message.required = (message.required as string[]).filter((r) => r !== "refusal");
  const mprops = message.properties as Json;
  for (const k of ["annotations", "function_call"]) mprops[k] = { anyOf: [mprops[k], { type: "null" }] };
  const dropRefusal = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Json;
    if (Array.isArray(n.required) && n.required.includes("refusal") && n.required.includes("content"))
      n.required = (n.required as string[]).filter((r) => r !== "refusal");
    for (const v of Object.values(n)) dropRefusal(v);
  };
  dropRefusal(s.CreateChatCompletionResponse);
  dropRefusal(s.CreateChatCompletionStreamResponse);
  const completionChoice = ((s.CreateCompletionResponse as Json).properties as Json).choices as Json;
  const finish = ((completionChoice.items as Json).properties as Json).finish_reason as Json;
  finish.type = ["string", "null"];
  (finish.enum as unknown[]).push(null);
}

/** OpenAPI's `nullable: true` (3.0 style, still used in places) as JSON Schema: null allowed. */
function openapiNullable(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) return node.forEach(openapiNullable);
  const n = node as Json;
  for (const v of Object.values(n)) openapiNullable(v);
  if (n.nullable !== true) return;
  delete n.nullable;
  if (typeof n.type === "string") {
    n.type = [n.type, "null"];
    if (Array.isArray(n.enum) && !n.enum.includes(null)) n.enum.push(null);
  } else {
    const inner = { ...n };
    for (const k of Object.keys(n)) if (k !== "description") delete n[k];
    n.anyOf = [inner, { type: "null" }];
  }
}

export type SchemaName =
  | "CreateCompletionResponse"
  | "CreateChatCompletionResponse"
  | "CreateChatCompletionStreamResponse"
  | "ListModelsResponse"
  | "ErrorResponse";

let validators: Record<SchemaName, ValidateFunction> | null = null;

export function validator(name: SchemaName): ValidateFunction {
  if (!validators) {
    const names: SchemaName[] = [
      "CreateCompletionResponse",
      "CreateChatCompletionResponse",
      "CreateChatCompletionStreamResponse",
      "ListModelsResponse",
      "ErrorResponse",
    ];
    const s = closure(names);
    relax(s);
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; its own keywords (x-*, discriminator) are ignored.
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: "openai", components: { schemas: s } });
    validators = Object.fromEntries(
      names.map((n) => [n, ajv.getSchema(`openai#/components/schemas/${n}`) as ValidateFunction]),
    ) as Record<SchemaName, ValidateFunction>;
  }
  return validators[name];
}

/** Fails with the validator's errors when `value` does not match the schema. */
export function assertSchema(name: SchemaName, value: unknown, what: string): void {
  const v = validator(name);
  if (!v(value))
    throw new Error(
      `${what} does not match ${name}: ${JSON.stringify(v.errors?.slice(0, 5))}\n${JSON.stringify(value).slice(0, 600)}`,
    );
}
