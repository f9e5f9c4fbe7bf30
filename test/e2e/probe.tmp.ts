import { launchBrowser, openWorkbench } from "./harness/browser.js";
import { Workbench } from "./pages/workbench.js";
async function main() {
  const b = await launchBrowser("/usr/bin/chromium");
  const wb = await openWorkbench(
    b,
    "http://localhost:33583/?folder=%2Fwork%2Fmain%2F.cache%2Fstart%2Fworkspace",
  );
  const w = new Workbench(wb.page);
  try {
    await w.palette.waitForCommand("TTS Reasoner: Solve with TTS");
    await w.editor.open("simworld-problems.md");
    const lines = await w.editor.renderedLines();
    const i = lines.findIndex((l) => l.text.startsWith("## Problem 1"));
    console.log(lines.map((l) => l.lineNumber + ": " + l.text).join("\n"));
    const problemLine = lines[i + 2]!.lineNumber;
    await w.editor.selectLines(problemLine, problemLine);
    console.log("selected:", await w.editor.selectedText());
    await w.runCommand("TTS Reasoner: Solve with TTS");
    const panel = w.webview({ extensionId: "tts-reasoner.tts-reasoner" });
    await panel.waitReady(30000);
    console.log("panel title:", await panel.title());
    await new Promise((r) => setTimeout(r, 15000));
    console.log((await panel.locator("body").innerText()).slice(0, 3000));
    console.log(
      "toasts:",
      JSON.stringify((await w.notifications.visible()).map((t) => [t.severity, t.message, t.actions])),
    );
    console.log("status:", await w.statusBar.texts());
    await wb.page.screenshot({ path: "/tmp/e2eprobe/start-solve.png" });
  } finally {
    await wb.close();
    await b.close();
  }
}
main();
