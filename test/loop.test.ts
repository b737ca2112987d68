// The loop with the MLP surrogate on analytic problems with known optima.
// "Within 5 % of the optimum" is measured on the gap: f(end) − f* ≤ 0.05 · (f(start) − f*).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { runPipeline } from '../pipelines/run.ts';
import { adaptTrust, type IterationRecord } from '../lib/loop.ts';

await initBackend(undefined, { quiet: true });

const fast = { events: 100, surrogateOptions: { epochs: 200 } };

test('noisy quadratic 2-D ends within 5 % of the optimum; the summary also averages the last designs and gives their spread', async () => {
  const records: IterationRecord[] = [];
  const s = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 8, sigma: 1, trustRegion: 2, seed: 11, ...fast }, { hooks: { onIteration: (r) => void records.push(r) } });
  assert.ok(s.gapClosed! >= 0.95, `gap closed ${s.gapClosed}, final ${s.finalTruth}`);
  // 8 iterations < AVERAGED_ITERATIONS: the mean of all 8 designs after each step
  const mean = [0, 1].map((i) => records.reduce((a, r) => a + r.thetaNext[i]!, 0) / records.length);
  assert.ok(Math.abs(s.averagedTheta!.x1! - mean[0]!) < 1e-12 && Math.abs(s.averagedTheta!.x2! - mean[1]!) < 1e-12, `averaged ${JSON.stringify(s.averagedTheta)} vs ${mean}`);
  // and their spread: the sample standard deviation of the same designs
  const sd = [0, 1].map((i) => Math.sqrt(records.reduce((a, r) => a + (r.thetaNext[i]! - mean[i]!) ** 2, 0) / (records.length - 1)));
  assert.ok(Math.abs(s.spreadTheta!.x1! - sd[0]!) < 1e-12 && Math.abs(s.spreadTheta!.x2! - sd[1]!) < 1e-12, `spread ${JSON.stringify(s.spreadTheta)} vs ${sd}`);
  assert.ok(sd[0]! > 0 && sd[1]! > 0, `the design moved: ${sd}`);
});

test('noisy quadratic 10-D ends within 5 % of the optimum', async () => {
  const s = await runPipeline({ problem: 'quadratic', dim: 10, iterations: 12, sigma: 1, trustRegion: 2, seed: 12, ...fast });
  assert.ok(s.gapClosed! >= 0.95, `gap closed ${s.gapClosed}, final ${s.finalTruth}`);
});

test('stochastic Rosenbrock 2-D ends within 5 % of the optimum', async () => {
  const s = await runPipeline({ problem: 'rosenbrock', dim: 2, iterations: 16, seed: 13, ...fast });
  assert.ok(s.gapClosed! >= 0.95, `gap closed ${s.gapClosed}, final ${s.finalTruth}`);
});

test('the GP surrogate drives the same loop (detopt run --surrogate gp)', async () => {
  const s = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 8, sigma: 1, trustRegion: 2, seed: 17, events: 100, surrogate: 'gp' });
  assert.ok(s.gapClosed! >= 0.95, `gap closed ${s.gapClosed}, final ${s.finalTruth}`);
});

test('with the optimum outside a constraint the run ends on the boundary', async () => {
  // optimum (1, 0.5) is cut off by x1 + x2 <= 0; the constrained optimum is (0.25, −0.25).
  const s = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 10, sigma: 1, trustRegion: 2, seed: 14, constraints: ['x1 + x2 <= 0'], ...fast });
  const { x1, x2 } = s.finalTheta as { x1: number; x2: number };
  assert.ok(Math.abs(x1 + x2) < 0.05, `distance to the boundary ${x1 + x2}`);
  assert.ok(Math.hypot(x1 - 0.25, x2 + 0.25) < 0.3, `final (${x1}, ${x2}) vs (0.25, −0.25)`);
});

