import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tf } from '../lib/tf.ts';
import { initBackend } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { GaussianProcess, likelihoodModelFor } from '../surrogates/gp/gp.ts';
import { logMarginalLikelihood } from '../surrogates/gp/likelihood.ts';
import { createGpSurrogate } from '../surrogates/gp/surrogate.ts';

/** 3×3 inverse by the adjugate (independent of lib/linalg). */
function inv3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [[number, number, number], [number, number, number], [number, number, number]];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

test('posterior of a 3-point RBF GP matches the hand computation', () => {
  const X = [[0], [1], [2.5]];
  const y = [1, -0.5, 2];
  const h = { lengthscales: [0.8], amplitude: 1.5, noise: 0.1, derivativeNoise: 0, mean: 0 };
  const gp = new GaussianProcess({ kernel: 'rbf', mean: 'zero', normalize: false, hyperparameters: h });
  gp.fit({ X, y }, { rng: new Rng(1) });
  const k = (a: number, b: number) => 2.25 * Math.exp(-0.5 * ((a - b) / 0.8) ** 2);
  const K = X.map(([a]) => X.map(([b]) => k(a!, b!)));
  for (let i = 0; i < 3; i++) K[i]![i]! += 0.01;
  const Ki = inv3(K);
  const xs = 1.7;
  const ks = X.map(([a]) => k(xs, a!));
  const alpha = Ki.map((row) => row.reduce((s, v, j) => s + v * y[j]!, 0));
  const mean = ks.reduce((s, v, i) => s + v * alpha[i]!, 0);
  let quad = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) quad += ks[i]! * Ki[i]![j]! * ks[j]!;
  const p = gp.predict([[xs]]);
  assert.ok(Math.abs(p.mean[0]! - mean) < 1e-12, `mean ${p.mean[0]} vs ${mean}`);
  assert.ok(Math.abs(p.variance[0]! - (2.25 - quad)) < 1e-12, `var ${p.variance[0]} vs ${2.25 - quad}`);
  // log marginal likelihood: −½ yᵀK⁻¹y − ½ log|K| − 3/2 log 2π
  const detK = 1 / (Ki[0]![0]! * (Ki[1]![1]! * Ki[2]![2]! - Ki[1]![2]! * Ki[2]![1]!) - Ki[0]![1]! * (Ki[1]![0]! * Ki[2]![2]! - Ki[1]![2]! * Ki[2]![0]!) + Ki[0]![2]! * (Ki[1]![0]! * Ki[2]![1]! - Ki[1]![1]! * Ki[2]![0]!));
  const lml = -0.5 * y.reduce((s, v, i) => s + v * alpha[i]!, 0) - 0.5 * Math.log(detK) - 1.5 * Math.log(2 * Math.PI);
  assert.ok(Math.abs(gp.logMarginalLikelihood - lml) < 1e-10);
});

