// Runs simulate calls in worker threads, one job at a time per worker, so a
// CPU-bound simulator written in JavaScript/TypeScript uses every core. Each
// worker rebuilds the simulator from its recipe (Simulator.recipe), and each
// job carries its own seed, so the outcomes are those of InProcessExecutor,
// bit for bit, whatever the number of workers or the order the jobs finish in.
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Executor, SimulationJob, SimulationOutcome, Simulator, SimulatorRecipe } from './contracts.ts';
import { jobLabel } from './executor.ts';
import type { SimulationRequest, SimulationResponse } from './simulation-worker.ts';
import { WorkerSlots } from './worker-thread.ts';

/** A file URL for the recipe's module: URLs pass, paths are taken from the current folder. */
function moduleUrl(module: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return module; // a URL (two letters at least: not "C:")
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

export class WorkerPoolExecutor implements Executor {
  readonly name: string;
  readonly workers: number;
  private readonly threads = new WorkerSlots<SimulationRequest, SimulationResponse>(new URL('./simulation-worker.ts', import.meta.url), 'simulation worker');
  private nextId = 1;

  constructor(options: { workers?: number } = {}) {
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new Error(`workers: ${n} is not an integer >= 1`);
    this.workers = n;
    this.name = `worker-pool ×${n}`;
  }

  /** One job in the worker of `slot`; a thread that dies fails only this job (the next one gets a new thread). */
  private async runJob(slot: number, recipe: SimulatorRecipe, job: SimulationJob): Promise<SimulationOutcome> {
    try {
      return (await this.threads.get(slot).request({ id: this.nextId++, recipe, job })).outcome;
    } catch (err) {
      return { index: job.index, ok: false, error: `${jobLabel(job)}: ${err instanceof Error ? err.message : String(err)}`, seconds: 0 };
    }
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
        out[i] = await this.runJob(slot, sent, jobs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.workers, jobs.length) }, (_, slot) => lane(slot)));
    return out;
  }

  /** Stops the threads (idle threads do not keep the process alive, so this is optional). */
  terminate(): Promise<void> {
    return this.threads.terminate();
  }
}
