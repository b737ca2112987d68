import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../lib/random.ts';
import {
  CalorimeterSimulator,
  calorimeterDesignSpace,
  calorimeterParameterNames,
  simulateBreakdown,
  type CalorimeterOptions,
} from '../lib/simulators/calorimeter.ts';
import { ALPHA_MIN, LEAD, PBWO4, depositProfile, gflashParameters, sampleProfile, type SampledProfile } from '../lib/simulators/calorimeter-shower.ts';
import { gammaP, logGamma } from '../lib/special.ts';

const NO_SMEARING: Partial<CalorimeterOptions> = { stochasticTerm: 0, constantTerm: 0 };

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function relativeSpread(a: ArrayLike<number>): number {
  const m = mean(a);
  let s2 = 0;
  for (let i = 0; i < a.length; i++) s2 += (a[i]! - m) ** 2;
  return Math.sqrt(s2 / (a.length - 1)) / m;
}

/** Least-squares slope of y on x. */
function slope(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

test('GFlash shower maximum of PbWO4 electrons: T ≈ 3.9, 6.2, 8.5 X0 at 1, 10, 100 GeV (PHYSICS.md §1)', () => {
  const rng = new Rng('tmax');
  const profile: SampledProfile = { alpha: 0, beta: 0, tmax: 0, logGammaAlpha: 0 };
  for (const [energy, expected] of [[1, 3.9], [10, 6.2], [100, 8.5]] as const) {
    const median = Math.exp(gflashParameters(energy, PBWO4).meanLnT);
    assert.ok(Math.abs(median - expected) < 0.06, `exp⟨ln T⟩ at ${energy} GeV = ${median}`);
    // The sampled T are lognormal around it (α > ALPHA_MIN truncation is inactive here).
    const lnT: number[] = [];
    for (let i = 0; i < 4000; i++) {
      sampleProfile(energy, PBWO4, rng, profile);
      assert.ok(profile.alpha > ALPHA_MIN && Math.abs(profile.beta - (profile.alpha - 1) / profile.tmax) < 1e-12);
      lnT.push(Math.log(profile.tmax));
    }
    const sampledMedian = Math.exp(mean(lnT));
    assert.ok(Math.abs(sampledMedian / median - 1) < 0.015, `sampled median T at ${energy} GeV = ${sampledMedian}, formula ${median}`);
  }
  // Lead has the smaller critical energy, so its showers peak later (ln(8.76/7.36) ≈ 0.17 in ln y).
  assert.ok(gflashParameters(10, LEAD).meanLnT > gflashParameters(10, PBWO4).meanLnT);
});

test('layer fractions equal P(α, β(t_end − t0)) − P(α, β(t_start − t0)) (PHYSICS.md §1)', () => {
  // Layer edges in X0, including a zero-thickness slab; the particle starts inside slab 1.
  const boundaries = Float64Array.from([0, 1.5, 2.0, 2.0, 7.3, 12.9, 30]);
  for (const [alpha, tmax] of [[1.7, 0.8], [3.2, 4.1], [5.6, 8.4], [14, 12]] as const) {
    const profile: SampledProfile = { alpha, tmax, beta: (alpha - 1) / tmax, logGammaAlpha: logGamma(alpha) };
    const t0 = 1.73;
    const deposit = new Float64Array(6);
    const leaked = depositProfile(10, profile, t0, 1, boundaries, deposit);
    assert.is(deposit[0], 0, 'nothing before the start');
    assert.is(deposit[2], 0, 'nothing in the zero-thickness slab');
    for (let j = 1; j < 6; j++) {
      const lo = Math.max(boundaries[j]!, t0) - t0;
      const hi = boundaries[j + 1]! - t0;
      const expected = 10 * (gammaP(alpha, profile.beta * hi) - gammaP(alpha, profile.beta * lo));
      assert.ok(Math.abs(deposit[j]! - expected) < 1e-7, `α = ${alpha}, slab ${j}: ${deposit[j]} vs ${expected}`);
    }
    const expectedLeak = 10 * (1 - gammaP(alpha, profile.beta * (30 - t0)));
    assert.ok(Math.abs(leaked - expectedLeak) < 1e-7, `α = ${alpha}: leaked ${leaked} vs ${expectedLeak}`);
  }
});

test('simulated photon showers in finely segmented PbWO4 peak ~1 X0 per unit ln E deeper', () => {
  // 60 slabs of 0.5 X0 PbWO4 (no lead), mono-energetic photons, no smearing.
  const layers = 60;
  const slab = 0.5 * PBWO4.radiationLengthCm;
  const theta: number[] = [];
  for (let l = 0; l < layers; l++) theta.push(0, slab);
  const peaks: number[] = [];
  for (const energy of [1, 10, 100]) {
    const b = simulateBreakdown(theta, 4000, new Rng(`peak${energy}`), { layers, eMin: energy, eMax: energy, ...NO_SMEARING });
    const profile = new Float64Array(layers);
    for (let i = 0; i < b.n; i++) for (let l = 0; l < layers; l++) profile[l] += b.visible[i * layers + l]!;
    let m = 1;
    for (let l = 1; l < layers - 1; l++) if (profile[l]! > profile[m]!) m = l;
    // parabola through the three bins around the maximum
    const [a, c, d] = [profile[m - 1]!, profile[m]!, profile[m + 1]!];
    peaks.push((m + 0.5 + (0.5 * (a - d)) / (a - 2 * c + d)) * 0.5);
  }
  // A photon first converts (mean 9/7 X0) and splits its energy, so it peaks a little
  // behind the electron's T (3.93, 6.23, 8.53 X0).
  const electronT = [1, 10, 100].map((e) => Math.exp(gflashParameters(e, PBWO4).meanLnT));
  peaks.forEach((p, i) => assert.ok(p - electronT[i]! > 0.2 && p - electronT[i]! < 1.6, `photon peak ${p} X0 vs electron T ${electronT[i]}`));
  const perDecade = [peaks[1]! - peaks[0]!, peaks[2]! - peaks[1]!];
  for (const step of perDecade) assert.ok(Math.abs(step - Math.LN10) < 0.3, `peak moves ${step} X0 per decade, expected ≈ ln 10`);
});

// PHYSICS.md's "> 99.7 % at 100 GeV" is a shower that starts at the front face: an e− of the
// sampled GFlash profiles leaks 0.30 % there. A photon first converts (mean 9/7 X0 deep), which
// leaves ~1.3 X0 less for its shower, so it leaks ~0.41 % and the bound here is 99.5 %.
test('25 cm of PbWO4 contains > 99.5 % of 100 GeV photons on average', () => {
  const b = simulateBreakdown([0, 25], 20000, new Rng('containment'), { layers: 1, eMin: 100, eMax: 100, ...NO_SMEARING });
  const contained = mean(b.visible) / 100;
  assert.ok(contained > 0.995 && contained < 0.9995, `contained fraction ${contained}`);
  // At 10 GeV even less leaks.
  const b10 = simulateBreakdown([0, 25], 20000, new Rng('containment10'), { layers: 1, eMin: 10, eMax: 10, ...NO_SMEARING });
  assert.ok(mean(b10.visible) / 10 > 0.997, `contained fraction at 10 GeV ${mean(b10.visible) / 10}`);
});

test('resolution of a full-containment PbWO4 block falls like 1/√E (stochastic term 2.8 %)', () => {
  const energies = [1, 2, 5, 10, 20];
  const sigmas: number[] = [];
  for (const energy of energies) {
    // 40 cm (45 X0) so that leakage fluctuations do not mask the stochastic term.
    const sim = new CalorimeterSimulator({ layers: 1, eMin: energy, eMax: energy, constantTerm: 0 });
    sigmas.push(relativeSpread(sim.simulate([0, 40], 6000, new Rng(`res${energy}`)).y));
  }
  const exponent = slope(energies.map(Math.log), sigmas.map(Math.log));
  assert.ok(Math.abs(exponent + 0.5) < 0.05, `σ/E ∝ E^${exponent}`);
  const at10 = sigmas[3]!;
  assert.ok(Math.abs(at10 / (0.028 / Math.sqrt(10)) - 1) < 0.08, `σ/E at 10 GeV = ${at10}`);
  // Splitting the same block into three scintillator layers leaves the resolution alone
  // (sums of Gamma(ΔE/c², c²) layers are Gamma(E/c², c²)).
  const split = new CalorimeterSimulator({ layers: 3, eMin: 10, eMax: 10, constantTerm: 0 });
  const batch = split.simulate([0, 10, 0, 15, 0, 15], 6000, new Rng('res-split'));
  const sums = new Float64Array(batch.n);
  for (let i = 0; i < batch.n; i++) sums[i] = batch.y[3 * i]! + batch.y[3 * i + 1]! + batch.y[3 * i + 2]!;
  assert.ok(Math.abs(relativeSpread(sums) / at10 - 1) < 0.1, `split block σ/E = ${relativeSpread(sums)} vs ${at10}`);
});

test('lead in front converts a fraction 1 − e^(−7t/9) of the photons and swallows energy', () => {
  let previousVisible = Infinity;
  for (const lead of [0.25, 0.5, 1, 2]) {
    const n = 20000;
    const b = simulateBreakdown([lead, 24], n, new Rng(`lead${lead}`), { layers: 1, ...NO_SMEARING });
    const t = lead / LEAD.radiationLengthCm;
    const expected = 1 - Math.exp((-7 * t) / 9);
    let converted = 0;
    for (let i = 0; i < n; i++) {
      const inLead = b.conversionDepth[i]! < t;
      if (inLead) converted++;
      // Energy reaches the lead only when the shower starts there (and then, unless it
      // starts within a hair of the back face, a non-zero amount).
      const margin = t - b.conversionDepth[i]!;
      if (!inLead || margin > 0.05) {
        assert.is(b.absorbed[i]! > 0, inLead, `event ${i}: absorbed ${b.absorbed[i]} with conversion at ${b.conversionDepth[i]} X0`);
      }
    }
    const sd = Math.sqrt((expected * (1 - expected)) / n);
    assert.ok(Math.abs(converted / n - expected) < 4 * sd, `converted in ${lead} cm Pb: ${converted / n}, expected ${expected}`);
    let visibleFraction = 0;
    for (let i = 0; i < n; i++) visibleFraction += b.visible[i]! / b.energy[i]!;
    visibleFraction /= n;
    assert.ok(visibleFraction < previousVisible, `visible fraction ${visibleFraction} with ${lead} cm Pb did not fall`);
    previousVisible = visibleFraction;
  }
});

test('energy conservation: visible + absorbed + leaked = E per event to 1e-5 (1–3 layers, zero slabs)', () => {
  const designs: number[][] = [[1, 1], [0, 25], [3, 0], [0, 0], [1, 1, 1, 1], [0.3, 5, 0, 2], [1, 1, 1, 1, 1, 1], [2, 0, 0, 7, 0.5, 3], [0, 0, 0, 0, 0, 12]];
  for (const theta of designs) {
    const layers = theta.length / 2;
    const b = simulateBreakdown(theta, 3000, new Rng(`cons${theta.join(',')}`), { layers, eMin: 1, eMax: 100 });
    let unconverted = 0;
    for (let i = 0; i < b.n; i++) {
      let sum = b.leaked[i]!;
      for (let l = 0; l < layers; l++) {
        const v = b.visible[i * layers + l]!;
        const a = b.absorbed[i * layers + l]!;
        assert.ok(v >= 0 && a >= 0 && b.smeared[i * layers + l]! >= 0);
        if (theta[2 * l] === 0) assert.is(a, 0, 'no energy in a zero-thickness absorber');
        if (theta[2 * l + 1] === 0) assert.is(v, 0, 'no energy in a zero-thickness scintillator');
        sum += v + a;
      }
      assert.ok(Math.abs(sum - b.energy[i]!) <= 1e-5 * b.energy[i]!, `design ${theta}: event ${i} sums to ${sum}, E = ${b.energy[i]}`);
      if (b.leaked[i] === b.energy[i]) unconverted++;
    }
    if (theta.every((d) => d === 0)) assert.is(unconverted, b.n, 'an empty stack lets everything through');
  }
});

test('the optimiser sees the expected gradient: pure PbWO4 beats 1 cm Pb + 24 cm, which beats 2 + 2 cm', () => {
  // Resolution of a calibrated linear reconstruction Ê = a·y + b, 1–20 GeV photons (BASE study).
  function resolution(theta: number[]): number {
    const batch = new CalorimeterSimulator({ layers: 1 }).simulate(theta, 20000, new Rng('gradient'));
    const e = Array.from(batch.x);
    const y = Array.from(batch.y);
    const a = slope(y, e);
    const b = mean(e) - a * mean(y);
    let s = 0;
    for (let i = 0; i < e.length; i++) s += ((a * y[i]! + b - e[i]!) / e[i]!) ** 2;
    return Math.sqrt(s / e.length);
  }
  const pure = resolution([0, 25]);
  const leadFront = resolution([1, 24]);
  const thin = resolution([2, 2]);
  assert.ok(pure < 0.014, `pure PbWO4 resolution ${pure}`);
  assert.ok(leadFront > 1.15 * pure, `1 + 24 cm: ${leadFront} vs pure ${pure}`);
  assert.ok(thin > 10 * leadFront, `2 + 2 cm: ${thin} vs 1 + 24 cm ${leadFront}`);
});

test('electronic noise option: an empty stack reads max(0, N(0, σ²)), mean σ/√(2π)', () => {
  const sim = new CalorimeterSimulator({ layers: 2, noise: 0.5 });
  const batch = sim.simulate([0, 0, 0, 0], 20000, new Rng('noise'));
  let zeros = 0;
  for (const v of batch.y) {
    assert.ok(v >= 0);
    if (v === 0) zeros++;
  }
  const expected = 0.5 / Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(mean(batch.y) - expected) < 0.01, `mean reading ${mean(batch.y)} vs ${expected}`);
  assert.ok(Math.abs(zeros / batch.y.length - 0.5) < 0.02, `fraction clipped to 0: ${zeros / batch.y.length}`);
});

