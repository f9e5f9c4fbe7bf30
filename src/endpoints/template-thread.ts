// A chat template is code from the settings or a model card. It renders on a worker thread, so a
// hostile one cannot hold the extension host or the CLI: the budget in template-budget.ts runs
// there, and a render that does not answer in time (stuck inside one step, where the budget
// cannot look) gets its worker terminated. One long-lived worker, started on the first render
// and again after one was terminated; renders queue, one at a time, so a timeout is its own.
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { TemplateBudgetError, type TemplateBudget } from "./template-budget.js";

export interface RenderRequest {
  source: string;
  items: Record<string, unknown>;
  budget: TemplateBudget;
}

export type RenderReply =
  | { ok: true; text: string }
  /** `budget`: the in-thread budget stopped it (`message` says which limit). */
  | { ok: false; budget: boolean; message: string };

/** How long a new worker may take to load, before the first render's own limit starts. */
const STARTUP_MS = 30_000;
/** Heap a worker may use: a template that fills memory kills its worker, not the editor. */
const HEAP_MB = 256;

function spawn(): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } };
  // Bundled (dist/extension.js, dist/cli.js): the worker is its own bundle next to this one.
  if (!__filename.endsWith(".ts")) return new Worker(join(__dirname, "template-worker.js"), options);
  // From the TypeScript sources (tests, scripts under tsx): load them through tsx's require hook.
  const tsx = createRequire(__filename).resolve("tsx/cjs");
  const file = join(__dirname, "template-worker.ts");
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, {
    ...options,
    eval: true,
  });
}

interface Job {
  request: RenderRequest;
  resolve(text: string): void;
  reject(error: unknown): void;
}

class TemplateThread {
  private worker: Promise<Worker> | null = null;
  /** The worker `worker` resolves to, known at once so a stopped one is never handed out. */
  private current: Worker | null = null;
  private readonly queue: Job[] = [];
  private busy = false;

  render(request: RenderRequest): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) return;
    this.busy = true;
    try {
      job.resolve(await this.run(job.request));
    } catch (e) {
      job.reject(e);
    } finally {
      this.busy = false;
      void this.next();
    }
  }

  private async run(request: RenderRequest): Promise<string> {
    const worker = await this.start();
    return new Promise<string>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const timer = setTimeout(() => {
        done();
        this.stop(worker);
        reject(
          new TemplateBudgetError(`took more than ${request.budget.answerMs} ms (its thread was stopped)`),
        );
      }, request.budget.answerMs);
      const onMessage = (reply: RenderReply): void => {
        done();
        if (reply.ok) resolve(reply.text);
        else reject(reply.budget ? new TemplateBudgetError(reply.message) : new Error(reply.message));
      };
      const onError = (e: Error): void => {
        done();
        this.stop(worker);
        const code = (e as { code?: unknown }).code;
        reject(
          code === "ERR_WORKER_OUT_OF_MEMORY" ? new TemplateBudgetError(`used more than ${HEAP_MB} MB`) : e,
        );
      };
      const onExit = (code: number): void => {
        done();
        this.stop(worker);
        reject(new Error(`its thread exited (code ${code})`));
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(request);
    });
  }

  /** The running worker, or a new one once it has said it is ready. */
  private start(): Promise<Worker> {
    if (this.worker) return this.worker;
    const starting = new Promise<Worker>((resolve, reject) => {
      const worker = spawn();
      this.current = worker;
      // Idle, it must not keep the CLI alive; a pending render's timer does while it waits.
      worker.unref();
      const fail = (e: unknown): void => {
        clearTimeout(timer);
        this.stop(worker);
        reject(e instanceof Error ? e : new Error(`its thread exited (code ${String(e)})`));
      };
      const timer = setTimeout(
        () => fail(new Error(`its thread did not start in ${STARTUP_MS / 1000} s`)),
        STARTUP_MS,
      );
      worker.once("error", fail);
      worker.once("exit", fail);
      worker.once("message", () => {
        clearTimeout(timer);
        worker.off("error", fail);
        worker.off("exit", fail);
        resolve(worker);
      });
    });
    this.worker = starting;
    starting.catch(() => undefined);
    return starting;
  }

  /** Terminates `worker` if it is the current one; the next render starts a fresh one. */
  private stop(worker: Worker): void {
    if (this.current === worker) {
      this.current = null;
      this.worker = null;
    }
    void worker.terminate();
  }
}

const thread = new TemplateThread();

/**
 * Renders `source` with `items` on the template thread, under `budget`; rejects with a
 * TemplateBudgetError past the budget, or an Error with the template's own failure.
 */
export function renderOnThread(request: RenderRequest): Promise<string> {
  return thread.render(request);
}