test('log-likelihood gradient matches finite differences (RBF and Matérn-5/2, constant mean)', () => {
  const rng = new Rng('grad');
  const X = Array.from({ length: 15 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  const y = X.map(([a, b, c]) => Math.sin(3 * a!) + b! * c! + 0.05 * rng.normal());
  for (const kernel of ['rbf', 'matern52'] as const) {
    const m = likelihoodModelFor({ X, y }, kernel);
    const p = Float64Array.from([Math.log(0.4), Math.log(0.7), Math.log(1.3), Math.log(0.9), Math.log(0.2), 0, 0.3]);
    const v = logMarginalLikelihood(m.model, m.y, p, true);
    for (const k of [0, 1, 2, 3, 4, 6]) {
      const h = 1e-6;
      const pp = Float64Array.from(p);
      pp[k] = p[k]! + h;
      const fp = logMarginalLikelihood(m.model, m.y, pp, false).logML;
      pp[k] = p[k]! - h;
      const fm = logMarginalLikelihood(m.model, m.y, pp, false).logML;
      const fd = (fp - fm) / (2 * h);
      assert.ok(Math.abs(fd - v.grad![k]!) < 1e-5 * Math.max(1, Math.abs(fd)), `${kernel} param ${k}: analytic ${v.grad![k]} vs fd ${fd}`);
    }
  }
});

test('fit recovers a smooth function; duplicate inputs are handled; mean/variance gradients match finite differences', () => {
  const rng = new Rng('fit');
  const X = Array.from({ length: 20 }, () => [rng.uniformRange(-3, 3), rng.uniformRange(-3, 3)]);
  X.push([...X[0]!], [...X[0]!]); // exact duplicates
  const f = (x: readonly number[]) => Math.sin(x[0]!) * Math.cos(0.5 * x[1]!);
  const y = X.map(f);
  for (const kernel of ['rbf', 'matern52'] as const) {
    const gp = new GaussianProcess({ kernel, noise: 0 });
    const rep = gp.fit({ X, y }, { rng });
    assert.ok(Number.isFinite(rep.logML));
    const Xt = Array.from({ length: 50 }, () => [rng.uniformRange(-2.5, 2.5), rng.uniformRange(-2.5, 2.5)]);
    const p = gp.predict(Xt);
    const rmse = Math.sqrt(Xt.reduce((s, x, i) => s + (p.mean[i]! - f(x)) ** 2, 0) / Xt.length);
    assert.ok(rmse < 0.1, `${kernel}: rmse ${rmse}`);
    const x0 = [0.3, -0.7];
    const g = gp.meanGradient(x0);
    const gv = gp.varianceGradient(x0);
    for (let d = 0; d < 2; d++) {
      const h = 1e-5;
      const xp = [...x0];
      const xm = [...x0];
      xp[d]! += h;
      xm[d]! -= h;
      const [pp, pm] = [gp.predict([xp]), gp.predict([xm])];
      assert.ok(Math.abs((pp.mean[0]! - pm.mean[0]!) / (2 * h) - g[d]!) < 1e-5);
      assert.ok(Math.abs((pp.variance[0]! - pm.variance[0]!) / (2 * h) - gv[d]!) < 1e-5);
    }
    const C = gp.predictCovariance([x0, [1, 1]]);
    assert.ok(Math.abs(C[1]! - C[2]!) < 1e-15 && C[0]! >= 0);
  }
});

test('GP surrogate: tfjs predict gradient matches the float64 gradient; state()/load() round trip; tensors do not leak', async () => {
  await initBackend(undefined, { quiet: true });
  const rng = new Rng('sur');
  const theta = Array.from({ length: 25 }, () => [rng.uniformRange(0, 2), rng.uniformRange(-1, 1), rng.uniformRange(0, 1)]);
  const target = theta.map(([a, b, c]) => (a! - 1) ** 2 + 0.5 * b! * b! + Math.sin(3 * c!) + 0.01 * rng.normal());
  for (const kernel of ['rbf', 'matern52'] as const) {
    const s = createGpSurrogate({ kernel });
    await s.fit({ theta, target }, { warmStart: false, rng });
    const x0 = [0.8, 0.2, 0.4];
    const gradFn = tf.grad((t: tf.Tensor) => s.predict(t as tf.Tensor1D));
    const g = tf.tidy(() => gradFn(tf.tensor1d(x0)).arraySync() as number[]);
    const g64 = s.gp().meanGradient(x0);
    const m32 = tf.tidy(() => s.predict(tf.tensor1d(x0)).arraySync() as number);
    const m64 = s.gp().predict([x0]).mean[0]!;
    assert.ok(Math.abs(m32 - m64) < 1e-3 * Math.max(1, Math.abs(m64)), `${kernel} mean ${m32} vs ${m64}`);
    for (let d = 0; d < 3; d++) assert.ok(Math.abs(g[d]! - g64[d]!) < 2e-3 * Math.max(1, Math.abs(g64[d]!)), `${kernel} grad ${d}: ${g[d]} vs ${g64[d]}`);
    // state → JSON → load gives the same predictions
    const st = JSON.parse(JSON.stringify(await s.state()));
    const s2 = createGpSurrogate({ kernel });
    await s2.load(st);
    const p1 = s.gp().predict([x0, [1.5, -0.5, 0.9]]);
    const p2 = s2.gp().predict([x0, [1.5, -0.5, 0.9]]);
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(p1.mean[i]! - p2.mean[i]!) < 1e-9, 'mean after load');
      assert.ok(Math.abs(p1.variance[i]! - p2.variance[i]!) < 1e-9, 'variance after load');
    }
    assert.ok(Math.abs(s.predictVariance!(x0) - p1.variance[0]!) < 1e-15);
    // warm start and repeated predict/grad do not grow the tensor count
    const before = tf.memory().numTensors;
    for (let r = 0; r < 3; r++) {
      await s.fit({ theta, target }, { warmStart: true, rng });
      tf.tidy(() => {
        gradFn(tf.tensor1d(x0));
        s.predict(tf.tensor1d([1, 0, 0.5]));
      });
    }
    assert.is(tf.memory().numTensors, before);
    s.dispose();
    s2.dispose();
  }
  assert.is(tf.memory().numTensors, 0);
});

test('screening on a subset then polishing on all points reaches the full-search optimum', () => {
  const rng = new Rng('screen');
  const X = Array.from({ length: 90 }, () => [rng.uniform(), rng.uniform()]);
  const y = X.map(([a, b]) => Math.sin(5 * a!) + b! * b! + 0.02 * rng.normal());
  const full = new GaussianProcess({ screening: false, restarts: 2 });
  const rFull = full.fit({ X, y }, { rng: new Rng(5) });
  const scr = new GaussianProcess({ screening: { above: 60, size: 30 }, restarts: 2 });
  const rScr = scr.fit({ X, y }, { rng: new Rng(5) });
  assert.ok(rScr.runs.some((r) => r.message.startsWith('subset of 30')));
  assert.ok(rScr.logML > rFull.logML - 1e-3, `screened ${rScr.logML} vs full ${rFull.logML}`);
});

test('bad input names the field', () => {
  const gp = new GaussianProcess();
  assert.throws(() => gp.fit({ X: [[0], [1]], y: [1] }, { rng: new Rng(1) }), /y has 1 entries/);
  assert.throws(() => gp.fit({ X: [[0], [1, 2]], y: [1, 2] }, { rng: new Rng(1) }), /X\[1\] has 2 columns/);
  assert.throws(() => gp.predict([[0]]), /fit\(\) first/);
  assert.throws(() => new GaussianProcess({ noise: -1 }), /noise/);
});

test.run();
