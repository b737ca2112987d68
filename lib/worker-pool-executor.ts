// Runs simulate calls in worker threads, one job at a time per worker, so a
// CPU-bound simulator written in JavaScript/TypeScript uses every core. Each
// worker rebuilds the simulator from its recipe (Simulator.recipe), and each
// job carries its own seed, so the outcomes are those of InProcessExecutor,
// bit for bit, whatever the number of workers or the order the jobs finish in.
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Executor, SimulationJob, SimulationOutcome, Simulator, SimulatorRecipe } from './contracts.ts';
import { jobLabel } from './executor.ts';
import type { SimulationRequest, SimulationResponse } from './simulation-worker.ts';
import { startTsWorker } from './worker-thread.ts';

/** A file URL for the recipe's module: URLs pass, paths are taken from the current folder. */
function moduleUrl(module: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return module; // a URL (two letters at least: not "C:")
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

class PoolWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { job: SimulationJob; resolve: (o: SimulationOutcome) => void }>();
  /** set when the thread died; the pool then starts a new one */
  dead = false;

  constructor() {
    this.worker = startTsWorker(new URL('./simulation-worker.ts', import.meta.url));
    this.worker.on('message', (res: SimulationResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (this.pending.size === 0) this.worker.unref();
      p.resolve(res.outcome);
    });
    this.worker.on('error', (err) => this.die(`worker thread failed: ${err.message}`));
    this.worker.on('exit', (code) => this.die(`worker thread exited with code ${code}`));
  }

  /** A dead thread fails only the jobs it held: each becomes that candidate's failure. */
  private die(reason: string): void {
    this.dead = true;
    for (const { job, resolve: done } of this.pending.values()) done({ index: job.index, ok: false, error: `${jobLabel(job)}: ${reason}`, seconds: 0 });
    this.pending.clear();
  }

  run(id: number, recipe: SimulatorRecipe, job: SimulationJob): Promise<SimulationOutcome> {
    return new Promise((done) => {
      this.pending.set(id, { job, resolve: done });
      this.worker.ref();
      const req: SimulationRequest = { id, recipe, job };
      this.worker.postMessage(req);
    });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

export class WorkerPoolExecutor implements Executor {
  readonly name: string;
  readonly workers: number;
  private pool: PoolWorker[] = [];
  private nextId = 1;

  constructor(options: { workers?: number } = {}) {
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new Error(`workers: ${n} is not an integer >= 1`);
    this.workers = n;
    this.name = `worker-pool ×${n}`;
  }

  private worker(slot: number): PoolWorker {
    const w = this.pool[slot];
    if (w && !w.dead) return w;
    const fresh = new PoolWorker();
    this.pool[slot] = fresh;
    return fresh;
  }

  async run(simulator: Simulator, jobs: SimulationJob[]): Promise<SimulationOutcome[]> {
    const recipe = simulator.recipe;
    if (!recipe) {
      throw new Error(
        `executor ${this.name}: simulator "${simulator.name}" has no recipe, so it cannot be rebuilt in a worker thread; ` +
          'give it a `recipe` { module, exportName, options } or run it in process',
      );
    }
    const sent: SimulatorRecipe = { ...recipe, module: moduleUrl(recipe.module) };
    const out = new Array<SimulationOutcome>(jobs.length);
    let next = 0;
    // one lane per worker: a worker takes the next job as soon as it is free
    const lane = async (slot: number): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await this.worker(slot).run(this.nextId++, sent, jobs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.workers, jobs.length) }, (_, slot) => lane(slot)));
    return out;
  }

  /** Stops the threads (idle threads do not keep the process alive, so this is optional). */
  async terminate(): Promise<void> {
    const ws = this.pool;
    this.pool = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
