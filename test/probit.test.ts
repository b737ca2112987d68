import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../lib/random.ts';
import { ProbitProblem, ProbitSimulator } from '../lib/simulators/probit.ts';

const count = (o: Uint8Array) => o.reduce((s, v) => s + v, 0);

test('exact rate at the optimum: b0 = −6, ‖b‖ = 1 gives Φ(−6/√2) ≈ 1.1045e-5 (PHYSICS.md §3)', () => {
  const p = new ProbitProblem();
  const opt = p.knownOptimum();
  // Φ(−4.242641) = 1.10452e-5 (tables / scipy.stats.norm.cdf)
  assert.ok(Math.abs(opt.value / 1.10452e-5 - 1) < 1e-4, `t̄(θ*) = ${opt.value}`);
  assert.equal(opt.theta, [0.5, -0.3]);
  // one unit away in θ0 adds κ = 1: Φ(−5/√2) = 2.03476e-4
  assert.ok(Math.abs(p.exactRate([1.5, -0.3]) / 2.03476e-4 - 1) < 1e-4, `t̄ = ${p.exactRate([1.5, -0.3])}`);
  assert.ok(opt.expected([0, 0]) > opt.value);
});

test('averaging t over g(φ) reproduces the exact rate in both fidelities', () => {
  const p = new ProbitProblem({ b0: -3, kappa: 0.7 });
  const rng = new Rng(4);
  for (const f of ['hf', 'lf'] as const) {
    for (const th of [[0.5, -0.3], [-1, 1.2], [1.8, 0.4]]) {
      const n = 100_000;
      const phi = p.samplePhi(n, f, rng);
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const t = p.t(th, [phi[2 * i]!, phi[2 * i + 1]!], f);
        s += t;
        s2 += t * t;
      }
      const mean = s / n;
      const se = Math.sqrt((s2 / n - mean * mean) / n);
      const exact = p.exactRate(th, f);
      assert.ok(Math.abs(mean - exact) < 4 * se, `${f} ${th}: MC ${mean} vs exact ${exact} ± ${se}`);
    }
  }
});

test('simulated trigger counts agree with the exact rate within binomial error; LF is biased but correlated', () => {
  const p = new ProbitProblem({ b0: -4 });
  const rng = new Rng(8);
  const thetas = [[0.5, -0.3], [0, 0], [1, 1], [-1.5, 0.5], [1.5, -1.5]];
  const lf: number[] = [];
  const hf: number[] = [];
  for (const f of ['hf', 'lf'] as const) {
    const sim = new ProbitSimulator(p, f);
    for (const th of thetas) {
      const n = 200_000;
      const b = sim.simulate(th, n, rng);
      const m = count(b.outcome!);
      const mu = n * p.exactRate(th, f);
      assert.ok(Math.abs(m - mu) < 4 * Math.sqrt(mu * (1 - mu / n)), `${f} ${th}: m = ${m}, expected ${mu.toFixed(1)}`);
      (f === 'lf' ? lf : hf).push(p.exactRate(th, f));
    }
  }
  lf.forEach((v, i) => assert.ok(v > hf[i]!, 'LF has more triggers (b0 shifted up, wider g)'));
  // same ordering of designs in both fidelities
  const order = (a: number[]) => a.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
  assert.equal(order(lf), order(hf));
});

test('same seed gives the same events; batches carry φ, outcome and fidelity', () => {
  const sim = new ProbitSimulator(new ProbitProblem({ b0: -2 }), 'lf');
  const a = sim.simulate([0, 0], 1000, new Rng(1));
  const b = sim.simulate([0, 0], 1000, new Rng(1));
  assert.equal(a.phi, b.phi);
  assert.equal(a.outcome, b.outcome);
  assert.is(a.fidelity, 'lf');
  assert.is(a.phiDim, 2);
  assert.is(a.y.length, 1000);
});

test('bad input is named', () => {
  assert.throws(() => new ProbitProblem({ b: [] }), /probit b/);
  assert.throws(() => new ProbitProblem({ lower: 1, upper: 0 }), /bounds/);
  assert.throws(() => new ProbitProblem().exactRate([0]), /theta/);
  assert.throws(() => new ProbitProblem().t([0, 0], [1]), /phiRow/);
  assert.throws(() => new ProbitProblem().exactRate([0, 0], 'mf' as 'lf'), /fidelity/);
});

test.run();
