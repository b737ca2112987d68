// Simulations in worker threads give the in-process outcomes bit for bit; a
// failure (an exception, NaN, a thread that dies, a bad recipe) fails only its
// own candidate, and a simulator that cannot be rebuilt is refused by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulationJob, SimulationOutcome, Simulator } from '../lib/contracts.ts';
import { InProcessExecutor } from '../lib/executor.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { WorkerPoolExecutor } from '../lib/worker-pool-executor.ts';
import { runPipeline } from '../pipelines/run.ts';
import { rejects } from './fixtures/assert-async.ts';
import { faultySimulator } from './fixtures/pool-simulators.ts';

const fixture = new URL('./fixtures/pool-simulators.ts', import.meta.url).href;
const errorOf = (o: SimulationOutcome): string => (o.ok ? '' : o.error);

test('the calorimeter in 2 worker threads gives the in-process batches bit for bit', async () => {
  const sim = new CalorimeterSimulator({ layers: 2 });
  const jobs: SimulationJob[] = Array.from({ length: 5 }, (_, i) => ({ index: i, theta: [0.5 * i, 4 + i, 1, 3], nEvents: 300, seed: `cal-${i}` }));
  const pool = new WorkerPoolExecutor({ workers: 2 });
  try {
    const [inProcess, pooled] = [await new InProcessExecutor().run(sim, jobs), await pool.run(sim, jobs)];
    for (let i = 0; i < jobs.length; i++) {
      const a = inProcess[i]!;
      const b = pooled[i]!;
      assert.ok(a.ok && b.ok, `candidate ${i}: ${errorOf(b)}`);
      if (!a.ok || !b.ok) continue;
      assert.is(b.index, i);
      assert.equal(Array.from(b.batch.x), Array.from(a.batch.x), `x of candidate ${i}`);
      assert.equal(Array.from(b.batch.y), Array.from(a.batch.y), `y of candidate ${i}`);
      assert.is(b.batch.y.length, 300 * 2);
    }
  } finally {
    await pool.terminate();
  }
});

test('a failing candidate fails alone, a dead thread is replaced, and the others keep their results', async () => {
  const recipe = { module: fixture, exportName: 'faultySimulator', options: { scale: 0.5 } };
  const sim: Simulator = { ...faultySimulator({ scale: 0.5 }), recipe };
  const thetas = [[1], [-1], [99], [666], [2], [3]];
  const jobs: SimulationJob[] = thetas.map((theta, i) => ({ index: i, theta, nEvents: 20, seed: `f-${i}` }));
  const pool = new WorkerPoolExecutor({ workers: 2 });
  try {
    const out = await pool.run(sim, jobs);
    const reference = await new InProcessExecutor().run(sim, [jobs[0]!, jobs[4]!, jobs[5]!]);
    assert.equal(out.map((o) => o.ok), [true, false, false, false, true, true]);
    assert.match(errorOf(out[1]!), /candidate 1 \(θ = \[-1\.000\]\): negative θ0 = -1/);
    assert.match(errorOf(out[2]!), /candidate 2 .*: y\[0\] \(event 0\) is NaN/);
    assert.match(errorOf(out[3]!), /candidate 3 .*: simulation worker thread exited with code 3/);
    [0, 4, 5].forEach((i, k) => {
      const a = out[i]!;
      const b = reference[k]!;
      assert.ok(a.ok && b.ok);
      if (a.ok && b.ok) assert.equal(Array.from(a.batch.y), Array.from(b.batch.y), `candidate ${i} as in process`);
    });
    // the pool still works after losing a thread
    const again = await pool.run(sim, [jobs[4]!]);
    assert.ok(again[0]!.ok, errorOf(again[0]!));
  } finally {
    await pool.terminate();
  }
});

test('a recipe that does not build fails every candidate with the field at fault; no recipe is refused by name; a relative module path works', async () => {
  const pool = new WorkerPoolExecutor({ workers: 1 });
  try {
    const base = faultySimulator({ scale: 1 });
    const jobs: SimulationJob[] = [{ index: 0, theta: [1], nEvents: 5, seed: 'r' }];
    const missingExport = await pool.run({ ...base, recipe: { module: fixture, exportName: 'nothingHere' } }, jobs);
    assert.match(errorOf(missingExport[0]!), /candidate 0 .*recipe\.exportName: .*pool-simulators\.ts exports no class or function "nothingHere"/);
    const missingModule = await pool.run({ ...base, recipe: { module: join(tmpdir(), 'no-such-simulator.ts'), exportName: 'x' } }, jobs);
    assert.match(errorOf(missingModule[0]!), /recipe\.module .*no-such-simulator\.ts: cannot be imported/);
    await rejects(pool.run(base, jobs), /simulator "faulty" has no recipe/);
    // a path is taken from the current folder (the tests run from the repository root)
    const relative = await pool.run({ ...base, recipe: { module: 'test/fixtures/pool-simulators.ts', exportName: 'faultySimulator', options: { scale: 1 } } }, jobs);
    assert.ok(relative[0]!.ok, errorOf(relative[0]!));
  } finally {
    await pool.terminate();
  }
  assert.throws(() => new WorkerPoolExecutor({ workers: 0 }), /workers: 0 is not an integer >= 1/);
});

test('a run with simulationWorkers writes the history of an in-process run', async () => {
  const dirs = [join(tmpdir(), `detopt-pool-a-${process.pid}`), join(tmpdir(), `detopt-pool-b-${process.pid}`)];
  try {
    const base = { problem: 'quadratic', iterations: 2, candidates: 8, events: 50, seed: 5 };
    await runPipeline(base, { out: dirs[0] });
    await runPipeline({ ...base, simulationWorkers: 2 }, { out: dirs[1] });
    const thetas = dirs.map((d) =>
      readFileSync(join(d, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { thetaNext: number[]; delta: unknown }).thetaNext),
    );
    assert.is(thetas[0]!.length, 2);
    assert.equal(thetas[1], thetas[0]);
    await rejects(
      runPipeline({ problem: 'command', simulationWorkers: 2, problemOptions: { command: ['node', 'x.mjs'], parameters: [{ name: 'a', lower: 0, upper: 1, start: 0.5, sigma: 0.1 }] } }),
      /simulationWorkers: problem "command" chooses how its simulations run/,
    );
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test.run();
