import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import type { Candidate } from '../lib/contracts.ts';
import { estimateMI, estimateMIBatched, logMeanExp, logMeanExpTensor, memberSeeds, MineObjective, resolveMineOptions, type MineDataset } from '../objectives/mine.ts';
import { mineMinEvents, trainMembers } from '../objectives/mine-train.ts';
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { normalQuantile, rankGauss, standardise } from '../objectives/mine-transform.ts';
import { rejects } from './fixtures/assert-async.ts';

await initBackend(undefined, { quiet: true });

/** (A, B) standard bivariate normal with correlation rho: I = −½ ln(1 − ρ²) (PHYSICS.md §3). */
function gaussian(rho: number, n: number, rng: Rng): MineDataset {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    a[i] = z1;
    b[i] = rho * z1 + Math.sqrt(1 - rho * rho) * z2;
  }
  return { a, aDim: 1, b, bDim: 1, n };
}

const exactMI = (rho: number) => -0.5 * Math.log(1 - rho * rho);

test('log-mean-exp is exact and finite for values ~1e3 (naive exp overflows)', () => {
  const big = [1000, 1001, 999.5];
  assert.is(Math.log(big.reduce((s, v) => s + Math.exp(v), 0) / 3), Infinity);
  const expected = 1000 + Math.log((1 + Math.E + Math.exp(-0.5)) / 3);
  assert.ok(Math.abs(logMeanExp(big) - expected) < 1e-12, `${logMeanExp(big)} vs ${expected}`);
  assert.ok(Math.abs(logMeanExp([-1000, -1000]) - -1000) < 1e-12);
  assert.is(logMeanExp([5]), 5);
  const t = tf.tensor2d([[1000, 1001, 999.5], [-1000, -1000, -1000]]);
  const v = logMeanExpTensor(t, 1).dataSync();
  t.dispose();
  assert.ok(Math.abs(v[0]! - expected) < 1e-3, `float32 ${v[0]}`);
  assert.ok(Math.abs(v[1]! + 1000) < 1e-3);
  assert.throws(() => logMeanExp([]), /empty/);
});

test('input transforms: Φ⁻¹ known values; rank-gauss is invariant to monotone maps and keeps ties', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
  assert.ok(Math.abs(normalQuantile(1e-4) + 3.719016485) < 1e-7);
  assert.throws(() => normalQuantile(1), /p must be in/);
  const rng = new Rng('transform');
  const n = 500;
  const x = Float32Array.from({ length: 2 * n }, () => rng.normal());
  const cubed = x.map((v) => v * v * v);
  assert.equal(Array.from(rankGauss(x, n, 2)), Array.from(rankGauss(cubed, n, 2)));
  const z = rankGauss(x, n, 2);
  const col0 = Array.from({ length: n }, (_, i) => z[2 * i]!);
  assert.ok(Math.abs(col0.reduce((s, v) => s + v, 0) / n) < 1e-6, 'rank-gauss column has mean 0');
  const ties = rankGauss(Float32Array.from([3, 1, 3, 2]), 4, 1);
  assert.is(ties[0], ties[2]);
  assert.ok(ties[1]! < ties[3]! && ties[3]! < ties[0]!);
  assert.equal(Array.from(rankGauss(Float32Array.from([7, 7, 7]), 3, 1)), [0, 0, 0]);
  const st = standardise(Float32Array.from([1, 2, 3, 4]), 4, 1);
  assert.ok(Math.abs(st[3]! - 3 / Math.sqrt(5)) < 1e-6);
});

test('MINE on a Gaussian, rho = 0.9, N = 2000: close to 0.8304 nats', () => {
  const d = gaussian(0.9, 2000, new Rng('gauss-0.9'));
  const est = estimateMI(d.a, 1, d.b, 1, d.n, { workers: 1 }, new Rng('mine-test'));
  // Held-out DV bound: a lower-bound estimate; loose tolerance for one seed.
  assert.ok(Math.abs(est.mi - exactMI(0.9)) < 0.15, `estimate ${est.mi} vs ${exactMI(0.9)}`);
  assert.ok(est.epochs >= 20 && est.epochs <= 200, `epochs ${est.epochs}`);
});

