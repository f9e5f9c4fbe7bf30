// Preloaded into a CLI run by bench:overhead (node --require): writes the process's own CPU time
// to the file named by TTS_REASONER_CPU_OUT as it exits. CommonJS on purpose: an ESM preload
// (--import) makes Node load the CLI through its ES module loader, which scans the whole
// CommonJS bundle for exports first (200 ms of CPU a run that a user's `tts-reasoner` never pays).
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const u = process.cpuUsage();
  writeFileSync(process.env.TTS_REASONER_CPU_OUT, JSON.stringify({ cpuMs: (u.user + u.system) / 1000 }));
});
