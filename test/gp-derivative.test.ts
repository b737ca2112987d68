import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../lib/random.ts';
import { kernelFunctional, type KernelParams } from '../surrogates/gp/kernels.ts';
import { GaussianProcess, type GpHyperparameters } from '../surrogates/gp/gp.ts';
import { traceUtility, runBedLoop, utilityGrid } from '../surrogates/gp/bed.ts';
import { maximizeAcquisition } from '../surrogates/gp/acquisition.ts';

test('derivative kernel blocks equal finite differences of the value kernel (seed 004 Eq. 12–13)', () => {
  const rng = new Rng('blocks');
  for (const kind of ['rbf', 'matern52'] as const) {
    const kp: KernelParams = { kind, lengthscales: [0.7, 1.3, 0.4], variance: 2.1 };
    const a = [0.2, -0.4, 0.1];
    const b = [0.5, 0.3, -0.2];
    const h = 1e-5;
    const shift = (x: number[], d: number, s: number) => x.map((v, i) => (i === d ? v + s : v));
    for (let d = 0; d < 3; d++) {
      const fdA = (kernelFunctional(kp, shift(a, d, h), 0, -1, b, 0, -1) - kernelFunctional(kp, shift(a, d, -h), 0, -1, b, 0, -1)) / (2 * h);
      assert.ok(Math.abs(fdA - kernelFunctional(kp, a, 0, d, b, 0, -1)) < 1e-8, `${kind} d=${d} value-derivative`);
      const fdB = (kernelFunctional(kp, a, 0, -1, shift(b, d, h), 0, -1) - kernelFunctional(kp, a, 0, -1, shift(b, d, -h), 0, -1)) / (2 * h);
      assert.ok(Math.abs(fdB - kernelFunctional(kp, a, 0, -1, b, 0, d)) < 1e-8, `${kind} d=${d} derivative-value`);
      for (let e = 0; e < 3; e++) {
        const fd2 = (kernelFunctional(kp, a, 0, d, shift(b, e, h), 0, -1) - kernelFunctional(kp, a, 0, d, shift(b, e, -h), 0, -1)) / (2 * h);
        assert.ok(Math.abs(fd2 - kernelFunctional(kp, a, 0, d, b, 0, e)) < 1e-7, `${kind} d=${d} e=${e} derivative-derivative`);
      }
    }
    // the prior variance of ∂f/∂x_d at one point is −2σ² g'(0)/ℓ_d²: 1/ℓ² (RBF), 5/(3ℓ²) (Matérn-5/2)
    const v = kernelFunctional(kp, a, 0, 1, a, 0, 1);
    const expect = (2.1 * (kind === 'rbf' ? 1 : 5 / 3)) / 1.3 ** 2;
    assert.ok(Math.abs(v - expect) < 1e-12, `${kind} derivative variance ${v} vs ${expect}`);
    void rng;
  }
});

const fixedH: GpHyperparameters = { lengthscales: [1], amplitude: 1, noise: 0, derivativeNoise: 0, mean: 0 };
const f = (x: number) => x * Math.cos(x);
const df = (x: number) => Math.cos(x) - x * Math.sin(x);

test('derivative GP beats the regular GP on y = x cos x from 4 points (seed 004 §5.1, α = ℓ = 1, mean of 5 seeds)', () => {
  const Xt = Array.from({ length: 100 }, (_, i) => [-10 + (20 * i) / 99]);
  let mseReg = 0;
  let mseDer = 0;
  for (let s = 0; s < 5; s++) {
    const rng = new Rng(`xcos${s}`);
    const X = Array.from({ length: 4 }, () => [rng.uniformRange(-10, 10)]);
    const y = X.map(([x]) => f(x!));
    const reg = new GaussianProcess({ mean: 'zero', normalize: false, hyperparameters: fixedH });
    reg.fit({ X, y }, { rng });
    const der = new GaussianProcess({ mean: 'zero', normalize: false, hyperparameters: fixedH });
    der.fit({ X, y, derivatives: X.map(([x], i) => ({ point: i, dim: 0, value: df(x!) })) }, { rng });
    const pr = reg.predict(Xt).mean;
    const pd = der.predict(Xt).mean;
    Xt.forEach(([x], i) => {
      mseReg += (pr[i]! - f(x!)) ** 2 / 500;
      mseDer += (pd[i]! - f(x!)) ** 2 / 500;
    });
    // the noise-free derivative GP reproduces the observed slopes
    X.forEach(([x]) => assert.ok(Math.abs(der.meanGradient([x!])[0]! - df(x!)) < 1e-4));
  }
  assert.ok(mseDer < mseReg, `derivative MSE ${mseDer} vs regular ${mseReg}`);
});

