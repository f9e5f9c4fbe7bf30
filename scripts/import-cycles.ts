// Lists the import cycles among the TypeScript files of src/ and webview/, type-only imports
// included (a type cycle still ties the files' meaning together). `tsx scripts/import-cycles.ts`
// prints them and exits 1 if there are any; test/unit/imports.test.ts asserts there are none.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [p] : [];
  });
}

// `import … from "./x.js"`, `export … from "./x.js"`, `import("./x.js")`, `import "./x.js"`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(SPECIFIER)].flatMap((m) => {
    const target = resolve(dirname(file), m[1]!).replace(/\.js$/, ".ts");
    for (const candidate of [target, `${target}.ts`, join(target, "index.ts")])
      if (existsSync(candidate) && statSync(candidate).isFile()) return [candidate];
    return [];
  });
}

/** Every strongly connected group of two or more files (or a file importing itself), as paths. */
export function importCycles(dirs = ["src", "webview"]): string[][] {
  const files = dirs.flatMap((d) => tsFiles(join(ROOT, d)));
  const edges = new Map(files.map((f) => [f, importsOf(f)]));
  // Tarjan's strongly connected components.
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(relative(ROOT, w));
      } while (w !== v);
      if (group.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(group.sort());
    }
  };
  for (const f of files) if (!order.has(f)) visit(f);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cycles = importCycles();
  for (const c of cycles) console.log(`cycle: ${c.join(" ↔ ")}`);
  console.log(cycles.length ? `${cycles.length} import cycle(s)` : "no import cycles");
  process.exitCode = cycles.length ? 1 : 0;
}