test('same seed gives the same events; the breakdown replays the simulator exactly', () => {
  const sim = new CalorimeterSimulator({ layers: 3 });
  const theta = [1, 2, 0.5, 3, 0, 4];
  const a = sim.simulate(theta, 500, new Rng(11));
  const b = sim.simulate(theta, 500, new Rng(11));
  const c = sim.simulate(theta, 500, new Rng(12));
  assert.equal(Array.from(a.x), Array.from(b.x));
  assert.equal(Array.from(a.y), Array.from(b.y));
  assert.not.equal(Array.from(a.y), Array.from(c.y));
  const d = simulateBreakdown(theta, 500, new Rng(11), { layers: 3 });
  assert.equal(Array.from(d.smeared), Array.from(a.y));
  assert.equal(Array.from(Float32Array.from(d.energy)), Array.from(a.x));
  assert.equal(a.theta, theta);
  assert.is(a.xDim, 1);
  assert.is(a.yDim, 3);
  assert.equal(sim.yNames, ['scint1', 'scint2', 'scint3']);
  for (let i = 0; i < a.n; i++) assert.ok(a.x[i]! >= 1 && a.x[i]! <= 20, `energy ${a.x[i]} outside 1–20 GeV`);
});

test('design-space helper: names, bounds, start, σ and the total-thickness constraint', () => {
  assert.equal(calorimeterParameterNames(2), ['abs1', 'scint1', 'abs2', 'scint2']);
  const spec = calorimeterDesignSpace(3);
  assert.is(spec.parameters.length, 6);
  for (const p of spec.parameters) {
    assert.equal([p.lower, p.upper, p.start, p.sigma, p.unit], [0, 25, 1, 1.5, 'cm']);
  }
  assert.equal(spec.constraints, ['abs1 + scint1 + abs2 + scint2 + abs3 + scint3 <= 25']);
});

