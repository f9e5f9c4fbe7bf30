import { Command } from "commander";
import { version } from "../../package.json";
import { registerBench } from "./bench/command.js";
import { registerCalibrate } from "./calibrate.js";
import { registerCheck } from "./check.js";
import { registerGrade } from "./grade.js";
import { registerServe } from "./serve.js";
import { registerSolve } from "./solve.js";
import { registerTrace } from "./trace.js";

const program = new Command()
  .name("tts-reasoner")
  .description(
    "Test-time scaling for math reasoning: a policy model writes solutions step by step, a process " +
      "reward model scores each step, and a search strategy spends the compute budget.",
  )
  .version(version);

registerSolve(program);
registerCheck(program);
registerBench(program);
registerCalibrate(program);
registerTrace(program);
registerGrade(program);
registerServe(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