test('a subset of derivative dimensions per point: the observed partial is reproduced', () => {
  const g = (x: readonly number[]) => Math.sin(x[0]!) + x[1]! * x[1]!;
  const X = [[0, 0], [1, 0.5], [-1, 1]];
  const der = new GaussianProcess({ normalize: false, mean: 'zero', hyperparameters: { lengthscales: [1, 1], amplitude: 1, noise: 1e-6, derivativeNoise: 1e-6, mean: 0 } });
  der.fit({ X, y: X.map(g), derivatives: [{ point: 1, dim: 0, value: Math.cos(1) }, { point: 2, dim: 1, value: 2 }] }, { rng: new Rng(1) });
  assert.ok(Math.abs(der.meanFunctional({ x: [1, 0.5], d: 0 }) - Math.cos(1)) < 1e-4);
  assert.ok(Math.abs(der.meanFunctional({ x: [-1, 1], d: 1 }) - 2) < 1e-4);
  // derivative-only point: value not observed (null)
  const only = new GaussianProcess({ normalize: false, mean: 'zero', hyperparameters: { lengthscales: [1, 1], amplitude: 1, noise: 1e-6, derivativeNoise: 1e-6, mean: 0 } });
  only.fit({ X: [[0, 0], [2, 2]], y: [0, null], derivatives: [{ point: 1, dim: 0, value: 0.7 }] }, { rng: new Rng(1) });
  assert.ok(Math.abs(only.meanFunctional({ x: [2, 2], d: 0 }) - 0.7) < 1e-4);
});

test('posterior variances at noise-free value and derivative data are ≥ 0 (k − ‖w‖² rounds below 0 unclamped)', () => {
  let min = Infinity;
  for (const kernel of ['rbf', 'matern52'] as const) {
    for (const ls of [0.3, 1, 3]) {
      const X = Array.from({ length: 40 }, (_, i) => [i / 39, ((i * 7) % 13) / 12]);
      const derivatives = X.flatMap((x, i) => [{ point: i, dim: 0, value: 4 * Math.cos(4 * x[0]!) }, { point: i, dim: 1, value: 1 }]);
      const gp = new GaussianProcess({ kernel, hyperparameters: { lengthscales: [ls, ls], amplitude: 1, noise: 0, derivativeNoise: 0, mean: 0 } });
      gp.fit({ X, y: X.map((x) => Math.sin(4 * x[0]!) + x[1]!), derivatives }, { rng: new Rng(1) });
      const queries = X.flatMap((x) => [{ x }, { x, d: 0 }, { x, d: 1 }]);
      const { cov } = gp.posterior(queries);
      for (let i = 0; i < queries.length; i++) min = Math.min(min, cov[i * queries.length + i]!);
    }
  }
  assert.ok(min >= 0, `smallest posterior variance ${min}`);
});

function traceAfterRefit(X: number[][], y: number[], Xu: number[][], withGrad: boolean, xNew: number): number {
  const gp = new GaussianProcess({ mean: 'zero', normalize: false, hyperparameters: { ...fixedH, noise: 1e-3, derivativeNoise: 1e-3 } });
  const XX = [...X, [xNew]];
  const yy = [...y, 0.123]; // the fictitious value does not matter for the covariance
  const derivatives = withGrad ? XX.map(([x], i) => ({ point: i, dim: 0, value: i < X.length ? df(x!) : 0.5 })) : [];
  gp.fit({ X: XX, y: yy, derivatives }, { rng: new Rng(1) });
  return gp.predict(Xu).variance.reduce((a, b) => a + b, 0);
}

test('BED trace utility by rank-one update equals refitting with the augmented data', () => {
  const X = [[-6], [-1], [3]];
  const y = X.map(([x]) => f(x!));
  const Xu = utilityGrid([-10], [10], 41);
  for (const withGrad of [false, true]) {
    const gp = new GaussianProcess({ mean: 'zero', normalize: false, hyperparameters: { ...fixedH, noise: 1e-3, derivativeNoise: 1e-3 } });
    gp.fit({ X, y, derivatives: withGrad ? X.map(([x], i) => ({ point: i, dim: 0, value: df(x!) })) : [] }, { rng: new Rng(1) });
    const tr = gp.predict(Xu).variance.reduce((a, b) => a + b, 0);
    const U = traceUtility(gp, Xu, withGrad);
    for (const xNew of [-8.3, 0.7, 6.1]) {
      const expected = 1 - traceAfterRefit(X, y, Xu, withGrad, xNew) / tr;
      assert.ok(Math.abs(U([xNew]) - expected) < 1e-8, `withGrad=${withGrad} x=${xNew}: ${U([xNew])} vs ${expected}`);
    }
  }
});

test('BED loop samples away from the data first and lowers Tr(Σ_test); feasibility zeroes the acquisition', () => {
  const Xu = utilityGrid([-10], [10], 50);
  const traces: number[] = [];
  const res = runBedLoop({
    sample: (x) => ({ y: f(x[0]!), gradient: [df(x[0]!)] }),
    makeGp: () => new GaussianProcess({ mean: 'zero', normalize: false, hyperparameters: fixedH }),
    initialX: [[-10], [-9]],
    iterations: 4,
    lower: [-10],
    upper: [10],
    utilityInput: Xu,
    rng: new Rng('bed'),
    onFit: (gp) => traces.push(gp.predict(Xu).variance.reduce((a, b) => a + b, 0)),
  });
  assert.ok(res.X[2]![0]! > -7, `first BED point ${res.X[2]![0]}`);
  for (let i = 1; i < traces.length; i++) assert.ok(traces[i]! < traces[i - 1]!, `trace ${traces}`);
  res.utilities.forEach((u) => assert.ok(u > 0 && u < 1));
  const best = maximizeAcquisition((x) => 1 - (x[0]! - 0.8) ** 2, { lower: [0], upper: [1], rng: new Rng(2), feasible: (x) => x[0]! <= 0.5 });
  assert.ok(Math.abs(best.x[0]! - 0.5) < 1e-3, `constrained maximum at ${best.x[0]}`);
});

test.run();
