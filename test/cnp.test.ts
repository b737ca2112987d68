import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { tf } from '../lib/tf.ts';
import { Rng } from '../lib/random.ts';
import type { EventBatch } from '../lib/contracts.ts';
import { spearman } from '../lib/stats.ts';
import { ProbitProblem, ProbitSimulator } from '../lib/simulators/probit.ts';
import { Cnp, trainCnp, type CnpOptions } from '../surrogates/cnp.ts';
import { decodeFloat32, encodeFloat32 } from '../lib/nn.ts';
import { buildTable, computeNorm, drawMixup, drawStep } from '../surrogates/cnp-data.ts';

await initBackend(undefined, { quiet: true });

// A probit problem with rates 10⁻³–10⁻¹ so a few thousand events per design hold some signal.
const problem = new ProbitProblem({ b0: -4, kappa: 0.45 });
const sim = new ProbitSimulator(problem, 'hf');
const dataRng = new Rng('cnp-test-data');
const thetas = Array.from({ length: 10 }, (_, i) => [-1.8 + (3.6 * i) / 9 + dataRng.uniformRange(-0.1, 0.1), dataRng.uniformRange(-2, 2)]);
const train: EventBatch[] = thetas.map((th) => sim.simulate(th, 3000, dataRng));
const valid: EventBatch[] = thetas.map((th) => sim.simulate(th, 3000, dataRng));
const OPTS: CnpOptions = { hidden: 32, representation: 8, steps: 250, designsPerStep: 5, eventsPerDesign: 32, mixupPairs: 96, contextSize: 24, learningRate: 3e-3 };


test('mixup keeps labels in [0, 1], pairs signal with background, and gives the intended balance', () => {
  const table = buildTable(train, computeNorm(train));
  assert.ok(table.signal.length > 20, `signal events: ${table.signal.length}`);
  const rng = new Rng(1);
  const mix = drawMixup(table, 4000, 0.1, rng);
  let mean = 0;
  let extreme = 0;
  for (let i = 0; i < 4000; i++) {
    assert.is(table.labels[mix.signalRows[i]!], 1);
    assert.is(table.labels[mix.backgroundRows[i]!], 0);
    const l = mix.lambda[i]!;
    assert.ok(l >= 0 && l <= 1);
    mean += l / 4000;
    if (l < 0.1 || l > 0.9) extreme++;
  }
  // Beta(0.1, 0.1): mean ½, U-shaped (P(λ < 0.1 or λ > 0.9) ≈ 0.76)
  assert.ok(Math.abs(mean - 0.5) < 0.03, `mean λ ${mean}`);
  assert.ok(extreme / 4000 > 0.65 && extreme / 4000 < 0.85, `U shape ${extreme / 4000}`);
  const opts = { designsPerStep: 4, eventsPerDesign: 25, mixupPairs: 100, mixupAlpha: 0.1, contextSize: 16 };
  const step = drawStep(table, opts, rng);
  assert.is(step.labels.length, 200);
  assert.is(step.mixed, 100);
  for (const v of step.labels) assert.ok(v >= 0 && v <= 1);
  // the mixed half carries half of the label mass on average, whatever the raw imbalance
  let mixedMass = 0;
  for (let i = 100; i < 200; i++) {
    mixedMass += step.labels[i]!;
    assert.is(step.labels[i], step.weightA[i]);
  }
  assert.ok(mixedMass > 30 && mixedMass < 70, `mixed label mass ${mixedMass}`);
  assert.is(step.context.length, step.groups * 16 * (table.thetaDim + table.phiDim + 1));
});

