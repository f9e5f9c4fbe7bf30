import { readFileSync } from "node:fs";

/** Reads a fixture from the shared reference folder (read-only, next to the checkout). */
export function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../../../../shared/reference/fixtures/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}
