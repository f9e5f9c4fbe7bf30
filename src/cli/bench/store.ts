// The bench's append-only results store: `runs.jsonl` in the output folder, one line per
// finished run, written and flushed to disk as each run ends. A crash or Ctrl-C loses only the
// runs in flight; rerunning with the same folder skips every run already there.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { CalibratedTable, Cost, SearchConfig, StrategyId } from "../../core/index.js";
import type { RunSettings } from "../config.js";

export const STORE_FILE = "runs.jsonl";
const STORE_VERSION = 1;

/** What makes runs comparable: the same policy, verifier and search settings (besides the grid). */
export interface BenchSetup {
  policy: string;
  verifier: string | null;
  search: Partial<Omit<SearchConfig, "strategy" | "n" | "seed">>;
  /** Configured parameter counts: they set Auto's policy class and the FLOPs. Absent: read from names. */
  policyParams?: number;
  verifierParams?: number;
  /** Auto's calibrated plans, when a strategy table is set: another table makes other choices. */
  strategyTable?: Pick<CalibratedTable, "policy" | "verifier" | "plans">;
}

/** The setup of a bench or calibration over these settings (grid knobs left out). */
export function benchSetup(run: RunSettings): BenchSetup {
  const { strategy: _s, n: _n, seed: _seed, ...search } = run.search;
  const t = run.strategyTable;
  return {
    policy: run.policy.model,
    verifier: run.verifier ? `${run.verifier.kind}:${run.verifier.model}` : null,
    search,
    ...(run.policyParams !== null ? { policyParams: run.policyParams } : {}),
    ...(run.verifierParams !== null && run.verifier ? { verifierParams: run.verifierParams } : {}),
    ...(t ? { strategyTable: { policy: t.policy, verifier: t.verifier, plans: t.plans } } : {}),
  };
}

export interface RunRecord {
  key: string;
  problemId: string;
  level: number | null;
  strategy: StrategyId;
  n: number;
  seed: number;
  gold: string;
  answer: string | null;
  correct: boolean;
  /** Finished candidates the answer was chosen from. */
  candidates: number;
  cost: Cost;
  /** Auto runs: the method it chose, the probe's difficulty bucket, and the samples it saved. */
  auto?: { method: StrategyId; bucket: "easy" | "medium" | "hard" | null; budgetSaved: number };
  /** Set when the run produced no answer because it failed; such runs are retried on resume. */
  error?: string;
  finishedAt: string;
}

export function runKey(problemId: string, strategy: StrategyId, n: number, seed: number): string {
  return `${problemId}|${strategy}|n=${n}|seed=${seed}`;
}

interface Header {
  type: "bench";
  version: number;
  setup: BenchSetup;
}

function sameSetup(a: BenchSetup, b: BenchSetup): boolean {
  const sorted = (o: object): object =>
    Object.fromEntries(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  // Stores written before the optional fields existed compare equal to setups without them.
  const canon = (s: BenchSetup): string =>
    JSON.stringify({
      policy: s.policy,
      verifier: s.verifier,
      search: sorted(s.search),
      policyParams: s.policyParams ?? null,
      verifierParams: s.verifierParams ?? null,
      strategyTable: s.strategyTable ?? null,
    });
  return canon(a) === canon(b);
}

export class RunStore {
  /** The latest record per run key, in the order first finished. */
  private readonly byKey = new Map<string, RunRecord>();
  private fd: number | null;
  /** Where the next line goes: the end of the last whole line. */
  private position = 0;
  /** Lines that could not be read (a torn last line is repaired silently and not counted). */
  readonly unreadable: number;

  private constructor(
    readonly path: string,
    readonly setup: BenchSetup,
    fd: number,
    records: RunRecord[],
    unreadable: number,
  ) {
    this.fd = fd;
    this.unreadable = unreadable;
    for (const r of records) this.byKey.set(r.key, r);
  }

  /**
   * Opens (or creates) the store in `dir`. An existing store must hold the same setup: mixing
   * runs of two policies in one table would be wrong, so that is refused with a way out.
   */
  static open(dir: string, setup: BenchSetup): RunStore {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, STORE_FILE);
    const records: RunRecord[] = [];
    let unreadable = 0;
    let header: Header | null = null;
    let keepBytes = 0;
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      // A line without its newline was torn by a crash mid-write: drop it.
      const end = text.lastIndexOf("\n") + 1;
      keepBytes = Buffer.byteLength(text.slice(0, end));
      for (const line of text.slice(0, end).split("\n")) {
        if (!line.trim()) continue;
        let v: { type?: string } & Record<string, unknown>;
        try {
          v = JSON.parse(line) as typeof v;
        } catch {
          unreadable++;
          continue;
        }
        if (v.type === "bench" && !header) header = v as unknown as Header;
        else if (v.type === "run") {
          const { type: _type, ...record } = v;
          records.push(record as unknown as RunRecord);
        } else unreadable++;
      }
      if (header && !sameSetup(header.setup, setup))
        throw new Error(
          `${path} holds runs of another setup (${describeSetup(header.setup)}); this bench is ` +
            `${describeSetup(setup)}. Use another --out folder, or delete ${path} to start over.`,
        );
    }
    const fd = openSync(path, existsSync(path) ? "r+" : "w+");
    ftruncateSync(fd, keepBytes);
    const store = new RunStore(path, setup, fd, records, unreadable);
    if (!header)
      store.writeLine({ type: "bench", version: STORE_VERSION, setup } satisfies Header, keepBytes);
    else store.position = keepBytes;
    return store;
  }

  private writeLine(value: unknown, at = this.position): void {
    if (this.fd === null) throw new Error(`The results store ${this.path} is closed.`);
    const bytes = Buffer.from(JSON.stringify(value) + "\n");
    writeSync(this.fd, bytes, 0, bytes.length, at);
    fdatasyncSync(this.fd);
    this.position = at + bytes.length;
  }

  /** A run is done when it has a record without an error. */
  isDone(key: string): boolean {
    const r = this.byKey.get(key);
    return r !== undefined && r.error === undefined;
  }

  get(key: string): RunRecord | undefined {
    return this.byKey.get(key);
  }

  records(): RunRecord[] {
    return [...this.byKey.values()];
  }

  /** Appends a finished run and flushes it to disk before returning. */
  append(record: RunRecord): void {
    this.writeLine({ type: "run", ...record });
    this.byKey.set(record.key, record);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export function describeSetup(s: BenchSetup): string {
  const extra = [
    ...Object.entries(s.search).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
    ...(s.policyParams !== undefined ? [`policy parameters ${s.policyParams / 1e9}B`] : []),
    ...(s.verifierParams !== undefined ? [`verifier parameters ${s.verifierParams / 1e9}B`] : []),
    ...(s.strategyTable
      ? [`strategy table for ${s.strategyTable.policy} with ${s.strategyTable.verifier}`]
      : []),
  ].join(", ");
  return `policy ${s.policy}, verifier ${s.verifier ?? "none"}${extra ? `, ${extra}` : ""}`;
}
