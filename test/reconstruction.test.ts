// The reconstruction objective of RECO-OPT (seed 002): δ = ((Ê − E)/E)² from an
// MLP R(y | θ), checked on synthetic detectors with a known energy resolution.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import { solveDense } from '../lib/linalg.ts';
import type { Candidate } from '../lib/contracts.ts';
import { ReconstructionObjective, type ReconstructionState } from '../objectives/reconstruction.ts';
import { calibratedDeltas, layerCalibratedDeltas, pooledCalibratedDeltas } from '../objectives/energy-calibration.ts';
import { Flow1DSurrogate } from '../surrogates/flow1d.ts';
import { surrogateData } from '../lib/surrogate-data.ts';
import { rejects } from './fixtures/assert-async.ts';

await initBackend(undefined, { quiet: true });

/**
 * A toy calorimeter: y0 = f(θ)·E·(1 + r(θ)·ε), y1 = noise that carries no
 * information; E ~ U(1, 20) GeV as in the seed-002 BASE study.
 */
type Response = (theta: number) => { f: number; r: number };
/** sampling fraction 0.3, resolution 0.2/θ: θ = 1 → 20 %, θ = 10 → 2 % */
const resolutionOnly: Response = (th) => ({ f: 0.3, r: 0.2 / th });

function toyCandidates(thetas: number[], M: number, seed: number, response: Response = resolutionOnly): Candidate[] {
  const rng = new Rng(seed);
  return thetas.map((th, index) => {
    const { f, r } = response(th);
    const x = new Float32Array(M);
    const y = new Float32Array(2 * M);
    for (let j = 0; j < M; j++) {
      const e = rng.uniformRange(1, 20);
      x[j] = e;
      y[2 * j] = f * e * (1 + r * rng.normal());
      y[2 * j + 1] = 0.5 + 0.1 * rng.normal();
    }
    return { index, theta: [th], batch: { theta: [th], n: M, x, xDim: 1, y, yDim: 2 } };
  });
}

/**
 * The Bayes-optimal mean δ on the very same events: given y0, the estimator
 * minimising E[((Ê − E)/E)² | y0] is Ê = E[1/E | y0] / E[1/E² | y0], with the
 * posterior on a grid over the U(1, 20) prior (±8 σ around y0/f). Without the
 * prior it would be r²/(1 + r²) (0.0385 at 20 %, 4.0e-4 at 2 %).
 */
