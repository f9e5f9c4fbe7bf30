// `npm run simworld -- --port <p> --flavour <f> [--latency none|realistic] [--faults ...] [--seed n]
// [--model-auroc <id=x,...>] [--model-error-scale <id=x,...>]` serves until stopped; `--export-problems <file> --count <k> --seed <s> [--levels 1,2,3]`
// writes a problem set as JSON lines (the shape of math500.jsonl).
import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { generateProblems, startSimworld, type Flavour } from "./index.js";
import { parseModelValues, type ModelOverride } from "./models.js";

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return n;
}

const program = new Command()
  .name("simworld")
  .description("A test server that simulates policies and PRMs over a world of problems with known answers.")
  .option("--port <port>", "port to listen on (0: any free port)", integer, 8000)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--flavour <flavour>", "server dialect: vllm, llamacpp, ollama or openai", "vllm")
  .option("--latency <mode>", "none or realistic", "none")
  .option(
    "--world <world>",
    "classic (independent step errors) or published (calibrated to published results)",
    "classic",
  )
  .option("--latency-scale <x>", "multiply the realistic latency model's waits", Number, 1)
  .option("--faults <spec>", 'fault rates: "0.2" over all kinds, or "429=0.1,reset=0.05"')
  .option("--seed <n>", "seed for ids, unseeded sampling and faults", integer)
  .option("--slots <n>", "batch slots per model", integer)
  .option("--api-key <key>", "require this bearer token")
  .option(
    "--model-auroc <list>",
    "verifier separation per model, e.g. sim-prm-qwen=0.9,sim-judge-7b=0.7 (AUROC in [0.5, 1))",
  )
  .option(
    "--model-error-scale <list>",
    "multiply a policy's per-step error rates, e.g. sim-policy-7b=2 (0: never wrong)",
  )
  .option("--export-problems <file>", "write a problem set as JSON lines and exit")
  .option("--count <k>", "problems to export", integer, 100)
  .option("--levels <list>", "levels to export, e.g. 1,3,5", (v) => v.split(",").map(integer))
  .parse();

const o = program.opts<{
  port: number;
  host: string;
  flavour: string;
  latency: string;
  world: string;
  latencyScale: number;
  faults?: string;
  seed?: number;
  slots?: number;
  apiKey?: string;
  modelAuroc?: string;
  modelErrorScale?: string;
  exportProblems?: string;
  count: number;
  levels?: number[];
}>();

async function main(): Promise<void> {
  if (o.exportProblems) {
    const problems = generateProblems({ count: o.count, seed: o.seed ?? 0, levels: o.levels });
    const lines = problems.map((p) =>
      JSON.stringify({
        problem: p.problem,
        solution: p.solution,
        answer: p.answer,
        subject: p.subject,
        level: p.level,
        unique_id: p.id,
        id: p.id,
      }),
    );
    writeFileSync(o.exportProblems, lines.join("\n") + "\n");
    console.log(`simworld: wrote ${problems.length} problems to ${o.exportProblems}`);
    return;
  }
  if (!["vllm", "llamacpp", "ollama", "openai"].includes(o.flavour))
    throw new Error(`unknown flavour "${o.flavour}": use vllm, llamacpp, ollama or openai`);
  if (o.latency !== "none" && o.latency !== "realistic")
    throw new Error(`unknown latency "${o.latency}": use none or realistic`);
  if (o.world !== "classic" && o.world !== "published")
    throw new Error(`unknown world "${o.world}": use classic or published`);
  const models: Record<string, ModelOverride> = {};
  const override = (spec: string | undefined, flag: string, key: keyof ModelOverride): void => {
    for (const [id, value] of Object.entries(spec ? parseModelValues(spec, flag) : {}))
      models[id] = { ...models[id], [key]: value };
  };
  override(o.modelAuroc, "--model-auroc", "auroc");
  override(o.modelErrorScale, "--model-error-scale", "errorScale");
  const sw = await startSimworld({
    flavour: o.flavour as Flavour,
    port: o.port,
    host: o.host,
    latency: o.latency,
    latencyScale: o.latencyScale,
    faults: o.faults,
    seed: o.seed,
    slots: o.slots,
    apiKey: o.apiKey,
    models,
    world: o.world,
  });
  const changed = Object.entries(models).map(
    ([id, m]) =>
      `${id}${m.auroc !== undefined ? ` AUROC ${m.auroc}` : ""}${m.errorScale !== undefined ? ` errors ×${m.errorScale}` : ""}`,
  );
  console.log(
    `simworld (${o.flavour}, latency ${o.latency}${o.world === "published" ? ", published world" : ""}${o.faults ? `, faults ${o.faults}` : ""}${changed.length ? `, ${changed.join(", ")}` : ""}) listening on ${sw.url}`,
  );
  const stop = () => {
    void sw.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`simworld: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
