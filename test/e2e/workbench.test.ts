// The harness proves itself: a real VS Code (code-server) loads with our VSIX installed, offers
// the extension's commands, and a person can open a file, type, and read the text back; the
// nested webview frames are reachable (through the built-in Markdown preview); the seeded
// endpoint settings reach the extension (Test Connection against simworld).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describeE2e } from "./harness/suite.js";
import { paletteCommandTitles } from "./harness/vsix.js";
import { REPO_ROOT } from "./setup/index.js";

/** One Markdown line long enough to wrap (VS Code wraps Markdown by default). */
const LONG_LINE = Array.from({ length: 30 }, (_, i) => `step ${i + 1} adds ${i + 2} to the total;`).join(" ");

describeE2e(
  "code-server with the TTS Reasoner VSIX",
  {
    name: "workbench",
    simworld: true,
    files: { "notes.md": "# Notes\n", "long.md": `# Long\n\n${LONG_LINE}\n\nlast line\n` },
  },
  (scenario) => {
    scenario(
      "the packaged extension is installed and its commands are in the palette",
      async ({ vsix, installedExtensions, workbench }) => {
        assert.ok(
          installedExtensions.includes(`${vsix.id}@${vsix.version}`),
          `code-server lists ${installedExtensions.join(", ")}, not ${vsix.id}@${vsix.version}`,
        );
        const expected = paletteCommandTitles();
        assert.ok(expected.length > 0, "package.json contributes no commands to look for");
        const listed = new Set(await workbench.palette.commandsMatching("TTS Reasoner"));
        for (const title of expected.filter((t) => !listed.has(t)))
          for (const t of await workbench.palette.commandsMatching(title)) listed.add(t);
        const missing = expected.filter((t) => !listed.has(t));
        assert.deepEqual(missing, [], `commands missing from the palette: ${missing.join(", ")}`);
      },
    );

    scenario("the extension bundle needs nothing outside itself", async () => {
      // `vsce package --no-dependencies` ships no node_modules: dist/extension.js may require only
      // vscode and Node's own modules.
      // esbuild's own account of the bundle (scripts/build.mjs writes it): the imports it left out.
      const meta = JSON.parse(readFileSync(join(REPO_ROOT, "dist", "extension.meta.json"), "utf8")) as {
        outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
      };
      const required = (meta.outputs["dist/extension.js"]?.imports ?? [])
        .filter((i) => i.external)
        .map((i) => i.path);
      assert.ok(required.includes("vscode"), "the metafile lists the bundle's external imports");
      const builtins = new Set(builtinModules);
      const outside = [...new Set(required)].filter(
        (r) => r !== "vscode" && !r.startsWith("node:") && !builtins.has(r),
      );
      assert.deepEqual(
        outside,
        [],
        `dist/extension.js requires modules the VSIX does not ship: ${outside.join(", ")}`,
      );
    });

    scenario("a person opens a file, types, and reads the text back", async ({ workbench, workspace }) => {
      const { editor } = workbench;
      await editor.open("notes.md");
      await editor.focus();
      await workbench.page.keyboard.press("Control+End");
      await editor.type("\nTyped in a real VS Code.\n\n2 + 3 = 5");
      const expected = "# Notes\n\nTyped in a real VS Code.\n\n2 + 3 = 5";
      assert.equal(await editor.text(), expected);
      const lines = await editor.renderedLines();
      assert.deepEqual(
        lines.map((l) => [l.lineNumber, l.text]),
        expected.split("\n").map((t, i) => [i + 1, t]),
      );
      await editor.selectLines(3, 3);
      assert.equal(await editor.selectedText(), "Typed in a real VS Code.");
      await editor.save();
      assert.equal(readFileSync(join(workspace, "notes.md"), "utf8"), expected);
    });

    scenario("a webview's content is readable through its nested frames", async ({ workbench }) => {
      // The built-in Markdown preview is a webview panel like ours: same frames, same page object.
      await workbench.editor.open("notes.md");
      await workbench.runCommand("Markdown: Open Preview to the Side");
      const preview = workbench.webview({
        extensionId: "vscode.markdown-language-features",
        title: "Preview notes.md",
      });
      await preview.waitReady();
      assert.equal(await preview.title(), "Preview notes.md");
      const heading = preview.locator("h1");
      await heading.waitFor({ state: "visible", timeout: 20_000 });
      assert.equal((await heading.innerText()).trim(), "Notes");
      assert.match(await preview.locator("body").innerText(), /2 \+ 3 = 5/);
    });

    scenario("a long wrapped line is selected and read whole", async ({ workbench }) => {
      const { editor } = workbench;
      await editor.open("long.md");
      const lines = await editor.renderedLines();
      const long = lines.find((l) => l.lineNumber === 3);
      assert.equal(long?.text, LONG_LINE, "line 3 as drawn (wrapped rows joined)");
      await editor.selectLines(3, 3);
      assert.equal(await editor.selectedText(), LONG_LINE);
      await editor.selectLines(3, 5);
      assert.equal(await editor.selectedText(), `${LONG_LINE}\n\nlast line`);
    });

    scenario(
      "the extension reaches simworld through the seeded endpoint settings",
      async ({ workbench, simworld }) => {
        assert.ok(simworld, "this suite starts simworld");
        const before = simworld.requests.length;
        await workbench.runCommand("TTS Reasoner: Test Connection");
        const toast = await workbench.notifications.waitFor(/^TTS Reasoner: (?!testing)/, 60_000);
        assert.equal(toast.severity, "info", `Test Connection reported: ${toast.message}`);
        const seen = simworld.requests.slice(before).map((r) => `${r.method} ${r.path}`);
        assert.ok(
          seen.some((r) => r.includes("/v1/")),
          `simworld saw no API request: ${seen.join(", ")}`,
        );
      },
    );
  },
);
