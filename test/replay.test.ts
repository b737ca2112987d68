// Replay of recent iterations' candidates (lib/replay.ts): which candidates it
// reuses, that it keeps events with their candidate, its checkpoint, and that
// it makes a few-event optimisation settle closer to the optimum.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import type { SurrogateData } from '../lib/contracts.ts';
import type { IterationRecord } from '../lib/loop.ts';
import { normalRadius, ReplayBuffer } from '../lib/replay.ts';
import { runPipeline } from '../pipelines/run.ts';

await initBackend(undefined, { quiet: true });

const euclid = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));

/** K candidates at the given designs, each with `perCandidate` events whose x and δ encode (iteration, candidate, event). */
function iterationData(tag: number, thetas: number[][], perCandidate: number): SurrogateData {
  const n = thetas.length * perCandidate;
  const candidate = new Int32Array(n);
  const x = new Float32Array(n * 2);
  const delta = new Float32Array(n);
  for (let k = 0, i = 0; k < thetas.length; k++) {
    for (let e = 0; e < perCandidate; e++, i++) {
      candidate[i] = k;
      x[2 * i] = tag;
      x[2 * i + 1] = k;
      delta[i] = 100 * tag + 10 * k + e;
    }
  }
  return { theta: thetas, target: thetas.map((_, k) => 100 * tag + k), events: { candidate, x, xDim: 2, delta } };
}

test('normalRadius: the chi-square quantiles of a standard normal ball', () => {
  assert.ok(Math.abs(normalRadius(1) - 1.959964) < 1e-5, `d = 1: ${normalRadius(1)}`);
  assert.ok(Math.abs(normalRadius(2) - Math.sqrt(-2 * Math.log(0.05))) < 1e-5, `d = 2: ${normalRadius(2)}`);
  assert.ok(Math.abs(normalRadius(6) - Math.sqrt(12.591587)) < 1e-5, `d = 6: ${normalRadius(6)}`);
  assert.throws(() => normalRadius(0), /dim/);
  assert.throws(() => normalRadius(2, 1), /coverage/);
});

test('replay adds the past candidates within the radius, each with its own events', () => {
  const buf = new ReplayBuffer(2);
  buf.push(0, iterationData(1, [[0, 0], [5, 0]], 2));
  buf.push(1, iterationData(2, [[1, 0], [0, 9]], 3));
  const now = iterationData(3, [[0, 1]], 1);
  const sel = buf.select(now, [0, 0], 2, euclid);
  assert.is(sel.candidates, 2);
  assert.is(sel.iterations, 2);
  // this iteration first, then [0,0] of iteration 0 and [1,0] of iteration 1
  assert.equal(sel.data.theta, [[0, 1], [0, 0], [1, 0]]);
  assert.equal(sel.data.target, [300, 100, 200]);
  const ev = sel.data.events!;
  assert.equal(Array.from(ev.candidate), [0, 1, 1, 2, 2, 2]);
  assert.equal(Array.from(ev.delta), [300, 100, 101, 200, 201, 202]);
  // every event keeps its own x: (iteration tag, original candidate index)
  assert.equal(Array.from(ev.x), [3, 0, 1, 0, 1, 0, 2, 0, 2, 0, 2, 0]);
});

test('replay refuses to mix iterations with and without per-event data', () => {
  const buf = new ReplayBuffer(2);
  buf.push(0, { theta: [[0, 0]], target: [1] });
  assert.throws(() => buf.select(iterationData(1, [[0, 0]], 1), [0, 0], 1, euclid), /per-event data/);
});

test('replay keeps only the last `depth` iterations; depth 0 replays nothing', () => {
  const buf = new ReplayBuffer(1);
  buf.push(0, iterationData(1, [[0, 0]], 1));
  buf.push(1, iterationData(2, [[0, 0]], 1));
  const sel = buf.select(iterationData(3, [[0, 0]], 1), [0, 0], 1, euclid);
  assert.equal(sel.data.target, [300, 200]);
  const none = new ReplayBuffer(0);
  none.push(0, iterationData(1, [[0, 0]], 1));
  const now = iterationData(2, [[0, 0]], 1);
  assert.is(none.select(now, [0, 0], 1, euclid).data, now);
  assert.throws(() => new ReplayBuffer(-1), /replayIterations/);
});

test('replay state survives a JSON round trip', () => {
  const buf = new ReplayBuffer(3);
  buf.push(4, iterationData(1, [[0.25, 0.5], [3, 3]], 2));
  buf.push(5, iterationData(2, [[0, 0]], 3));
  const copy = new ReplayBuffer(3);
  copy.load(JSON.parse(JSON.stringify(buf.state())));
  const now = iterationData(9, [[0, 0]], 1);
  const a = buf.select(now, [0, 0], 1, euclid);
  const b = copy.select(now, [0, 0], 1, euclid);
  assert.equal(b.data.theta, a.data.theta);
  assert.equal(b.data.target, a.data.target);
  assert.equal(Array.from(b.data.events!.x), Array.from(a.data.events!.x));
  assert.equal(Array.from(b.data.events!.delta), Array.from(a.data.events!.delta));
  assert.throws(() => copy.load({ kind: 'other' }), /replay/);
});

test('with one event per candidate, replay settles closer to the optimum of a noisy quadratic', async () => {
  // 6 candidates × 1 event with noise 1: one iteration's data barely resolves the bowl near its bottom
  const meanLoss = async (replayIterations: number, seed: number) => {
    const recs: IterationRecord[] = [];
    await runPipeline(
      { problem: 'quadratic', dim: 2, iterations: 20, candidates: 6, events: 1, sigma: 0.5, trustRegion: 1, seed, replayIterations, surrogateOptions: { epochs: 100 } },
      { hooks: { onIteration: (r) => void recs.push(r) } },
    );
    if (replayIterations > 0) assert.ok(recs.slice(-10).every((r) => r.replay!.candidates > 0), 'nothing was replayed at the optimum');
    const last = recs.slice(-10).map((r) => r.truth!.atNext);
    return last.reduce((a, b) => a + b, 0) / last.length;
  };
  for (const seed of [1, 2]) {
    const without = await meanLoss(0, seed);
    const withReplay = await meanLoss(8, seed);
    assert.ok(withReplay < 0.7 * without, `seed ${seed}: expected loss over the last 10 iterations ${withReplay.toFixed(3)} with replay, ${without.toFixed(3)} without`);
  }
});

test.run();