function bayesOptimalDelta(c: Candidate, response: Response = resolutionOnly): number {
  const { f, r } = response(c.theta[0]!);
  const G = 400;
  let total = 0;
  for (let j = 0; j < c.batch.n; j++) {
    const e = c.batch.x[j]!;
    const y = c.batch.y[2 * j]!;
    const lo = Math.max(1, (y / f) * (1 - 8 * r));
    const hi = Math.min(20, (y / f) * (1 + 8 * r));
    let a = 0;
    let b = 0;
    for (let i = 0; i < G; i++) {
      const g = lo + ((hi - lo) * (i + 0.5)) / G;
      const sd = f * g * r;
      const like = Math.exp(-0.5 * ((y - f * g) / sd) ** 2) / sd;
      a += like / g;
      b += like / (g * g);
    }
    total += ((a / b - e) / e) ** 2;
  }
  return total / c.batch.n;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

// Two detectors, each evaluated as one iteration's K = 3 candidates × 1000 events, default options.
const coarse = toyCandidates([1, 1, 1], 1000, 1);
const fine = toyCandidates([10, 10, 10], 1000, 2);
const objective = new ReconstructionObjective();
const coarseResult = await objective.evaluate(coarse, { rng: new Rng(3), warmStart: false, iteration: 0 });
const result = await objective.evaluate(fine, { rng: new Rng(4), warmStart: false, iteration: 0 });

test('mean δ reaches the Bayes optimum: 20 % detector ≈ 0.034, 2 % detector ≈ 4e-4', () => {
  for (const [cands, res, label] of [
    [coarse, coarseResult, '20 %'],
    [fine, result, '2 %'],
  ] as const) {
    assert.is(res.perCandidate.length, 3);
    res.perEvent!.forEach((d, k) => {
      assert.is(d.length, 1000);
      assert.ok(Math.abs(mean(d) - res.perCandidate[k]!) < 1e-6 * (1 + res.perCandidate[k]!));
    });
    cands.forEach((c, k) => {
      const best = bayesOptimalDelta(c);
      const got = res.perCandidate[k]!;
      // slightly below the optimum is possible (the network saw these events), far above is not
      assert.ok(got > 0.95 * best && got < 1.15 * best, `${label} detector, candidate ${k}: mean δ ${got} vs optimum ${best}`);
    });
  }
  const best20 = bayesOptimalDelta(coarse[0]!);
  assert.ok(best20 > 0.029 && best20 < 0.038, `optimum at 20 %: ${best20}`);
  assert.ok(coarseResult.perCandidate[0]! > 50 * result.perCandidate[0]!);
  // held-out events score like the training events (no over-fitting at this size)
  const info = result.info!;
  assert.ok(info.validationLoss! > 0 && Math.abs(info.validationLoss! / info.trainLoss! - 1) < 0.3, JSON.stringify(info));
});

test('mixed candidates and a θ-dependent response: R(y | θ) uses θ', async () => {
  // sampling fraction and resolution both change with θ near a nominal design θ = 5
  const response: Response = (th) => ({ f: 0.06 * th, r: 0.1 / Math.sqrt(th) });
  const thetas = [3.5, 4.2, 5, 5.8, 6.5];
  const cands = toyCandidates(thetas, 800, 5, response);
  // From a cold start the interaction y/f(θ) needs more steps than one default iteration
  // (with Table 3's 4e-4 the edge candidates stay ~10× above the optimum); in a run, warm
  // starts accumulate them. Here: one longer, faster training.
  const obj = new ReconstructionObjective({ epochs: [30, 2], learningRates: [2e-3, 1e-5] });
  const res = await obj.evaluate(cands, { rng: new Rng(6), warmStart: false, iteration: 0 });
  cands.forEach((c, k) => {
    const best = bayesOptimalDelta(c, response);
    const got = res.perCandidate[k]!;
    assert.ok(got > 0.9 * best && got < 1.5 * best, `θ = ${thetas[k]}: mean δ ${got} vs optimum ${best}`);
  });
  // a reconstruction that ignored θ would be off by f(θ)/f(5) − 1 (up to 30 %), δ ≈ 0.09
  assert.ok(res.perCandidate[0]! < 0.01 && res.perCandidate[4]! < 0.01);
  obj.dispose();
});

test('energy-scale calibration: δ becomes the resolution, leave-one-out, shrunk for few events', () => {
  // r = Ê/E = 1.04 (1 + ε), ε ~ N(0, 3 %): raw δ = 0.04² + (1.04·0.03)² = 2.57e-3; after the best
  // scale a = E[r]/E[r²] the relative loss is 1 − E[r]²/E[r²] = σ²/(1 + σ²) = 8.99e-4.
  const rng = new Rng(11);
  const r = Float64Array.from({ length: 4000 }, () => 1.04 * (1 + 0.03 * rng.normal()));
  const raw = mean(r.map((v) => (v - 1) ** 2));
  const cal = mean(calibratedDeltas(r, 20));
  assert.ok(Math.abs(raw / 2.57e-3 - 1) < 0.05, `raw δ ${raw}`);
  assert.ok(Math.abs(cal / 8.99e-4 - 1) < 0.06, `calibrated δ ${cal}`);
  // leave-one-out, no prior: event 0's scale comes from event 1 alone, a = 0.9/0.81
  const two = calibratedDeltas([1.1, 0.9], 0);
  assert.ok(Math.abs(two[0]! - (1.1 * (0.9 / 0.81) - 1) ** 2) < 1e-6, `LOO δ ${two[0]}`);
  // 5 events at r = 1.2 with 20 pseudo-events at r = 1: a = 24.8/25.76, δ = 0.0241 (raw 0.04, full 0)
  const few = calibratedDeltas([1.2, 1.2, 1.2, 1.2, 1.2], 20);
  assert.ok(Math.abs(few[0]! - ((1.2 * 24.8) / 25.76 - 1) ** 2) < 1e-6, `shrunk δ ${few[0]}`);
  assert.throws(() => calibratedDeltas([1], -1), /calibrationPriorEvents/);
});

test('layer calibration: exact leave-one-out; few events fall back to the scale alone', () => {
  // 40 events, 2 layers: refit without event i by brute force and compare
  const rng = new Rng(21);
  const n = 40;
  const e = Array.from({ length: n }, () => rng.uniformRange(1, 20));
  const dep = Float64Array.from({ length: 2 * n }, (_, k) => e[k >> 1]! * (k % 2 ? 0.1 : 0.3) * (1 + 0.05 * rng.normal()));
  const r = Float64Array.from({ length: n }, () => 1.05 * (1 + 0.03 * rng.normal()));
  // the pseudo-events (3) only act in the scale-only fallback
  const got = layerCalibratedDeltas(r, dep, 2, e, 3);
  const rows = e.map((v, i) => [r[i]!, dep[2 * i]! / v, dep[2 * i + 1]! / v, 1 / v]);
  for (let i = 0; i < n; i++) {
    const A = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    const b = [0, 0, 0, 0];
    rows.forEach((x, m) => {
      if (m === i) return;
      for (let k = 0; k < 4; k++) {
        b[k]! += x[k]!;
        for (let j = 0; j < 4; j++) A[k]![j]! += x[k]! * x[j]!;
      }
    });
    const beta = solveDense(A, b);
    const want = (1 - rows[i]!.reduce((s, v, k) => s + v * beta[k]!, 0)) ** 2;
    assert.ok(Math.abs(got[i]! - want) < 1e-4 * want + 1e-9, `event ${i}: closed form ${got[i]} vs refit ${want}`);
  }
  // 5 events cannot fit 4 weights (LAYER_EVENTS_PER_WEIGHT = 10 each): the scale-only answer
  const few = layerCalibratedDeltas(r.subarray(0, 5), dep.subarray(0, 10), 2, e.slice(0, 5), 20);
  assert.equal(Array.from(few), Array.from(calibratedDeltas(r.subarray(0, 5), 20)));
  // a layer with no deposits (zero thickness) is left out instead of making the fit singular
  const dead = Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 0 : dep[k]!));
  assert.ok(layerCalibratedDeltas(r, dead, 2, e, 0).every((d) => Number.isFinite(d) && d < 0.05));
  assert.throws(() => layerCalibratedDeltas(r, dep.subarray(1), 2, e, 0), /deposits/);
});

