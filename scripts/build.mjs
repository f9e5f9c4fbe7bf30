// Builds the bundles: extension host (node/cjs, vscode external), webview (browser), CLI (node),
// and the chat template's worker thread, which the extension and the CLI start from dist/.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";

const production = process.argv.includes("--production");
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
  legalComments: "none",
  // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow ("Cannot find
  // module './impl/format'" at run time); its ESM build bundles whole.
  alias: { "jsonc-parser": "./node_modules/jsonc-parser/lib/esm/main.js" },
};

mkdirSync("dist/codicons", { recursive: true });
// The panel links codicon.css by id (vscode-elements' icons look for it), so it ships as a file.
for (const f of ["codicon.css", "codicon.ttf"])
  copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
const [extension] = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ["src/extension/extension.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
    // What the bundle left external, as esbuild knows it (not a text search, which bundled code
    // that writes `require(...)` into strings fools): the e2e checks the VSIX needs nothing more.
    metafile: true,
  }),
  esbuild.build({
    ...common,
    entryPoints: ["webview/main.ts"],
    outfile: "dist/webview.js",
    platform: "browser",
    format: "iife",
    target: "es2022",
    loader: { ".ttf": "file", ".woff": "file", ".woff2": "file" },
    assetNames: "fonts/[name]-[hash]",
  }),
  esbuild.build({
    ...common,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  }),
  esbuild.build({
    ...common,
    entryPoints: ["src/endpoints/template-worker.ts"],
    outfile: "dist/template-worker.js",
    platform: "node",
    format: "cjs",
    target: "node20",
  }),
]);
writeFileSync("dist/extension.meta.json", JSON.stringify(extension.metafile));
