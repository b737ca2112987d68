// The 1-D piecewise-linear flow surrogate (seed 002, Eq. 1, Algorithm 2):
// bijection, exact density, training on a known conditional distribution,
// differentiable predict, transfer learning, state round trip, tensor hygiene.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import type { SurrogateData } from '../lib/contracts.ts';
import { Flow1DSurrogate, type Flow1DState } from '../surrogates/flow1d.ts';
import { normalCdf, normalQuantile, normalPdf } from '../lib/special.ts';
import { rejects } from './fixtures/assert-async.ts';
const normalLogPdf = (z: number): number => Math.log(normalPdf(z));

await initBackend(undefined, { quiet: true });

// Known conditional distribution: log δ ~ N(A·θ + B·x, S), x ~ U(1, 20), θ ~ N(5, 1.5).
const A = -0.3;
const B = 0.05;
const S = 0.4;

function syntheticData(K: number, M: number, seed: number): SurrogateData {
  const rng = new Rng(seed);
  const theta: number[][] = [];
  for (let k = 0; k < K; k++) theta.push([5 + 1.5 * rng.normal()]);
  const n = K * M;
  const candidate = new Int32Array(n);
  const x = new Float32Array(n);
  const delta = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / M);
    candidate[i] = k;
    x[i] = rng.uniformRange(1, 20);
    delta[i] = Math.exp(A * theta[k]![0]! + B * x[i]! + S * rng.normal());
  }
  return { theta, target: theta.map(() => 0), events: { candidate, x, xDim: 1, delta } };
}

/** E[δ](θ) averaged over x ~ U(1, 20): exp(Aθ + S²/2)·mean_x exp(Bx), by a fine midpoint rule. */
function trueMeanDelta(th: number): number {
  let s = 0;
  const n = 4000;
  for (let j = 0; j < n; j++) s += Math.exp(A * th + B * (1 + (19 * (j + 0.5)) / n) + (S * S) / 2);
  return s / n;
}

function predictAndGrad(f: Flow1DSurrogate, th: number): { value: number; grad: number } {
  return tf.tidy(() => {
    const t = tf.tensor1d([th]);
    const { value, grads } = tf.valueAndGrads((v: tf.Tensor) => f.predict(v as tf.Tensor1D))([t]);
    return { value: value.dataSync()[0]!, grad: grads[0]!.dataSync()[0]! };
  });
}

test('Φ and Φ⁻¹ match reference values and invert each other', () => {
  assert.ok(Math.abs(normalCdf(1) - 0.8413447461) < 2e-7);
  assert.ok(Math.abs(normalCdf(-3) - 0.0013498980) < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306) < 1e-8);
  for (const p of [1e-6, 0.01, 0.1, 0.3, 0.5, 0.77, 0.99, 1 - 1e-6]) {
    assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) / Math.min(p, 1 - p) < 3e-6, `p = ${p}`);
  }
  assert.throws(() => normalQuantile(1.5), /p must be in/);
});

// An untrained flow with sizeable random weights: every property below holds for any weights.
const rough = new Flow1DSurrogate({ nBins: 16, outputInitScale: 3, predictSamples: 50 });
await rough.fit(syntheticData(6, 50, 1), { warmStart: false, rng: new Rng(2), epochs: [0, 0, 0] });
const conditions: [number, number][] = [
  [2, 4],
  [10, 5],
  [18, 6.5],
];

test('inverse(forward(w)) = w and forward(inverse(z)) = z', () => {
  const g = rough.grid!;
  const w = Array.from({ length: 41 }, (_, i) => g.wMin + ((g.wMax - g.wMin) * (i + 0.5)) / 41);
  for (const [x, th] of conditions) {
    const z = rough.forward(w, [x], [th]);
    const back = rough.inverse(z, [x], [th]);
    w.forEach((wi, i) => assert.ok(Math.abs(back[i]! - wi) < 1e-4 * (g.wMax - g.wMin), `w = ${wi}: got ${back[i]}`));
    const z2 = [-2.5, -1, 0, 0.3, 1.7];
    const zz = rough.forward(rough.inverse(z2, [x], [th]), [x], [th]);
    z2.forEach((zi, i) => assert.ok(Math.abs(zz[i]! - zi) < 2e-3, `z = ${zi}: got ${zz[i]}`));
  }
});