test('layer calibration recovers the resolution when the network has the layer weights wrong', () => {
  // two layers with sampling fractions 0.3 and 0.1, each read out with 2 % noise: the best
  // reconstruction is E = y1/0.3 + y2/0.1; a "network" that sums them with one weight is off
  // event by event (the share per layer fluctuates), which one scale cannot undo
  const rng = new Rng(22);
  const n = 4000;
  const e = Array.from({ length: n }, () => rng.uniformRange(1, 20));
  const dep = new Float64Array(2 * n);
  const r = new Float64Array(n);
  let floor = 0;
  for (let i = 0; i < n; i++) {
    const share = 0.5 + 0.15 * rng.normal();
    dep[2 * i] = 0.3 * e[i]! * share * (1 + 0.02 * rng.normal());
    dep[2 * i + 1] = 0.1 * e[i]! * (1 - share) * (1 + 0.02 * rng.normal());
    r[i] = (dep[2 * i]! + dep[2 * i + 1]!) / (0.2 * e[i]!);
    floor += ((dep[2 * i]! / 0.3 + dep[2 * i + 1]! / 0.1) / e[i]! - 1) ** 2 / n;
  }
  const scale = mean(calibratedDeltas(r, 20));
  const layers = mean(layerCalibratedDeltas(r, dep, 2, e, 20));
  // floor ≈ 0.5²·0.02²·2 = 2e-4; one scale leaves the share fluctuation: ≈ (0.15·0.5)² ≈ 5.6e-3
  // leave-one-out with 4 weights on 4000 events costs ~0.1 %
  assert.ok(layers < 1.02 * floor, `layer-calibrated δ ${layers} vs floor ${floor}`);
  assert.ok(scale > 10 * floor, `scale-only δ ${scale} vs floor ${floor}`);
});

