// The bench's append-only results store: `runs.jsonl` in the output folder, one line per
// finished run, written and flushed to disk as each run ends. A crash or Ctrl-C loses only the
// runs in flight; rerunning with the same folder skips every run already there.
import {
  closeSync,
  existsSync,
  statSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { CalibratedTable, Cost, FailureCause, SearchConfig, StrategyId } from "../../core/index.js";
import type { RunPlan } from "../../app/run.js";

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

/**
 * The setup of a bench or calibration over these settings (grid knobs left out). `served` are
 * the model names the connected endpoints resolved: a name left empty in the settings becomes
 * the server's own model id (GET /v1/models), so a store never resumes runs of another model.
 */
export function benchSetup(run: RunPlan, served?: { policy: string; verifier?: string }): BenchSetup {
  const { strategy: _s, n: _n, seed: _seed, ...search } = run.search;
  const t = run.strategyTable;
  return {
    policy: run.policy.model || served?.policy || "",
    verifier: run.verifier ? `${run.verifier.kind}:${run.verifier.model || served?.verifier || ""}` : null,
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
  /** Calls that failed after their retries (the run may still have an answer), by cause. */
  failures?: FailureCause[];
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
  /**
   * Line numbers (from 1) of whole lines that could not be read and were skipped; a run among
   * them is run again. A torn last line is repaired silently and not listed.
   */
  readonly unreadableLines: readonly number[];

  private constructor(
    readonly path: string,
    readonly setup: BenchSetup,
    fd: number,
    records: RunRecord[],
    unreadableLines: number[],
  ) {
    this.fd = fd;
    this.unreadableLines = unreadableLines;
    for (const r of records) this.byKey.set(r.key, r);
  }

  get unreadable(): number {
    return this.unreadableLines.length;
  }

  /** What a resumed bench says about the store: runs kept, runs to retry, lines skipped. */
  resumeNotes(): string[] {
    const notes: string[] = [];
    const failed = this.records().filter((r) => r.error !== undefined).length;
    const done = this.records().length - failed;
    if (done || failed)
      notes.push(
        `Resuming: ${done} runs already done in ${this.path}` +
          (failed ? `; ${failed} failed run${failed === 1 ? " is" : "s are"} run again.` : "."),
      );
    const bad = this.unreadableLines;
    if (bad.length)
      notes.push(
        `${this.path}: ${bad.length} line${bad.length === 1 ? "" : "s"} could not be read and ` +
          `${bad.length === 1 ? "was" : "were"} skipped (line${bad.length === 1 ? "" : "s"} ` +
          `${bad.slice(0, 10).join(", ")}${bad.length > 10 ? ", …" : ""}); a run recorded there is run again.`,
      );
    return notes;
  }

  /**
   * Opens (or creates) the store in `dir`. An existing store must hold the same setup: mixing
   * runs of two policies in one table would be wrong, so that is refused with a way out.
   */
  static open(dir: string, setup: BenchSetup): RunStore {
    openFolder(dir);
    const path = join(dir, STORE_FILE);
    const records: RunRecord[] = [];
    const unreadable: number[] = [];
    let header: Header | null = null;
    let keepBytes = 0;
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      // A line without its newline was torn by a crash mid-write: drop it.
      const end = text.lastIndexOf("\n") + 1;
      keepBytes = Buffer.byteLength(text.slice(0, end));
      const lines = text.slice(0, end).split("\n");
      for (const [i, line] of lines.entries()) {
        if (!line.trim()) continue;
        let v: ({ type?: string } & Record<string, unknown>) | null;
        try {
          v = JSON.parse(line) as typeof v;
        } catch {
          v = null;
        }
        if (v?.type === "bench" && !header) header = v as unknown as Header;
        else if (v?.type === "run" && typeof v.key === "string") {
          const { type: _type, ...record } = v;
          records.push(record as unknown as RunRecord);
        } else unreadable.push(i + 1);
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

/** Makes the output folder, or says in words why it cannot be one (a file, a file on the path). */
function openFolder(dir: string): void {
  const isFile = (p: string): boolean => {
    try {
      return !statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (isFile(dir))
    throw new Error(
      `${dir} is a file, not a folder: the bench writes runs.jsonl, results.json, report.md and ` +
        `accuracy.svg into a folder. Give a new folder, or the folder of the run to resume.`,
    );
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOTDIR" || code === "EEXIST"
        ? "a part of its path is a file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : (e as Error).message;
    throw new Error(`Cannot make the output folder ${dir}: ${why}.`);
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
