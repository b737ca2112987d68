// Runs simulate calls. The in-process executor runs them in this process (overlapping
// asynchronous ones, e.g. external programs, up to its concurrency);
// a failure (an exception, NaN/∞ in the output, a wrong shape) is caught per
// candidate, so one broken simulation never loses the others' results.
import type { EventBatch, Executor, SimulationJob, SimulationOutcome, Simulator } from './contracts.ts';
import { Rng } from './random.ts';

/** Checks a batch for the mistakes a simulator can make; returns a message or null. */
export function validateBatch(batch: EventBatch, job: SimulationJob): string | null {
  if (!batch || typeof batch !== 'object') return 'simulate returned no batch';
  if (batch.n !== job.nEvents) return `returned ${batch.n} events, ${job.nEvents} requested`;
  if (batch.x.length !== batch.n * batch.xDim) return `x has ${batch.x.length} values, expected n × xDim = ${batch.n * batch.xDim}`;
  if (batch.y.length !== batch.n * batch.yDim) return `y has ${batch.y.length} values, expected n × yDim = ${batch.n * batch.yDim}`;
  for (const [field, arr] of [['x', batch.x], ['y', batch.y]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i]!)) return `${field}[${i}] (event ${Math.floor(i / (field === 'x' ? batch.xDim : batch.yDim))}) is ${arr[i]}`;
    }
  }
  return null;
}

/** How a failure names its job: "candidate 3 (θ = [1.000, 2.500])". */
export function jobLabel(job: SimulationJob): string {
  return `candidate ${job.index} (θ = [${job.theta.map((v) => v.toPrecision(4)).join(', ')}])`;
}

/** One simulate call with its failure captured: never throws. */
export async function runJob(simulator: Simulator, job: SimulationJob): Promise<SimulationOutcome> {
  const t0 = performance.now();
  const where = jobLabel(job);
  try {
    const batch = await simulator.simulate(job.theta, job.nEvents, new Rng(job.seed));
    const problem = validateBatch(batch, job);
    const seconds = (performance.now() - t0) / 1000;
    return problem ? { index: job.index, ok: false, error: `${where}: ${problem}`, seconds } : { index: job.index, ok: true, batch, seconds };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { index: job.index, ok: false, error: `${where}: ${msg}`, seconds: (performance.now() - t0) / 1000 };
  }
}

/**
 * Runs the simulate calls in this process, up to `concurrency` at once. A synchronous simulator
 * (the built-in ones) runs one call after another whatever the setting; an asynchronous one (an
 * external program, a remote job) overlaps up to `concurrency` calls. Outcomes come back in job
 * order, and each job has its own seed, so the results do not depend on the concurrency.
 */
export class InProcessExecutor implements Executor {
  readonly name: string;
  private readonly concurrency: number;

  constructor(options: { concurrency?: number } = {}) {
    const c = options.concurrency ?? 1;
    if (!Number.isInteger(c) || c < 1) throw new Error(`concurrency: ${c} is not an integer >= 1`);
    this.concurrency = c;
    this.name = c === 1 ? 'in-process' : `in-process ×${c}`;
  }

  async run(simulator: Simulator, jobs: SimulationJob[]): Promise<SimulationOutcome[]> {
    const out = new Array<SimulationOutcome>(jobs.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await runJob(simulator, jobs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, lane));
    return out;
  }
}