test('independent variables: MI ≈ 0', () => {
  const d = gaussian(0, 1000, new Rng('independent'));
  const est = estimateMI(d.a, 1, d.b, 1, d.n, { workers: 1 }, new Rng('mine-indep'));
  assert.ok(Math.abs(est.mi) < 0.06, `estimate ${est.mi}`);
});

test('batched = one at a time = two workers, for the same seeds', async () => {
  const rng = new Rng('equiv');
  const ds = [0.3, 0.6, 0.9].map((rho) => gaussian(rho, 200, rng));
  const opts = { maxEpochs: 15, minEpochs: 15, evalEvery: 5 };
  const batched = await estimateMIBatched(ds, { ...opts, workers: 1 }, new Rng('seed'));
  const seeds = memberSeeds(new Rng('seed'), ds.length);
  const o = resolveMineOptions({ ...opts, workers: 1 });
  const single = ds.map((d, i) => trainMembers([d], [seeds[i]!], o)[0]!);
  batched.forEach((e, i) => assert.ok(Math.abs(e.mi - single[i]!.mi) < 1e-5, `dataset ${i}: ${e.mi} vs ${single[i]!.mi}`));
  const twoWorkers = await estimateMIBatched(ds, { ...opts, workers: 2 }, new Rng('seed'));
  twoWorkers.forEach((e, i) => assert.ok(Math.abs(e.mi - batched[i]!.mi) < 1e-5, `workers 2, dataset ${i}: ${e.mi} vs ${batched[i]!.mi}`));
  // the same seed again gives the same numbers; another seed does not
  const again = await estimateMIBatched(ds, { ...opts, workers: 1 }, new Rng('seed'));
  assert.equal(again.map((e) => e.mi), batched.map((e) => e.mi));
  const other = await estimateMIBatched(ds, { ...opts, workers: 1 }, new Rng('other seed'));
  assert.ok(other.some((e, i) => e.mi !== batched[i]!.mi));
});

test('more shifted pairings in the held-out bound: less noise from the estimator itself', () => {
  // one calorimeter dataset near the end of a 3-layer MI-OPT run (I ≈ 2.8 nats, M = 700) and
  // 8 member seeds (split, init, batches): with 4 pairings per held-out event the log-mean-exp
  // carries most of the spread (benchmarks/mine-eval-shifts.ts measures it over datasets too)
  const batch = new CalorimeterSimulator({ layers: 3 }).simulate([0, 21.4, 0.19, 1.48, 1.97, 0], 700, new Rng('shifts-data'));
  const d: MineDataset = { a: batch.x, aDim: 1, b: batch.y, bDim: 3, n: 700 };
  const seeds = Array.from({ length: 8 }, (_, i) => `shifts-member-${i}`);
  const spread = (shifts: number) => {
    const mi = trainMembers(seeds.map(() => d), seeds, resolveMineOptions({ evalShifts: shifts, workers: 1 })).map((e) => e.mi);
    const m = mi.reduce((s, v) => s + v, 0) / mi.length;
    return { m, sd: Math.sqrt(mi.reduce((s, v) => s + (v - m) ** 2, 0) / (mi.length - 1)) };
  };
  const few = spread(4);
  const many = spread(32);
  assert.ok(many.sd < 0.75 * few.sd, `sd with 32 shifts ${many.sd.toFixed(3)} vs 4 shifts ${few.sd.toFixed(3)}`);
  assert.ok(Math.abs(many.m - few.m) < 0.3, `means ${many.m.toFixed(3)} vs ${few.m.toFixed(3)}`);
});

test('tensor count does not grow over repeated training', async () => {
  const rng = new Rng('leak');
  const ds = [gaussian(0.5, 150, rng), gaussian(0.8, 150, rng)];
  const opts = { maxEpochs: 6, minEpochs: 0, evalEvery: 2, patience: 1, workers: 1 };
  await estimateMIBatched(ds, opts, rng);
  const before = tf.memory().numTensors;
  for (let r = 0; r < 3; r++) {
    await estimateMIBatched(ds, { ...opts, biasCorrection: r === 1 }, rng);
    estimateMI(ds[0]!.a, 1, ds[0]!.b, 1, 150, opts, rng);
  }
  assert.is(tf.memory().numTensors, before);
});

