// A failing simulation (an exception, NaN in the output) is reported with its
// candidate and never loses the other candidates' results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import type { EventBatch, Simulator } from '../lib/contracts.ts';
import { InProcessExecutor } from '../lib/executor.ts';
import { DEFAULT_LOOP, runLoop, type IterationRecord } from '../lib/loop.ts';
import type { Rng } from '../lib/random.ts';
import { quadraticBowl } from '../lib/simulators/analytic.ts';
import { DesignSpace } from '../lib/space.ts';
import { eventValueObjective } from '../objectives/event-value.ts';
import { MlpSurrogate } from '../surrogates/mlp.ts';

await initBackend(undefined, { quiet: true });

const bowl = quadraticBowl(2);
/** the quadratic bowl, but designs with x1 > 0 crash and designs with x2 > 0 return NaN */
const flaky: Simulator = {
  name: 'flaky',
  xNames: ['x'],
  yNames: ['y'],
  simulate(theta: readonly number[], n: number, rng: Rng): EventBatch {
    if (theta[0]! > -3) throw new Error('detector geometry overlaps');
    const b = bowl.simulator.simulate(theta, n, rng) as EventBatch;
    if (theta[1]! > -2.5) b.y[3] = NaN;
    return b;
  },
};

test('the executor reports each failure with its candidate and keeps the rest', async () => {
  const out = await new InProcessExecutor().run(flaky, [
    { index: 0, theta: [-4, -4], nEvents: 10, seed: 'a' },
    { index: 1, theta: [0, -4], nEvents: 10, seed: 'b' },
    { index: 2, theta: [-4, 0], nEvents: 10, seed: 'c' },
  ]);
  assert.ok(out[0]!.ok);
  assert.not.ok(out[1]!.ok);
  assert.match((out[1] as { error: string }).error, /candidate 1 \(θ = \[0\.000, -4\.000\]\): detector geometry overlaps/);
  assert.match((out[2] as { error: string }).error, /candidate 2 .*: y\[3\] \(event 3\) is NaN/);
});

test('the loop goes on with the candidates that succeeded and records the failures', async () => {
  const space = new DesignSpace(bowl.space);
  const surrogate = new MlpSurrogate({ center: space.start, scale: space.sigma.map((s) => 3 * s), epochs: 20 });
  const records: IterationRecord[] = [];
  await runLoop(
    { space, simulator: flaky, objective: eventValueObjective(), surrogate, backend: 'test' },
    { ...DEFAULT_LOOP, iterations: 1, candidates: 20, events: 10, seed: 4 },
    { onIteration: (r) => void records.push(r) },
  );
  assert.is(records.length, 1);
  const r = records[0]!;
  assert.ok(r.failed.length > 0 && r.failed.length < 20, `${r.failed.length} failures`);
  assert.is(r.delta.perCandidate.length + r.failed.length, 20);
  surrogate.dispose();
});

test('a run in which (almost) every simulation fails stops with the first error', async () => {
  const space = new DesignSpace({ ...bowl.space, parameters: bowl.space.parameters.map((p) => ({ ...p, start: 4 })) });
  const surrogate = new MlpSurrogate({ center: space.start, scale: space.sigma, epochs: 5 });
  try {
    await runLoop({ space, simulator: flaky, objective: eventValueObjective(), surrogate, backend: 'test' }, { ...DEFAULT_LOOP, iterations: 1, candidates: 5, events: 5, seed: 1 });
    assert.unreachable('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /iteration 0: only 0 of 5 simulations succeeded; first failure: candidate 0 .*detector geometry overlaps/);
  }
  surrogate.dispose();
});

test.run();
