// A short MI-OPT run on the calorimeter: from 4 cm of lead in front of 8 cm of
// PbWO4 the design sheds absorber and adds scintillator, and the mutual
// information between photon energy and deposits rises.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import type { IterationRecord } from '../lib/loop.ts';
import { runPipeline } from '../pipelines/run.ts';

await initBackend(undefined, { quiet: true });

test('MI-OPT moves absorber down and scintillator up while MI rises', async () => {
  const records: IterationRecord[] = [];
  const s = await runPipeline(
    { problem: 'mi-opt', dim: 1, iterations: 3, candidates: 20, events: 300, start: { abs1: 4, scint1: 8 }, seed: 3 },
    { hooks: { onIteration: (r) => void records.push(r) } },
  );
  const { abs1, scint1 } = s.finalTheta as { abs1: number; scint1: number };
  assert.ok(abs1 < 3.5, `absorber ${abs1} cm (start 4)`);
  assert.ok(scint1 > 8.3, `scintillator ${scint1} cm (start 8)`);
  assert.ok(records[2]!.delta.mean > records[0]!.delta.mean, `MI ${records.map((r) => r.delta.mean.toFixed(3)).join(' → ')}`);
  assert.ok(records.every((r) => r.delta.mean > 0.5 && r.delta.mean < 4), 'MI in nats in a plausible range');
});

test.run();
