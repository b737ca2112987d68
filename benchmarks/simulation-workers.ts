// The simulate stage of one iteration in worker threads (WorkerPoolExecutor,
// `simulationWorkers` in a run config) against in process, for the built-in
// calorimeter: K candidates × M photons. The pool's threads are started once
// before timing (their start-up, tsx included, is reported on its own); every
// row checks that the pool's batches equal the in-process ones bit for bit.
// Usage: npx tsx benchmarks/simulation-workers.ts [--quick] [--reps 3]
import type { SimulationJob, SimulationOutcome } from '../lib/contracts.ts';
import { InProcessExecutor } from '../lib/executor.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { WorkerPoolExecutor } from '../lib/worker-pool-executor.ts';
import { integerFlag, loadAtStart, loadLine, table, writeSection } from './results.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const reps = integerFlag(args, '--reps', quick ? 1 : 3, 1);
const cases = quick
  ? [{ K: 30, M: 700 }, { K: 30, M: 20_000 }]
  : [{ K: 30, M: 700 }, { K: 117, M: 700 }, { K: 30, M: 20_000 }, { K: 30, M: 100_000 }];
const sim = new CalorimeterSimulator({ layers: 3 });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function jobsFor(K: number, M: number): SimulationJob[] {
  // designs spread over the range a 3-layer study visits
  return Array.from({ length: K }, (_, index) => ({ index, theta: [0.5, 1 + (20 * index) / K, 0.5, 2, 0.5, 1], nEvents: M, seed: `bench/${index}` }));
}

function sameBatches(a: SimulationOutcome[], b: SimulationOutcome[]): boolean {
  return a.every((o, i) => {
    const p = b[i]!;
    return o.ok && p.ok && o.batch.y.length === p.batch.y.length && o.batch.y.every((v, j) => v === p.batch.y[j]) && o.batch.x.every((v, j) => v === p.batch.x[j]);
  });
}

async function timed(run: () => Promise<SimulationOutcome[]>): Promise<{ seconds: number; out: SimulationOutcome[] }> {
  const t0 = performance.now();
  const out = await run();
  return { seconds: (performance.now() - t0) / 1000, out };
}

const load0 = loadAtStart();
const pools = [1, 2].map((workers) => new WorkerPoolExecutor({ workers }));
const startup: string[] = [];
for (const pool of pools) {
  const t = await timed(() => pool.run(sim, jobsFor(pool.workers, 10)));
  startup.push(`${pool.name}: ${t.seconds.toFixed(2)} s`);
}
const rows: (string | number)[][] = [];
for (const { K, M } of cases) {
  const jobs = jobsFor(K, M);
  const inProcess: number[] = [];
  let reference: SimulationOutcome[] = [];
  for (let r = 0; r < reps; r++) {
    const t = await timed(() => new InProcessExecutor().run(sim, jobs));
    inProcess.push(t.seconds);
    reference = t.out;
  }
  const base = median(inProcess);
  rows.push([K, M, 'in process', base.toFixed(3), '1.00', '']);
  for (const pool of pools) {
    const times: number[] = [];
    let same = true;
    for (let r = 0; r < reps; r++) {
      const t = await timed(() => pool.run(sim, jobs));
      times.push(t.seconds);
      same &&= sameBatches(reference, t.out);
    }
    const s = median(times);
    rows.push([K, M, pool.name, s.toFixed(3), (base / s).toFixed(2), same ? 'yes' : 'NO']);
    process.stderr.write(`K = ${K}, M = ${M}, ${pool.name}: ${s.toFixed(3)} s (in process ${base.toFixed(3)} s)\n`);
  }
}
await Promise.all(pools.map((p) => p.terminate()));

const body = [
  `Built-in calorimeter, 3 layers, photons 1–20 GeV; one row = one iteration's simulate stage (K candidates × M photons), median of ${reps} repetition${reps > 1 ? 's' : ''}.`,
  'Worker threads started before timing; first call of each pool (thread start, tsx, module load): ' + startup.join(', ') + '.',
  '',
  table(['K', 'M', 'executor', 'wall time (s)', 'speed-up', 'batches identical to in process'], rows),
  '',
  loadLine(load0),
].join('\n');
writeSection('simulation-workers', 'Simulations in worker threads (simulationWorkers) against in process', `npx tsx benchmarks/simulation-workers.ts${quick ? ' --quick' : ''}${args.includes('--reps') ? ` --reps ${reps}` : ''}`, body);
console.log(body);
