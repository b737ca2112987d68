import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import type { EventBatch } from '../lib/contracts.ts';
import { Cnp, trainCnp, type CnpOptions } from '../surrogates/cnp.ts';
import { appendFourier, drawFourierMap } from '../surrogates/cnp-fourier.ts';

await initBackend(undefined, { quiet: true });

test('appendFourier adds sin and cos of frequency · chosen φ columns; count 0 leaves the rows alone', () => {
  // two rows of θ ‖ φ = (θ0 | φ0, φ1); one frequency vector on φ column 1
  const rows = Float32Array.from([5, 0.1, 0.7, 6, -0.3, 1.2]);
  const map = { columns: [1], frequencies: [2], count: 1 };
  const out = appendFourier(rows, 2, 3, 1, map);
  assert.is(out.length, 2 * 5);
  assert.equal(Array.from(out.subarray(0, 3)), Array.from(rows.subarray(0, 3)));
  assert.ok(Math.abs(out[3]! - Math.sin(2 * 0.7)) < 1e-6);
  assert.ok(Math.abs(out[4]! - Math.cos(2 * 0.7)) < 1e-6);
  assert.ok(Math.abs(out[8]! - Math.sin(2 * 1.2)) < 1e-6);
  assert.is(appendFourier(rows, 2, 3, 1, { ...map, count: 0 }), rows);
  const drawn = drawFourierMap(8, 1.5, [0, 2], 3, new Rng('ff'));
  assert.is(drawn.frequencies.length, 16);
  assert.equal(drawn, drawFourierMap(8, 1.5, [0, 2], 3, new Rng('ff')));
  assert.throws(() => drawFourierMap(8, 1.5, [3], 3, new Rng(1)), /fourierColumns\[0\]: 3 is not a φ column/);
  assert.throws(() => drawFourierMap(8, 0, [0], 3, new Rng(1)), /fourierScale/);
});

// φ = (u, v) uniform; signal only in a thin box u ∈ [0.45, 0.5) with t = 0.02 and a
// broad band u < 0.3 with t = 0.002 (v is noise): the moderator's thermal captures in
// the array against its fast ones, in one dimension.
const tOf = (u: number) => (u >= 0.45 && u < 0.5 ? 0.02 : u < 0.3 ? 0.002 : 0);
function toyBatch(rng: Rng, n: number): EventBatch {
  const phi = new Float32Array(2 * n);
  const outcome = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    phi[2 * i] = u;
    phi[2 * i + 1] = rng.uniform();
    outcome[i] = rng.uniform() < tOf(u) ? 1 : 0;
  }
  return { theta: [0], n, x: phi, xDim: 2, y: new Float32Array(n), yDim: 1, phi, phiDim: 2, outcome };
}
const dataRng = new Rng('cnp-fourier-toy');
const train = Array.from({ length: 20 }, () => toyBatch(dataRng, 5000));
const probe = toyBatch(dataRng, 50_000);
const OPTS: CnpOptions = { hidden: 32, representation: 8, steps: 250, designsPerStep: 5, eventsPerDesign: 32, mixupPairs: 96, contextSize: 24, learningRate: 3e-3, useTheta: false };

/** (mean per-event rate ÷ t in the thin box) / (the same in the broad band): 1 when the rate is proportional to t. */
function boxOverBand(cnp: Cnp, fromOdds: boolean): number {
  const beta = cnp.score(probe);
  const sum = [0, 0];
  const count = [0, 0];
  for (let i = 0; i < probe.n; i++) {
    const t = tOf(probe.phi![2 * i]!);
    if (t === 0) continue;
    const c = t === 0.02 ? 0 : 1;
    sum[c]! += fromOdds ? beta[i]! / (1 - beta[i]!) : beta[i]!;
    count[c]! += 1;
  }
  return (sum[0]! / count[0]! / 0.02) / (sum[1]! / count[1]! / 0.002);
}

test('a thin high-rate box: plain inputs and mean scores under-weight it; Fourier features with odds weigh it by its rate', () => {
  const plain = trainCnp(train, OPTS, new Rng('ff-train'));
  const plainRatio = boxOverBand(plain, false);
  assert.ok(plainRatio < 0.5, `plain CNP, mean score: box/band per t = ${plainRatio.toFixed(2)}`);
  const ff = trainCnp(train, { ...OPTS, fourierFeatures: 16, fourierScale: 3, fourierColumns: [0], rateFrom: 'odds' }, new Rng('ff-train'));
  const ffRatio = boxOverBand(ff, true);
  const plainOdds = boxOverBand(plain, true);
  // 100 box and 60 band signals: the ratio's Poisson spread alone is ±16 %
  assert.ok(ffRatio > 0.55 && ffRatio < 1.5, `Fourier features, odds: box/band per t = ${ffRatio.toFixed(2)}`);
  assert.ok(ffRatio > 1.8 * plainOdds, `Fourier features, odds ${ffRatio.toFixed(2)} against plain inputs, odds ${plainOdds.toFixed(2)}`);
  // rate() with rateFrom 'odds' is the prior-shifted rate times the training constant, on the scale of t
  const tMean = 0.05 * 0.02 + 0.3 * 0.002;
  const rate = ff.rate(probe);
  assert.ok(Math.abs(rate - ff.rateEstimate(probe) * ff.oddsScale) < 1e-12);
  assert.ok(rate > 0.6 * tMean && rate < 1.6 * tMean, `rate ${rate.toExponential(2)} against mean t ${tMean.toExponential(2)}`);
  // eventRates: each event's part of rate(), for both read-outs
  for (const c of [ff, plain]) {
    const per = c.eventRates(probe);
    assert.is(per.length, probe.n);
    const mean = per.reduce((a, v) => a + v, 0) / per.length;
    assert.ok(Math.abs(mean / c.rate(probe) - 1) < 1e-6, `mean of eventRates ${mean} against rate ${c.rate(probe)}`);
  }
  // the frequencies and the odds scale survive the state round trip
  const copy = Cnp.fromState(JSON.parse(JSON.stringify(ff.state())));
  assert.equal(Array.from(copy.score(train[0]!)), Array.from(ff.score(train[0]!)));
  assert.is(copy.rate(train[1]!), ff.rate(train[1]!));
  for (const c of [plain, ff, copy]) c.dispose();
});

test('bad Fourier and rate options are named', () => {
  assert.throws(() => trainCnp(train, { fourierFeatures: -1 }, new Rng(1)), /options\.fourierFeatures/);
  assert.throws(() => trainCnp(train, { fourierFeatures: 4, fourierColumns: [2] }, new Rng(1)), /options\.fourierColumns\[0\]/);
  assert.throws(() => trainCnp(train, { rateFrom: 'median' as unknown as 'odds' }, new Rng(1)), /options\.rateFrom/);
});

test.run();
