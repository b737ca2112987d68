import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, RandomStreams } from '../lib/random.ts';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

test('same seed gives the same draws; saved state resumes the stream exactly', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 10; i++) assert.is(a.normal(), b.normal());
  const st = a.state();
  const next = [a.uniform(), a.gamma(2.5), a.poisson(30), a.binomial(500, 0.2)];
  const c = Rng.fromState(st);
  assert.equal([c.uniform(), c.gamma(2.5), c.poisson(30), c.binomial(500, 0.2)], next);
});

test('named streams are independent of creation order', () => {
  const s1 = new RandomStreams(7);
  const s2 = new RandomStreams(7);
  s1.stream('a').uniform();
  const fromS1 = s1.stream('b').uniform();
  const fromS2 = s2.stream('b').uniform();
  assert.is(fromS1, fromS2);
  const restored = new RandomStreams(7);
  restored.restore(s1.state());
  assert.is(restored.stream('b').uniform(), s1.stream('b').uniform());
});

test('distribution moments match theory (n = 40000, 5 standard errors)', () => {
  const r = new Rng('moments');
  const n = 40000;
  const check = (name: string, m: { mean: number; variance: number }, mean: number, variance: number) => {
    const se = Math.sqrt(variance / n);
    assert.ok(Math.abs(m.mean - mean) < 5 * se, `${name} mean ${m.mean} vs ${mean}`);
    assert.ok(Math.abs(m.variance - variance) / variance < 0.05, `${name} variance ${m.variance} vs ${variance}`);
  };
  check('normal', moments(() => r.normal(1, 2), n), 1, 4);
  check('gamma(0.4)', moments(() => r.gamma(0.4, 2), n), 0.8, 1.6);
  check('gamma(3)', moments(() => r.gamma(3), n), 3, 3);
  check('beta(2,5)', moments(() => r.beta(2, 5), n), 2 / 7, (2 * 5) / (49 * 8));
  check('poisson(3)', moments(() => r.poisson(3), n), 3, 3);
  check('poisson(80)', moments(() => r.poisson(80), n), 80, 80);
  check('binomial(20,0.3)', moments(() => r.binomial(20, 0.3), n), 6, 4.2);
  check('binomial(10000,0.01)', moments(() => r.binomial(10000, 0.01), n), 100, 99);
});

test('Beta(0.1, 0.1) mixup weights pile up at 0 and 1 with mean 1/2', () => {
  const r = new Rng(3);
  const n = 20000;
  let extreme = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = r.beta(0.1, 0.1);
    assert.ok(v >= 0 && v <= 1);
    if (v < 0.05 || v > 0.95) extreme++;
    sum += v;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.02);
  assert.ok(extreme / n > 0.6, `fraction near 0 or 1: ${extreme / n}`);
});

test('multivariate normal reproduces its covariance', () => {
  const r = new Rng(5);
  // cov = [[1, .5], [.5, 2]], L = chol(cov)
  const l11 = 1;
  const l21 = 0.5;
  const l22 = Math.sqrt(2 - 0.25);
  const L = [l11, 0, l21, l22];
  let sxy = 0;
  let syy = 0;
  const n = 40000;
  for (let i = 0; i < n; i++) {
    const v = r.multivariateNormal([0, 0], L);
    sxy += v[0]! * v[1]!;
    syy += v[1]! * v[1]!;
  }
  assert.ok(Math.abs(sxy / n - 0.5) < 0.04);
  assert.ok(Math.abs(syy / n - 2) < 0.06);
});

test('Latin hypercube has one point in every stratum of every dimension', () => {
  const r = new Rng(9);
  const pts = r.latinHypercube(50, 3);
  for (let j = 0; j < 3; j++) {
    const strata = new Set(pts.map((p) => Math.floor(p[j]! * 50)));
    assert.is(strata.size, 50);
  }
});

test.run();
