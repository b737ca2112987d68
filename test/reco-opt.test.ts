// A short RECO-OPT run on the calorimeter: from a thick absorber and a thin
// scintillator (4 + 8 cm, far from full containment) the design drops
// absorber and adds scintillator, as seed 002 Fig. 3 does on its way to
// "scintillator → the limit, absorbers → 0".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { runPipeline } from '../pipelines/run.ts';

await initBackend(undefined, { quiet: true });

test('RECO-OPT moves absorber down and scintillator up; tensors do not leak', async () => {
  const counts: number[] = [];
  const s = await runPipeline(
    { problem: 'reco-opt', dim: 1, iterations: 4, candidates: 16, events: 300, start: { abs1: 4, scint1: 8 }, seed: 5 },
    { hooks: { onIteration: () => void counts.push(tf.memory().numTensors) } },
  );
  const { abs1, scint1 } = s.finalTheta as { abs1: number; scint1: number };
  assert.ok(abs1 < 3, `absorber ${abs1} cm (start 4)`);
  assert.ok(scint1 > 8.5, `scintillator ${scint1} cm (start 8)`);
  assert.ok(abs1 + scint1 <= 25 + 1e-6);
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensor counts ${counts.join(',')}`);
});

test('bad calorimeter options name the field', async () => {
  try {
    await runPipeline({ problem: 'reco-opt', iterations: 1, problemOptions: { eMax: 'lots' } });
    assert.unreachable('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /config\.problemOptions\.eMax: must be a number/);
  }
  try {
    await runPipeline({ problem: 'reco-opt', iterations: 1, start: { abs9: 1 } });
    assert.unreachable('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /config\.start\.abs9: unknown parameter/);
  }
});

test.run();
