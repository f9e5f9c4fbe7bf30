// The TypeScript transform the executor runs before the JavaScript sandbox: types go, the code
// stays, ES exports become CommonJS, and code that does not parse says why.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runInNewContext } from "node:vm";
import { typescriptTestToJs, typescriptToJs } from "../../../src/exec/typescript.js";

test("annotations, interfaces, generics and `as` are stripped; the function still works", async () => {
  const r = await typescriptToJs(
    "interface Range { lo: number; hi: number }\n" +
      "export function clamp<T extends number>(x: T, { lo, hi }: Range): number {\n" +
      "  return Math.min(Math.max(x as number, lo), hi);\n}\n",
  );
  assert.ok("code" in r, JSON.stringify(r));
  assert.doesNotMatch(r.code, /interface|: number|<T|as number/);
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(r.code, { module, exports: module.exports, Math });
  const clamp = module.exports.clamp as (x: number, r: { lo: number; hi: number }) => number;
  assert.equal(clamp(5, { lo: 0, hi: 3 }), 3);
  assert.equal(clamp(-1, { lo: 0, hi: 3 }), 0);
});

test("modern syntax Node runs itself is left alone", async () => {
  const r = await typescriptToJs("const f = (o?: { a?: number }) => o?.a ?? 1_000;\n");
  assert.ok("code" in r);
  assert.match(r.code, /o\?\.a \?\? 1_000/);
});

test("a candidate that does not parse gives a SyntaxError with its place", async () => {
  const r = await typescriptToJs("function add(a: number, b: number { return a + b; }");
  assert.ok("error" in r);
  assert.match(r.error, /^SyntaxError: .*\(1:\d+\)/);
});

test("a test statement loses its types only; one that does not parse is left to fail when run", async () => {
  assert.equal(
    await typescriptTestToJs("assert.deepStrictEqual(clamp(5 as number, 0, 3), 3)"),
    "assert.deepStrictEqual(clamp(5 , 0, 3), 3)",
  );
  assert.equal(await typescriptTestToJs("assert.ok(("), "assert.ok((");
});
