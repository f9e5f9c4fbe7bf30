// TypeScript candidates run as JavaScript: sucrase strips the types (no type check, as tsx and
// ts-node's transpile-only do), far smaller than the typescript package. A candidate's ES module
// syntax (`export function`) becomes CommonJS, which the JS harness reads from module.exports;
// tests are statements and only lose their types. Node 20 runs modern syntax itself, so sucrase
// leaves it as it is (disableESTransforms). Loaded on first use: about 300 KB of the bundles
// that math runs and the extension's start need not parse.
type Sucrase = typeof import("sucrase");
let sucrase: Promise<Sucrase> | null = null;

export type Stripped = { code: string } | { error: string };

async function strip(source: string, transforms: ("typescript" | "imports")[]): Promise<Stripped> {
  const { transform } = await (sucrase ??= import("sucrase"));
  try {
    return { code: transform(source, { transforms, disableESTransforms: true }).code };
  } catch (e) {
    const err = e as Error;
    return { error: `${err.name || "SyntaxError"}: ${err.message}` };
  }
}

/** A TypeScript candidate as JavaScript, or why it does not parse. */
export function typescriptToJs(source: string): Promise<Stripped> {
  return strip(source, ["typescript", "imports"]);
}

/** A TypeScript test statement as JavaScript; one that does not parse is left to fail when run. */
export async function typescriptTestToJs(source: string): Promise<string> {
  const r = await strip(source, ["typescript"]);
  return "code" in r ? r.code : source;
}