test('pooled calibration (few events per candidate): exact leave-one-out of the θ-linear fit', () => {
  // 6 candidates × 10 events, 1 layer, 1 design parameter: weights (Ê, y, 1) × (1, Δθ/s) = 6
  const rng = new Rng(23);
  const thetas = [[4], [4.5], [5], [5.5], [6], [6.5]];
  const counts = thetas.map(() => 10);
  const n = 60;
  const e = Array.from({ length: n }, () => rng.uniformRange(1, 20));
  const th = e.map((_, i) => thetas[Math.floor(i / 10)]![0]!);
  const dep = Float64Array.from(e, (v, i) => 0.06 * th[i]! * v * (1 + 0.03 * rng.normal()));
  const r = Float64Array.from(th, (t) => (1 + 0.04 * (t - 5)) * (1 + 0.03 * rng.normal()));
  const got = pooledCalibratedDeltas(r, dep, 1, e, counts, thetas)!.flatMap((a) => Array.from(a));
  const tMean = 5.25;
  const tSd = Math.sqrt(thetas.reduce((s2, t) => s2 + (t[0]! - tMean) ** 2, 0) / thetas.length);
  const rows = e.map((v, i) => [r[i]!, dep[i]! / v, 1 / v].flatMap((f) => [f, (f * (th[i]! - tMean)) / tSd]));
  for (let i = 0; i < n; i++) {
    const A = rows[0]!.map(() => rows[0]!.map(() => 0));
    const b = rows[0]!.map(() => 0);
    rows.forEach((x, m) => {
      if (m === i) return;
      x.forEach((xk, k) => {
        b[k]! += xk;
        x.forEach((xj, j) => (A[k]![j]! += xk * xj));
      });
    });
    const beta = solveDense(A, b);
    const want = (1 - rows[i]!.reduce((acc, v, k) => acc + v * beta[k]!, 0)) ** 2;
    assert.ok(Math.abs(got[i]! - want) < 1e-3 * want + 1e-9, `event ${i}: closed form ${got[i]} vs refit ${want}`);
  }
  // fewer events: the layer terms go first (6 weights need 60 events), then the pooling (Ê × (1, Δθ) needs 20)
  assert.ok(pooledCalibratedDeltas(r.subarray(0, 40), dep.subarray(0, 40), 1, e.slice(0, 40), [10, 10, 10, 10], thetas.slice(0, 4)) !== null);
  assert.is(pooledCalibratedDeltas(r.subarray(0, 15), dep.subarray(0, 15), 1, e.slice(0, 15), [10, 5], thetas.slice(0, 2)), null);
  assert.throws(() => pooledCalibratedDeltas(r, dep, 1, e, [10, 10], thetas), /add up/);
});

test('pooled calibration removes a design-dependent scale error that the few-event scale keeps', () => {
  // 30 candidates × 5 events (TRANSFER M = 5) around θ = 5 with a 2 % detector everywhere and a
  // "network" whose scale is off by 5 % per unit of θ: δ should not depend on θ
  const rng = new Rng(24);
  const thetas = Array.from({ length: 30 }, () => [5 + rng.normal()]);
  const M = 5;
  const n = 30 * M;
  const e = Array.from({ length: n }, () => rng.uniformRange(1, 20));
  const dep = new Float64Array(n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = thetas[Math.floor(i / M)]![0]!;
    const measured = 1 + 0.02 * rng.normal();
    dep[i] = 0.3 * e[i]! * measured;
    r[i] = (1 + 0.05 * (t - 5)) * measured;
  }
  const pooled = pooledCalibratedDeltas(r, dep, 1, e, thetas.map(() => M), thetas)!.map(mean);
  const scale = thetas.map((_, k) => mean(calibratedDeltas(r.subarray(k * M, (k + 1) * M), 20)));
  // how much of the candidates' δ spread the design's distance from 5 explains
  const edge = (d: number[]) => mean(d.filter((_, k) => Math.abs(thetas[k]![0]! - 5) > 1)) / mean(d.filter((_, k) => Math.abs(thetas[k]![0]! - 5) < 0.5));
  assert.ok(edge(pooled) < 1.5, `pooled: δ at |θ − 5| > 1 is ${edge(pooled).toFixed(2)}× that near 5`);
  assert.ok(edge(scale) > 3, `scale-only: δ at |θ − 5| > 1 is ${edge(scale).toFixed(2)}× that near 5`);
  // and it is the detector's resolution: 2 % → 4e-4 (leave-one-out with 9 weights on 150 events costs ~6 %)
  assert.ok(Math.abs(mean(pooled) / 4e-4 - 1) < 0.3, `pooled mean δ ${mean(pooled)}`);
});

