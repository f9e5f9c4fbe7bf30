// Prints the issue's "Done when" figures against real llama-servers (`npx tsx test/real/measure.ts`):
// policy requests and retries of majority n=64, best-of-N with each logprob verifier, and the
// split of requests over two replicas. A benchmark: it prints, it does not assert.
import { runSearch, type SearchConfig, type VerifierKind } from "../../src/core/index.js";
import { createPolicy, createVerifier, type RequestLogLine } from "../../src/endpoints/index.js";
import { withServers } from "./llama-server/server.js";

const problem = { text: "What is $2 + 3$?" };

async function run(
  urls: string[],
  strategy: SearchConfig["strategy"],
  n: number,
  kind: VerifierKind | "none",
) {
  const lines: RequestLogLine[] = [];
  const log = (l: RequestLogLine): void => void lines.push(l);
  const policy = await createPolicy({ baseUrls: urls, model: "", apiStyle: "auto" }, { log });
  const verifier =
    kind === "none" ? undefined : await createVerifier({ baseUrls: urls, model: "", kind }, { log });
  const t0 = Date.now();
  const r = await runSearch({
    problem,
    policy,
    verifier,
    config: { strategy, n, beamWidth: 4, maxTokens: 64, seed: 1 },
  });
  const ms = Date.now() - t0;
  if (process.env.SHOW_ERRORS) for (const l of lines.filter((l) => l.error)) console.log(l);
  const byUrl = new Map<string, number>();
  for (const l of lines.filter((l) => l.method === "POST" && l.url.endsWith("/completion"))) {
    const root = new URL(l.url).port;
    byUrl.set(root, (byUrl.get(root) ?? 0) + 1);
  }
  const label = `${strategy} n=${n}${kind === "none" ? "" : ` ${kind}`}${urls.length > 1 ? " (2 replicas)" : ""}`;
  console.log(
    `${label}: ${r.error ? `ERROR ${r.error} ` : ""}policy requests ${r.cost.policy.requests}, retries ${r.cost.policy.retries}` +
      `, verifier requests ${r.cost.verifier.requests}, retries ${r.cost.verifier.retries}` +
      `, completion tokens ${r.cost.policy.completionTokens}, ${ms} ms` +
      (urls.length > 1
        ? `, generation requests by port ${[...byUrl].map(([p, c]) => `${p}:${c}`).join(" ")}`
        : ""),
  );
}

void withServers([{ slots: 4 }, { slots: 4 }], async ([a, b]) => {
  await run([a!.url], "majority", 64, "none");
  await run([a!.url], "best-of-n", 32, "token-logprob");
  await run([a!.url], "best-of-n", 32, "llm-judge");
  await run([a!.url, b!.url], "majority", 64, "none");
});
