// A run stopped after iteration k (or killed between its history line and its
// checkpoint) and resumed writes exactly the history an uninterrupted run writes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { resumePipeline, runPipeline } from '../pipelines/run.ts';

await initBackend(undefined, { quiet: true });

const config = { problem: 'rosenbrock', dim: 2, iterations: 5, candidates: 10, events: 30, seed: 21, surrogateOptions: { epochs: 40 } };
const root = mkdtempSync(join(tmpdir(), 'detopt-resume-'));

/** history lines without the timing fields (the only part allowed to differ) */
function history(dir: string): unknown[] {
  return readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      delete r.timings;
      return r;
    });
}

test('stop after 2 iterations + resume = uninterrupted run', async () => {
  const full = join(root, 'full');
  const summaryFull = await runPipeline(config, { out: full });
  const part = join(root, 'part');
  await runPipeline(config, { out: part, stopAfter: 2 });
  assert.is(history(part).length, 2);
  const summaryResumed = await resumePipeline(part);
  assert.equal(history(part), history(full));
  assert.equal(summaryResumed.finalTheta, summaryFull.finalTheta);
});

test('with the adaptive trust region, resume restores its radius and last step', async () => {
  // a quadratic reached within a few steps, so the steps reverse and the radius adapts before the stop
  const adaptive = { ...config, problem: 'quadratic', sigma: 1, trustRegion: 2, iterations: 10, adaptiveTrustRegion: true };
  const full = join(root, 'adaptive-full');
  await runPipeline(adaptive, { out: full });
  const part = join(root, 'adaptive-part');
  await runPipeline(adaptive, { out: part, stopAfter: 6 });
  await resumePipeline(part);
  assert.equal(history(part), history(full));
  const radii = (history(full) as { step: { radius: number } }[]).map((r) => r.step.radius);
  assert.ok(radii.slice(0, 7).some((r) => r < 2), `the radius did not adapt before the stop: ${radii.join(', ')}`);
});

test('with replay, resume restores the buffer of past candidates', async () => {
  const replay = { ...config, iterations: 6, replayIterations: 3 };
  const full = join(root, 'replay-full');
  await runPipeline(replay, { out: full });
  const part = join(root, 'replay-part');
  await runPipeline(replay, { out: part, stopAfter: 4 });
  await resumePipeline(part);
  assert.equal(history(part), history(full));
  const replayed = (history(full) as { replay: { candidates: number } }[]).map((r) => r.replay.candidates);
  assert.ok(replayed.slice(4).some((n) => n > 0), `nothing replayed after the stop: ${replayed.join(', ')}`);
});

test('with the step gate, resume restores its pool of past candidates', async () => {
  // the recorded evidence (its t and how many candidates it pooled) depends on the restored pool
  const gated = { ...config, problem: 'quadratic', sigma: 1, trustRegion: 2, iterations: 12, candidates: 20, events: 100, stepGate: 2 };
  const full = join(root, 'gate-full');
  await runPipeline(gated, { out: full });
  const part = join(root, 'gate-part');
  // iteration 3 holds the design, so the checkpoint after it carries a pool of 20 candidates
  await runPipeline(gated, { out: part, stopAfter: 4 });
  await resumePipeline(part);
  assert.equal(history(part), history(full));
  const steps = history(full) as { step: { gate: string; evidence: { candidates: number } } }[];
  assert.ok(steps.every((r) => r.step.gate !== 'off'));
  assert.is(steps[3]!.step.gate, 'stay');
  assert.is(steps[4]!.step.evidence.candidates, 40, 'the first iteration after the stop did not pool the held iteration');
});

test('killed after writing a history line but before its checkpoint: resume redoes that iteration', async () => {
  const full = join(root, 'full');
  const killed = join(root, 'killed');
  await runPipeline(config, { out: killed, stopAfter: 3 });
  // the line of iteration 4 reached the disk, its checkpoint did not
  const fourth = readFileSync(join(full, 'history.jsonl'), 'utf8').trim().split('\n')[3]!;
  appendFileSync(join(killed, 'history.jsonl'), fourth.slice(0, 40) + '\n');
  await resumePipeline(killed);
  assert.equal(history(killed), history(full));
});

test('a finished run extended with more iterations equals a longer run', async () => {
  const short = join(root, 'short');
  await runPipeline({ ...config, iterations: 3 }, { out: short });
  await resumePipeline(short, { iterations: 5 });
  assert.equal(history(short), history(join(root, 'full')));
});

test('a finished run folder is not overwritten by a new run', async () => {
  try {
    await runPipeline(config, { out: join(root, 'full') });
    assert.unreachable('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /already holds a run/);
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
