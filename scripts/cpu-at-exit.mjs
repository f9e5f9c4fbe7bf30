// Preloaded into a CLI run by bench:overhead (node --import): writes the process's own CPU time
// to the file named by TTS_REASONER_CPU_OUT as it exits.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const u = process.cpuUsage();
  writeFileSync(process.env.TTS_REASONER_CPU_OUT, JSON.stringify({ cpuMs: (u.user + u.system) / 1000 }));
});