test('objective: one MI per candidate, in order; bad input names the field', async () => {
  const rng = new Rng('objective');
  const mk = (index: number, rho: number): Candidate => {
    const d = gaussian(rho, 700, rng);
    return { index, theta: [rho], batch: { theta: [rho], n: 700, x: d.a, xDim: 1, y: d.b, yDim: 1 } };
  };
  const obj = new MineObjective({ workers: 1, maxEpochs: 60 });
  assert.is(obj.kind, 'per-candidate');
  const res = await obj.evaluate([mk(0, 0.95), mk(1, 0.0)], { rng, warmStart: false, iteration: 0 });
  assert.is(res.perCandidate.length, 2);
  assert.ok(res.perCandidate[0]! > res.perCandidate[1]! + 0.6, `MI ${res.perCandidate}`);
  assert.ok((res.info?.mineMeanEpochs ?? 0) > 0);

  const bad = mk(0, 0.5);
  bad.batch.y = bad.batch.y.subarray(0, 699);
  await rejects(obj.evaluate([mk(1, 0.5), bad], { rng, warmStart: false, iteration: 0 }), /candidates\[1\]\.batch\.y/);
  const nanY = mk(2, 0.5);
  nanY.batch.y[10] = NaN;
  await rejects(obj.evaluate([nanY], { rng, warmStart: false, iteration: 0 }), /candidates\[0\]\.batch\.y: value NaN at index 10 \(event 10\)/);
  obj.dispose();

  const d = gaussian(0.5, 100, rng);
  await rejects(estimateMIBatched([d, { ...d, b: d.b.subarray(0, 99) }], { workers: 1 }, rng), /datasets\[1\]\.b/);
  assert.throws(() => estimateMI(d.a, 1, d.b, 2, 100, {}, rng), /dataset\.b/);
  assert.throws(() => resolveMineOptions({ learningRate: -1 }), /learningRate/);
  assert.throws(() => resolveMineOptions({ evalFraction: 1.5 }), /evalFraction/);
  const nan = gaussian(0.5, 100, rng);
  nan.a[7] = NaN;
  assert.throws(() => estimateMI(nan.a, 1, nan.b, 1, 100, {}, rng), /dataset\.a: value NaN at index 7/);
  assert.throws(() => resolveMineOptions({ learningrate: 0.5 } as never), /^mine options\.learningrate: unknown field/);
  assert.throws(() => new MineObjective({ aColumns: 0 } as never, 'problemOptions.mine'), /problemOptions\.mine\.aColumns: must be a non-empty list/);
});

test('too few held-out events are refused: with 2–3 the bound is picked from noise (10²–10⁶ nats)', () => {
  assert.is(mineMinEvents(0.3), 32, 'round(0.3 × 32) = 10 held out, 22 to train');
  assert.is(mineMinEvents(0.5), 20);
  const rng = new Rng('few');
  const d = gaussian(0.5, 31, rng);
  assert.throws(() => estimateMI(d.a, 1, d.b, 1, 31, { workers: 1 }, rng), /dataset\.n: MINE holds out 30 % .* at least 32 events \(got 31\)/);
  // with half held out, 31 events are enough and the estimate is finite and near its scale
  const mi = estimateMI(d.a, 1, d.b, 1, 31, { workers: 1, evalFraction: 0.5 }, rng).mi;
  assert.ok(Number.isFinite(mi) && Math.abs(mi) < 1.5, `MI ${mi}`);
});

test("objective: a candidate's estimate depends on its own index, not on which others failed", async () => {
  const rng = new Rng('by-index');
  const cands: Candidate[] = [0.3, 0.6, 0.9].map((rho, index) => {
    const d = gaussian(rho, 120, rng);
    return { index, theta: [rho], batch: { theta: [rho], n: 120, x: d.a, xDim: 1, y: d.b, yDim: 1 } };
  });
  const obj = new MineObjective({ workers: 1, maxEpochs: 30 });
  const all = await obj.evaluate(cands, { rng: new Rng('same'), warmStart: false, iteration: 0 });
  const without1 = await obj.evaluate([cands[0]!, cands[2]!], { rng: new Rng('same'), warmStart: false, iteration: 0 });
  obj.dispose();
  assert.equal(without1.perCandidate, [all.perCandidate[0]!, all.perCandidate[2]!], 'candidate 2 keeps its estimate when candidate 1 is left out');
  assert.throws(() => memberSeeds(new Rng('s'), 2, [4, 4]), /ids: must be distinct/);
});

test.run();