test('a cost in the config moves the optimum: (x1 − 1)² + 2·x1 is smallest at x1 = 0', async () => {
  // quadratic bowl centred at (1, 0.5) plus the cost 2·x1: optimum (0, 0.5), value 1; start (−3, −3), value 22.25
  const s = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 10, sigma: 1, trustRegion: 2, seed: 18, cost: '2 * x1', ...fast });
  const { x1, x2 } = s.averagedTheta as { x1: number; x2: number };
  const value = (x1 - 1) ** 2 + 2 * x1 + (x2 - 0.5) ** 2;
  assert.ok((value - 1) / (22.25 - 1) < 0.02, `averaged design (${x1}, ${x2}): value ${value} vs optimum 1`);
  assert.ok(Math.abs(x1) < 0.35, `x1 ${x1}: the cost moves it from 1 to 0`);
});

test('transfer learning off also runs and improves', async () => {
  const on = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 4, seed: 15, transferLearning: true, ...fast });
  const off = await runPipeline({ problem: 'quadratic', dim: 2, iterations: 4, seed: 15, transferLearning: false, ...fast });
  assert.ok(on.gapClosed! > 0.2 && off.gapClosed! > 0.2, `TL on ${on.gapClosed}, off ${off.gapClosed}`);
});

test('adaptive trust region: a reversal halves the radius (down to ε/8), a continued step grows it ×1.5 (up to ε)', () => {
  const a = adaptTrust({ radius: 1, lastStep: null }, [1, 0], 1);
  assert.equal(a, { radius: 1, lastStep: [1, 0] });
  const back = adaptTrust(a, [-0.5, 0.1], 1);
  assert.is(back.radius, 0.5);
  let r = back;
  for (let i = 0; i < 5; i++) r = adaptTrust(r, i % 2 ? [-1, 0] : [1, 0], 1);
  assert.is(r.radius, 0.125);
  assert.is(adaptTrust(r, r.lastStep!, 1).radius, 0.1875);
  assert.is(adaptTrust({ radius: 0.9, lastStep: [0, 1] }, [0, 2], 1).radius, 1);
  // no move: nothing to compare with, keep both
  assert.equal(adaptTrust(back, [0, 0], 1), back);
});

test('adaptive trust region: full steps on the slope, shorter ones at the noisy optimum, same accuracy', async () => {
  const records: IterationRecord[] = [];
  const s = await runPipeline(
    { problem: 'quadratic', dim: 2, iterations: 14, sigma: 1, trustRegion: 2, seed: 11, adaptiveTrustRegion: true, ...fast },
    { hooks: { onIteration: (r) => void records.push(r) } },
  );
  assert.ok(s.gapClosed! >= 0.95, `gap closed ${s.gapClosed}, final ${s.finalTruth}`);
  const radii = records.map((r) => r.step.radius);
  assert.is(radii[0], 2);
  assert.is(radii[1], 2, 'the second step continues the first: still the full radius');
  assert.ok(Math.min(...radii.slice(-4)) <= 1, `radius never shrank at the optimum: ${radii.join(', ')}`);
});

test('the tensor count is the same after each of 20 iterations', async () => {
  const counts: number[] = [];
  await runPipeline(
    { problem: 'quadratic', dim: 3, iterations: 20, candidates: 8, events: 10, maxSteps: 5, seed: 16, surrogateOptions: { epochs: 5 } },
    { hooks: { onIteration: () => void counts.push(tf.memory().numTensors) } },
  );
  assert.is(counts.length, 20);
  assert.ok(counts.every((c) => c === counts[0]), `tensor counts ${counts.join(',')}`);
  const off: number[] = [];
  await runPipeline(
    { problem: 'quadratic', dim: 3, iterations: 20, candidates: 8, events: 10, maxSteps: 5, seed: 16, transferLearning: false, surrogateOptions: { epochs: 5 } },
    { hooks: { onIteration: () => void off.push(tf.memory().numTensors) } },
  );
  assert.ok(off.every((c) => c === off[0]), `tensor counts without TL ${off.join(',')}`);
});

test.run();
