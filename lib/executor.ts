// Runs simulate calls. The in-process executor runs them one after another;
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

export class InProcessExecutor implements Executor {
  readonly name = 'in-process';

  async run(simulator: Simulator, jobs: SimulationJob[]): Promise<SimulationOutcome[]> {
    const out: SimulationOutcome[] = [];
    for (const job of jobs) {
      const t0 = performance.now();
      try {
        const batch = await simulator.simulate(job.theta, job.nEvents, new Rng(job.seed));
        const problem = validateBatch(batch, job);
        const seconds = (performance.now() - t0) / 1000;
        if (problem) out.push({ index: job.index, ok: false, error: `candidate ${job.index} (θ = [${job.theta.map((v) => v.toPrecision(4)).join(', ')}]): ${problem}`, seconds });
        else out.push({ index: job.index, ok: true, batch, seconds });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        out.push({ index: job.index, ok: false, error: `candidate ${job.index} (θ = [${job.theta.map((v) => v.toPrecision(4)).join(', ')}]): ${msg}`, seconds: (performance.now() - t0) / 1000 });
      }
    }
    return out;
  }
}
