import { readFileSync } from "node:fs";

/** Reads a server response fixture from `test/fixtures/servers/` (sources in its README). */
export function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/servers/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}