test('a network whose energy scale is off at the edge designs: calibration recovers their resolution', async () => {
  // one short default training on θ = 3.5 … 6.5 where the sampling fraction changes 0.21 → 0.39:
  // the network's scale is off at the edges (the comment in the next test); the calibrated δ is
  // near the Bayes optimum, the raw one is not
  const response: Response = (th) => ({ f: 0.06 * th, r: 0.1 / Math.sqrt(th) });
  const thetas = [3.5, 5, 6.5];
  const cands = toyCandidates(thetas, 800, 5, response);
  const rawObj = new ReconstructionObjective({ calibrate: false });
  const calObj = new ReconstructionObjective();
  const raw = await rawObj.evaluate(cands, { rng: new Rng(6), warmStart: false, iteration: 0 });
  const cal = await calObj.evaluate(cands, { rng: new Rng(6), warmStart: false, iteration: 0 });
  rawObj.dispose();
  calObj.dispose();
  const best = cands.map((c) => bayesOptimalDelta(c, response));
  // mean excess of δ over the optimum, relative: measured 0.22 calibrated vs 0.42 raw
  const excess = (d: number[]) => d.reduce((s, v, k) => s + v / best[k]! - 1, 0) / d.length;
  assert.ok(excess(cal.perCandidate) < 0.7 * excess(raw.perCandidate), `mean δ/optimum − 1: calibrated ${excess(cal.perCandidate)}, raw ${excess(raw.perCandidate)}`);
  assert.ok(cal.perCandidate.every((d, k) => d > 0.9 * best[k]!), 'leave-one-out: never below the optimum');
  assert.ok(cal.info!.scaleDrift! > 0.005, `the network's scale is off by ${cal.info!.scaleDrift}`);
});

test('warm start keeps the trained model; re-initialising forgets it', async () => {
  const copy = new ReconstructionObjective();
  const st = (await objective.state()) as ReconstructionState;
  st.options.epochs = [0, 0];
  // judge the network itself: the layer calibration would repair an untrained one
  st.options.calibration = 'scale';
  await copy.load(st);
  const again = toyCandidates([10, 10], 500, 7);
  const warm = await copy.evaluate(again, { rng: new Rng(8), warmStart: true, iteration: 1 });
  again.forEach((c, k) => {
    const best = bayesOptimalDelta(c);
    assert.ok(warm.perCandidate[k]! < 1.2 * best, `warm start with 0 epochs, candidate ${k}: ${warm.perCandidate[k]} vs optimum ${best}`);
  });
  // the untouched model reconstructs exactly as the original does
  const y = again[0]!.batch.y.subarray(0, 20);
  assert.equal(Array.from(copy.reconstruct(y, [10])), Array.from(objective.reconstruct(y, [10])));
  // re-initialised with 0 epochs: only the linear least-squares start, no trained MLP
  const cold = await copy.evaluate(again, { rng: new Rng(8), warmStart: false, iteration: 2 });
  assert.ok(cold.perCandidate[1]! > 1.5 * warm.perCandidate[1]!, `re-initialised: ${cold.perCandidate[1]} vs warm ${warm.perCandidate[1]}`);
  assert.not.equal(Array.from(copy.reconstruct(y, [10])), Array.from(objective.reconstruct(y, [10])));
  copy.dispose();
});

test('state()/load() round trip reconstructs identically', async () => {
  const copy = new ReconstructionObjective();
  await copy.load(JSON.parse(JSON.stringify(await objective.state())));
  const y = fine[1]!.batch.y;
  assert.equal(Array.from(copy.reconstruct(y, [10])), Array.from(objective.reconstruct(y, [10])));
  copy.dispose();
});

