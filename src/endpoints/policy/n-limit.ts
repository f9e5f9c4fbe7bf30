import { EndpointError } from "../errors.js";

/**
 * How many samples a server allows in one request, from its 400 for asking too many: llama-server
 * today says `Field 'n': Value must be between 1 <= value <= 4, but got 8` (`'n_cmpl'` on
 * `/completion`), builds before PR #17775 `Only one completion choice is allowed`
 * (docs/reference/llamacpp-real.md, docs/reference/serving-apis.md §1). Null for any other error.
 */
export function samplesAllowed(e: unknown): number | null {
  if (!(e instanceof EndpointError) || e.status !== 400) return null;
  const message = e.serverMessage ?? "";
  if (/only one completion choice is allowed/i.test(message)) return 1;
  const m = /field '(?:n|n_cmpl)'.*?<=\s*value\s*<=\s*(\d+)/i.exec(message);
  return m ? Math.max(1, Number(m[1])) : null;
}