test('bad input: errors name the parameter or option', () => {
  const sim = new CalorimeterSimulator({ layers: 2 });
  const rng = new Rng(1);
  assert.throws(() => sim.simulate([1, 1, 1, -0.5], 10, rng), /scint2 must be >= 0/);
  assert.throws(() => sim.simulate([-1, 1, 1, 1], 10, rng), /abs1 must be >= 0/);
  assert.throws(() => sim.simulate([1, NaN, 1, 1], 10, rng), /scint1 must be a finite/);
  assert.throws(() => sim.simulate([1, 1], 10, rng), /theta must have 4 thicknesses/);
  assert.throws(() => sim.simulate([1, 1, 1, 1], -3, rng), /nEvents/);
  assert.throws(() => sim.simulate([1, 1, 1, 1], 2.5, rng), /nEvents/);
  assert.throws(() => new CalorimeterSimulator({ layers: 0 }), /layers/);
  assert.throws(() => new CalorimeterSimulator({ layers: 1, eMin: 5, eMax: 2 }), /eMax/);
  assert.throws(() => new CalorimeterSimulator({ layers: 1, eMin: 0 }), /eMin/);
  assert.throws(() => new CalorimeterSimulator({ layers: 1, stochasticTerm: -0.1 }), /stochasticTerm/);
  assert.throws(() => calorimeterDesignSpace(1.5), /layers/);
  assert.is(sim.simulate([1, 1, 1, 1], 0, rng).n, 0);
});

test.run();