test('the density of w integrates to 1 for several conditions', () => {
  const g = rough.grid!;
  // The density is constant on each bin, so a midpoint rule with whole sub-steps per bin is exact.
  const per = 8;
  const nPts = g.nBins * per;
  const h = (g.wMax - g.wMin) / nPts;
  const w = Array.from({ length: nPts }, (_, i) => g.wMin + (i + 0.5) * h);
  for (const [x, th] of conditions) {
    const lp = rough.logProb(w, [x], [th]);
    const integral = lp.reduce((s, v) => s + Math.exp(v) * h, 0);
    assert.ok(Math.abs(integral - 1) < 1e-4, `∫p(w)dw = ${integral} at x=${x}, θ=${th}`);
    // and the shape is far from uniform, so the test is not trivial
    const spread = Math.max(...lp) - Math.min(...lp);
    assert.ok(spread > 1, `log-density spread ${spread}`);
  }
});

test('log p(w) = log N(z) + log dz/dw (exact log-det vs finite differences)', () => {
  const g = rough.grid!;
  const bw = (g.wMax - g.wMin) / g.nBins;
  const eps = bw * 1e-2;
  // points at 30 % and 70 % of a few bins, so w ± eps stays inside one bin
  const w: number[] = [];
  for (const b of [1, 5, 8, 12, 14]) for (const f of [0.3, 0.7]) w.push(g.wMin + (b + f) * bw);
  for (const [x, th] of conditions) {
    const z = rough.forward(w, [x], [th]);
    const zp = rough.forward(w.map((v) => v + eps), [x], [th]);
    const zm = rough.forward(w.map((v) => v - eps), [x], [th]);
    const lp = rough.logProb(w, [x], [th]);
    w.forEach((_, i) => {
      const logDet = Math.log((zp[i]! - zm[i]!) / (2 * eps));
      const viaChange = normalLogPdf(z[i]!) + logDet;
      assert.ok(Math.abs(viaChange - lp[i]!) < 2e-3, `w[${i}]: log N(z)+log|dz/dw| = ${viaChange}, logProb = ${lp[i]}`);
    });
  }
});

// Train once on K = 30 candidates × M = 500 events (10–20 s on a busy 2-core machine); a
// higher learning rate than Table 3 so one cold fit converges.
const data = syntheticData(30, 500, 11);
const flow = new Flow1DSurrogate({ hidden: 32, learningRates: [1e-3, 3e-4, 3e-5], epochs: [12, 4, 2], predictSamples: 1000 });
const report = await flow.fit(data, { warmStart: false, rng: new Rng(12) });

test('trained flow: NLL near the true entropy, quantiles match the truth', () => {
  // differential entropy of N(·, S) = ½ log(2πe S²) ≈ 0.503; the bins add a little
  const entropy = 0.5 * Math.log(2 * Math.PI * Math.E * S * S);
  assert.ok(report.loss > entropy - 0.05 && report.loss < entropy + 0.12, `NLL ${report.loss} vs entropy ${entropy}`);
  for (const th of [4.5, 5.5]) {
    for (const x of [6, 14]) {
      const mu = A * th + B * x;
      for (const [q, zq] of [
        [0.1, -1.2816],
        [0.5, 0],
        [0.9, 1.2816],
      ] as const) {
        const got = Math.log(flow.quantile(q, [x], [th])[0]!);
        const want = mu + S * zq;
        assert.ok(Math.abs(got - want) < 0.1, `q${q} at θ=${th}, x=${x}: log δ ${got.toFixed(3)} vs ${want.toFixed(3)}`);
      }
    }
  }
});

test('predict ≈ E[δ] and its θ-gradient ≈ A·E[δ] (Algorithm 2, step 8)', () => {
  for (const th of [4.5, 5.5]) {
    const { value, grad } = predictAndGrad(flow, th);
    const truth = trueMeanDelta(th);
    assert.ok(Math.abs(value / truth - 1) < 0.08, `E[δ] at θ=${th}: ${value} vs ${truth}`);
    assert.ok(grad < 0, `gradient sign at θ=${th}: ${grad}`);
    assert.ok(Math.abs(grad / (A * truth) - 1) < 0.2, `dE[δ]/dθ at θ=${th}: ${grad} vs ${A * truth}`);
  }
  // predict is deterministic (common random numbers)
  assert.is(predictAndGrad(flow, 5).value, predictAndGrad(flow, 5).value);
});