test('trained on the probit toy, the mean CNP score tracks the exact rate across designs; σ learns', () => {
  const before = new Cnp(computeNorm(train), OPTS, new Rng('cnp-a'));
  const sigmaBefore = before.predict(valid[5]!).sigma;
  before.dispose();
  const cnp = trainCnp(train, OPTS, new Rng('cnp-a'));
  const exact = thetas.map((th) => problem.exactRate(th));
  const scores = valid.map((b) => cnp.designScore(b));
  const rho = spearman(exact, scores);
  assert.ok(rho > 0.8, `rank correlation ${rho.toFixed(3)} (scores ${scores.map((s) => s.toExponential(2))})`);
  for (const b of valid) for (const v of cnp.score(b)) assert.ok(v > 0 && v < 1);
  // undoing the mixup prior shift puts the scores back on the scale of t̄
  const estimates = valid.map((b) => cnp.rateEstimate(b));
  const ratio = estimates.reduce((s, v) => s + v, 0) / exact.reduce((s, v) => s + v, 0);
  assert.ok(ratio > 0.6 && ratio < 1.6, `Σ rateEstimate / Σ t̄ = ${ratio.toFixed(3)}`);
  assert.ok(spearman(exact, estimates) > 0.8);
  // one constant from the training events puts the mean score on the scale of t̄, ranking as y_CNP does
  const scaled = valid.map((b) => cnp.scaledScore(b));
  const scaledRatio = scaled.reduce((s, v) => s + v, 0) / exact.reduce((s, v) => s + v, 0);
  assert.ok(scaledRatio > 0.6 && scaledRatio < 1.6, `Σ scaledScore / Σ t̄ = ${scaledRatio.toFixed(3)}`);
  scaled.forEach((v, i) => assert.ok(Math.abs(v / scores[i]! - cnp.scale) < 1e-9 * cnp.scale));
  // the variance head moved, and it is larger where the score is larger (label spread ≈ μ(1 − μ))
  const all = valid.map((b) => cnp.predict(b));
  const sigmaAfter = all[5]!.sigma;
  let change = 0;
  for (let i = 0; i < sigmaAfter.length; i++) change += Math.abs(sigmaAfter[i]! - sigmaBefore[i]!) / sigmaBefore[i]!;
  assert.ok(change / sigmaAfter.length > 0.2, `σ changed by ${(change / sigmaAfter.length).toFixed(3)} on average`);
  const pairs: [number, number][] = [];
  for (const p of all) for (let i = 0; i < p.mu.length; i += 7) pairs.push([p.mu[i]!, p.sigma[i]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const q = Math.floor(pairs.length / 4);
  const lowSigma = pairs.slice(0, q).reduce((s, p) => s + p[1], 0) / q;
  const highSigma = pairs.slice(-q).reduce((s, p) => s + p[1], 0) / q;
  assert.ok(highSigma > lowSigma, `σ for high scores ${highSigma} vs low ${lowSigma}`);
  cnp.dispose();
});

test('same seed gives the same model; state() and fromState() round-trip exactly; tensors do not leak', () => {
  const small: CnpOptions = { ...OPTS, steps: 40 };
  const a = trainCnp(train.slice(0, 6), small, new Rng('seed-7'));
  const b = trainCnp(train.slice(0, 6), small, new Rng('seed-7'));
  assert.equal(Array.from(a.score(valid[2]!)), Array.from(b.score(valid[2]!)));
  const c = Cnp.fromState(JSON.parse(JSON.stringify(a.state())));
  assert.equal(Array.from(c.score(valid[3]!)), Array.from(a.score(valid[3]!)));
  b.dispose();
  c.dispose();
  // repeated training and prediction leave the tensor count where it was
  a.train(train, new Rng(1), 5);
  a.designSummary(valid[0]!);
  const n0 = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    a.train(train, new Rng(i), 5);
    a.designScore(valid[i]!);
    a.predict(valid[i + 1]!);
  }
  assert.is(tf.memory().numTensors, n0);
  a.dispose();
});

test('a score that rounds to exactly 1 (logit above ~17.3 in float32) keeps the odds read-out finite', () => {
  const odds = trainCnp(train.slice(0, 6), { ...OPTS, steps: 40, rateFrom: 'odds' }, new Rng('odds'));
  const state = odds.state();
  const out = state.decoder[state.decoder.length - 1]!; // the output layer's bias: [logit, σ]
  const bias = decodeFloat32(out.data);
  bias[0] = bias[0]! + 25;
  out.data = encodeFloat32(bias);
  const saturated = Cnp.fromState(state);
  assert.ok(saturated.score(valid[0]!).some((v) => v === 1), 'some scores are exactly 1');
  assert.ok(Number.isFinite(saturated.rate(valid[0]!)), `rate ${saturated.rate(valid[0]!)}`);
  assert.ok(saturated.eventRates(valid[0]!).every(Number.isFinite));
  saturated.dispose();
  odds.dispose();
});

test('useTheta: false keeps θ out of the networks: the same events score the same at any design', () => {
  const cnp = trainCnp(train, { ...OPTS, steps: 20, useTheta: false }, new Rng('cnp-no-theta'));
  assert.is(cnp.thetaDim, 0);
  const b = valid[3]!;
  const moved = { ...b, theta: b.theta.map((v) => v + 1.5) };
  assert.equal(Array.from(cnp.score(moved)), Array.from(cnp.score(b)));
  // with θ the same events score differently at another design
  const withTheta = trainCnp(train, { ...OPTS, steps: 20 }, new Rng('cnp-no-theta'));
  assert.not.equal(Array.from(withTheta.score(moved)), Array.from(withTheta.score(b)));
  // the option survives the state round trip
  const copy = Cnp.fromState(JSON.parse(JSON.stringify(cnp.state())));
  assert.equal(Array.from(copy.score(moved)), Array.from(cnp.score(b)));
  for (const c of [cnp, withTheta, copy]) c.dispose();
});

test('bad input is named', () => {
  assert.throws(() => trainCnp(train, { useTheta: 'no' as unknown as boolean }, new Rng(1)), /options\.useTheta/);
  assert.throws(() => trainCnp([], {}, new Rng(1)), /batches/);
  assert.throws(() => trainCnp(train, { hidden: 0 }, new Rng(1)), /options\.hidden/);
  const noPhi = { ...train[0]!, phi: undefined };
  assert.throws(() => trainCnp([noPhi], {}, new Rng(1)), /batches\[0\]/);
  assert.throws(() => Cnp.fromState({ kind: 'mlp' }), /state/);
});

test.run();
