import { asString, isObject } from "../adapters/shape.js";
import type { EndpointClient } from "../client.js";
import { EndpointError } from "../errors.js";

/** What a llama-server says about itself beyond detection, for the routes and Test Connection. */
export interface LlamacppFacts {
  /** `GET /props` `total_slots`: samples one request may ask for (chat `n`, `/completion` `n_cmpl`). */
  slots: number;
  /** `GET /props` `total_slots` as reported (1 when it says nothing): sequences decoded at once. */
  totalSlots: number;
  /** `GET /props` `build_info`, e.g. "b11669-Debian". */
  build?: string;
  /**
   * Whether a trailing assistant message is continued (prefilled); false on a server started
   * with `--no-prefill-assistant`, null when `/apply-template` cannot tell.
   */
  prefill: boolean | null;
}

const PARTIAL = "We add the two numbers:";

/** A probe's answer, or undefined where it has none; a connection failure is thrown. */
async function tryJson(
  client: EndpointClient,
  root: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  try {
    return (await client.json(route, body, { root, maxRetries: 1 })).value;
  } catch (e) {
    // An HTTP error, or a body that is not JSON, just means the server does not say.
    if (e instanceof EndpointError && (!e.transport || e.transport === "bad-response")) return undefined;
    throw e;
  }
}

/**
 * Reads `/props` (slots since PR #17775: docs/reference/serving-apis.md §1, §4) and asks
 * `/apply-template` to render a partial assistant message: a prefilling server ends the prompt
 * with it, one with `--no-prefill-assistant` closes the turn and opens a new one
 * (docs/reference/llamacpp-real.md, "Assistant prefill").
 */
export async function llamacppFacts(client: EndpointClient, root: string): Promise<LlamacppFacts> {
  const [props, rendered] = await Promise.all([
    tryJson(client, root, "/props"),
    tryJson(client, root, "/apply-template", {
      messages: [
        { role: "user", content: "What is $2 + 3$?" },
        { role: "assistant", content: PARTIAL },
      ],
    }),
  ]);
  const slots = isObject(props) ? props.total_slots : undefined;
  const build = isObject(props) ? asString(props.build_info) : undefined;
  const prompt = isObject(rendered) ? asString(rendered.prompt) : undefined;
  const total = typeof slots === "number" && Number.isInteger(slots) && slots > 1 ? slots : 1;
  return {
    slots: Math.min(total, 16),
    totalSlots: total,
    ...(build ? { build } : {}),
    prefill: prompt === undefined || !prompt.includes(PARTIAL) ? null : prompt.endsWith(PARTIAL),
  };
}