test("predictMode 'expectation' agrees with the sample average", async () => {
  const st = await flow.state();
  st.options.predictMode = 'expectation';
  const exact = new Flow1DSurrogate();
  await exact.load(st);
  for (const th of [4.5, 5.5]) {
    const a = predictAndGrad(flow, th);
    const b = predictAndGrad(exact, th);
    assert.ok(Math.abs(a.value / b.value - 1) < 0.05, `samples ${a.value} vs expectation ${b.value}`);
    assert.ok(Math.abs(a.grad / b.grad - 1) < 0.2, `gradients ${a.grad} vs ${b.grad}`);
  }
  exact.dispose();
});

test('state()/load() round trip predicts identically (value and gradient)', async () => {
  const st = JSON.parse(JSON.stringify(await flow.state())) as Flow1DState;
  const copy = new Flow1DSurrogate();
  await copy.load(st);
  for (const th of [4, 5.2, 6.1]) assert.equal(predictAndGrad(copy, th), predictAndGrad(flow, th));
  assert.equal(Array.from(copy.quantile(0.3, [7], [5])), Array.from(flow.quantile(0.3, [7], [5])));
  copy.dispose();
});

test('warm start keeps the fit; cold start forgets it', async () => {
  const copy = new Flow1DSurrogate();
  await copy.load(await flow.state());
  const before = Array.from(copy.logProb([-1.5, -1, -0.5], [10], [5]));
  const qBefore = copy.quantile(0.5, [10], [5])[0]!;
  await copy.fit(data, { warmStart: true, rng: new Rng(99), epochs: [0, 0, 0] });
  assert.equal(Array.from(copy.logProb([-1.5, -1, -0.5], [10], [5])), before);
  // predict draws fresh (z, x) samples at every fit: same function, other Monte-Carlo points
  assert.ok(Math.abs(predictAndGrad(copy, 5).value / trueMeanDelta(5) - 1) < 0.12);
  await copy.fit(data, { warmStart: false, rng: new Rng(99), epochs: [0, 0, 0] });
  // re-initialised: back to the marginal histogram, which ignores θ — the median at θ = 5 moves
  const qCold = copy.quantile(0.5, [10], [5])[0]!;
  assert.ok(Math.abs(Math.log(qCold) - Math.log(qBefore)) > 0.1, `cold ${qCold} vs warm ${qBefore}`);
  const low = Math.log(copy.quantile(0.5, [10], [3.5])[0]!);
  const high = Math.log(copy.quantile(0.5, [10], [6.5])[0]!);
  assert.ok(Math.abs(high - low) < 0.3, `untrained median should hardly depend on θ (Δ = ${high - low})`);
  copy.dispose();
});

test('tensor count does not grow over repeated fit / predict / gradient', async () => {
  const f = new Flow1DSurrogate({ nBins: 16, hidden: 16, epochs: [1, 0, 0], predictSamples: 64 });
  const small = syntheticData(4, 100, 5);
  const rng = new Rng(6);
  await f.fit(small, { warmStart: false, rng });
  predictAndGrad(f, 5);
  const start = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    await f.fit(small, { warmStart: i % 2 === 0, rng });
    predictAndGrad(f, 5);
    f.quantile(0.5, [3], [5]);
    f.logProb([0], [3], [5]);
    f.sample([0.1], [3], [5]);
    await f.load(await f.state());
  }
  assert.is(tf.memory().numTensors, start);
  f.dispose();
  assert.is(tf.memory().numTensors, start - 6 - 2);
});

test('bad input gets errors that name the field', async () => {
  const f = new Flow1DSurrogate();
  assert.throws(() => f.predict(tf.tensor1d([1])), /not been fitted/);
  const rng = new Rng(1);
  const d = syntheticData(2, 10, 3);
  await rejects(f.fit({ theta: d.theta, target: d.target }, { warmStart: false, rng }), /data\.events/);
  const bad = syntheticData(2, 10, 3);
  bad.events!.delta[3] = -1;
  await rejects(f.fit(bad, { warmStart: false, rng }), /delta\[3\]/);
  const badC = syntheticData(2, 10, 3);
  badC.events!.candidate[4] = 7;
  await rejects(f.fit(badC, { warmStart: false, rng }), /candidate\[4\]/);
  assert.throws(() => new Flow1DSurrogate({ nBins: 1 }), /nBins/);
  assert.throws(() => new Flow1DSurrogate({ epochs: [1, 2] }), /epochs/);
});

test.run();