test('tensor count does not grow over repeated evaluate / load', async () => {
  const small = toyCandidates([1, 5], 100, 7);
  const obj = new ReconstructionObjective({ hidden: 8, epochs: [1, 1] });
  const rng = new Rng(8);
  await obj.evaluate(small, { rng, warmStart: false, iteration: 0 });
  const start = tf.memory().numTensors;
  for (let i = 0; i < 4; i++) {
    await obj.evaluate(small, { rng, warmStart: i % 2 === 0, iteration: i + 1 });
    obj.reconstruct(small[0]!.batch.y, [1]);
    await obj.load(await obj.state());
  }
  assert.is(tf.memory().numTensors, start);
  obj.dispose();
  // 3 dense layers (6 variables) + the linear path (2)
  assert.is(tf.memory().numTensors, start - 8);
});

test('Algorithm 2 end to end: reconstruction δ → 1-D flow → dE[δ]/dθ', async () => {
  // resolution r = 0.2/θ, so δ ≈ r²/(1 + r²) and dE[δ]/dθ ≈ −2 E[δ]/θ
  const rng = new Rng(21);
  const thetas = Array.from({ length: 12 }, () => Math.max(2, 5 + 1.5 * rng.normal()));
  const cands = toyCandidates(thetas, 400, 22);
  const reco = new ReconstructionObjective();
  const res = await reco.evaluate(cands, { rng, warmStart: false, iteration: 0 });
  const data = surrogateData(cands, res);
  assert.is(data.events!.delta.length, 12 * 400);
  assert.is(data.events!.candidate[400], 1);
  assert.is(data.events!.x[401], cands[1]!.batch.x[1]);
  const flow = new Flow1DSurrogate({ hidden: 32, learningRates: [1e-3, 3e-4, 3e-5], epochs: [30, 10, 2], predictMode: 'expectation' });
  await flow.fit(data, { warmStart: false, rng });
  const [value, grad] = tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => flow.predict(t as tf.Tensor1D))([tf.tensor1d([5])]);
    return [value.dataSync()[0]!, grads[0]!.dataSync()[0]!];
  });
  // reference from the same data: least squares of log(mean δ per candidate) on log θ
  const lx = thetas.map(Math.log);
  const ly = res.perCandidate.map(Math.log);
  const mx = mean(lx);
  const my = mean(ly);
  const slope = lx.reduce((acc, v, k) => acc + (v - mx) * (ly[k]! - my), 0) / lx.reduce((acc, v) => acc + (v - mx) ** 2, 0);
  const at5 = Math.exp(my + slope * (Math.log(5) - mx));
  assert.ok(slope < -1.5 && slope > -2.5, `δ ∝ θ^${slope} (expected ≈ θ^−2)`);
  assert.ok(Math.abs(value / at5 - 1) < 0.25, `E[δ](5): flow ${value} vs trend of the candidates ${at5}`);
  const trendGrad = (slope * at5) / 5;
  assert.ok(grad < 0 && Math.abs(grad / trendGrad - 1) < 0.5, `dE[δ]/dθ at 5: flow ${grad} vs trend ${trendGrad}`);
  reco.dispose();
  flow.dispose();
});

test('bad input gets errors that name the candidate and field', async () => {
  const obj = new ReconstructionObjective({ epochs: [0, 0] });
  const ctx = { rng: new Rng(1), warmStart: false, iteration: 0 };
  const nan = toyCandidates([1, 2], 10, 1);
  nan[1]!.batch.y[5] = NaN;
  await rejects(obj.evaluate(nan, ctx), /candidate 1, event 2: response y\[1\]/);
  const zero = toyCandidates([1, 2], 10, 1);
  zero[0]!.batch.x[3] = 0;
  await rejects(obj.evaluate(zero, ctx), /candidate 0, event 3: true energy/);
  const dims = toyCandidates([1, 2], 10, 1);
  dims[1]!.batch.yDim = 1;
  await rejects(obj.evaluate(dims, ctx), /candidate 1 has yDim 1/);
  await rejects(obj.evaluate([], ctx), /no candidates/);
  assert.throws(() => new ReconstructionObjective({ validationFraction: 1 }), /validationFraction/);
  assert.throws(() => obj.reconstruct([1, 2], [1]), /not been trained/);
});

test.run();
