import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate } from 'mathjs';
import { Rng } from '../lib/random.ts';
import { pearson } from '../lib/stats.ts';
import { neutronFate } from '../lib/simulators/moderator-physics.ts';
import { LF_ENERGY_RANGE_MEV, PHI_START_DIM, VOLUMES } from '../lib/simulators/moderator-sources.ts';
import {
  MODERATOR_BASELINE,
  MODERATOR_CONSTRAINTS,
  MODERATOR_SPACE,
  ModeratorSimulator,
  PanelLayout,
  PHI_DIM,
  closedTube,
  exactRate,
  exactRates,
  isFeasibleModerator,
  panelsCross,
  sampleNeutrons,
  startProbabilities,
  tProbabilities,
  tProbability,
  toDesign,
} from '../lib/simulators/moderator.ts';

const count = (o: Uint8Array) => o.reduce((s, v) => s + v, 0);

function randomDesign(rng: Rng): number[] {
  const n = 4 + rng.int(357);
  return [rng.uniformRange(90, 265), rng.uniformRange(1, 20), n, 90 * rng.uniform() ** 2, 1 + rng.uniform() * Math.min(149, (3 * Math.PI * 180) / n)];
}

function feasibleDesigns(k: number, rng: Rng): number[][] {
  const out: number[][] = [];
  while (out.length < k) {
    const th = randomDesign(rng);
    if (isFeasibleModerator(th)) out.push(th);
  }
  return out;
}

test('same seed gives the same events (both fidelities)', () => {
  for (const f of ['lf', 'hf'] as const) {
    const sim = new ModeratorSimulator(f);
    const a = sim.simulate(MODERATOR_BASELINE, 5000, new Rng(11));
    const b = sim.simulate(MODERATOR_BASELINE, 5000, new Rng(11));
    assert.equal(Array.from(a.phi!.subarray(0, 70)), Array.from(b.phi!.subarray(0, 70)));
    assert.equal(a.outcome, b.outcome);
    assert.is(a.fidelity, f);
    assert.is(a.phiDim, PHI_DIM);
    const c = sim.simulate(MODERATOR_BASELINE, 5000, new Rng(12));
    assert.not.equal(Array.from(a.phi!.subarray(0, 7)), Array.from(c.phi!.subarray(0, 7)));
  }
});

test('a ray along a panel normal crosses exactly d of PMMA; a closed tube has no radial gap', () => {
  const lay = new PanelLayout(toDesign([150, 4, 40, 30, 20]));
  // panel 0: centre (150, 0), normal m = −sin φ t̂ + cos φ r̂ with t̂ = (0, 1), r̂ = (1, 0)
  const phi = (30 * Math.PI) / 180;
  const mx = Math.cos(phi);
  const my = -Math.sin(phi);
  const chord = lay.chord(150 + 50 * mx, 50 * my, -mx, -my, 100);
  assert.ok(Math.abs(chord - 4) < 1e-9, `chord ${chord}`);
  const tube = new PanelLayout(toDesign(closedTube(200, 5)));
  const rng = new Rng(5);
  for (let i = 0; i < 200; i++) {
    const a = 2 * Math.PI * rng.uniform();
    const c = tube.chord(260 * Math.cos(a), 260 * Math.sin(a), -Math.cos(a), -Math.sin(a), 200);
    assert.ok(c > 4.99 && c < 5.2, `radial chord ${c} at azimuth ${a}`);
  }
});

test('feasibility: the mathjs constraints agree with the direct check, and panel crossing matches brute force', () => {
  const rng = new Rng(3);
  let feasible = 0;
  for (let i = 0; i < 400; i++) {
    const th = randomDesign(rng);
    const scope = { r: th[0], d: th[1], n: th[2], phi: th[3], L: th[4] };
    const viaMathjs = MODERATOR_CONSTRAINTS.every((c) => evaluate(c, scope) === true);
    assert.is(viaMathjs, isFeasibleModerator(th), `design ${th.map((v) => v.toFixed(2))}`);
    if (viaMathjs) feasible++;
    // brute force: do the mid-lines of panels 0 and 1 intersect?
    const des = toDesign(th);
    const seg = (j: number) => {
      const a = (2 * Math.PI * j) / des.n;
      const p = (des.phiDeg * Math.PI) / 180;
      const ex = Math.cos(p) * -Math.sin(a) + Math.sin(p) * Math.cos(a);
      const ey = Math.cos(p) * Math.cos(a) + Math.sin(p) * Math.sin(a);
      const cx = des.r * Math.cos(a);
      const cy = des.r * Math.sin(a);
      return [cx - (ex * des.L) / 2, cy - (ey * des.L) / 2, cx + (ex * des.L) / 2, cy + (ey * des.L) / 2];
    };
    const [x1, y1, x2, y2] = seg(0);
    const [x3, y3, x4, y4] = seg(1);
    const den = (x1! - x2!) * (y3! - y4!) - (y1! - y2!) * (x3! - x4!);
    const t = ((x1! - x3!) * (y3! - y4!) - (y1! - y3!) * (x3! - x4!)) / den;
    const u = -((x1! - x2!) * (y1! - y3!) - (y1! - y2!) * (x1! - x3!)) / den;
    const brute = t >= 0 && t <= 1 && u >= 0 && u <= 1;
    if (Math.abs(t - 0.5) < 0.499 || Math.abs(u - 0.5) < 0.499 || !brute) assert.is(panelsCross(des), brute, `crossing for ${th}`);
  }
  assert.ok(feasible > 50, `only ${feasible} feasible designs`);
  assert.ok(isFeasibleModerator(MODERATOR_BASELINE));
  assert.ok(!isFeasibleModerator([150, 5, 360, 0, 2 * 150 * Math.tan(Math.PI / 360) * 1.01]), 'overlapping tangent panels must be infeasible');
  assert.ok(!isFeasibleModerator([150, 5, 20, 60, 60]), 'radial extent above 20 cm must be infeasible');
  assert.is(MODERATOR_SPACE.parameters.map((p) => p.name).join(','), 'r,d,n,phi,L');
});

test('bad input names the parameter', () => {
  assert.throws(() => toDesign([300, 5, 100, 0, 5]), /theta\.r/);
  assert.throws(() => toDesign([150, Number.NaN, 100, 0, 5]), /theta\.d/);
  assert.throws(() => toDesign([150, 5, 100]), /5 values/);
  assert.throws(() => new ModeratorSimulator('mf' as 'lf'), /fidelity/);
  assert.throws(() => tProbability(MODERATOR_BASELINE, [1, 2, 3]), /phiRow/);
});

test('the LF and HF samplers follow their g(φ)', () => {
  const lf = sampleNeutrons('lf', 100_000, new Rng(1));
  const m = (k: number, s: typeof lf, f = (v: number) => v) => {
    let acc = 0;
    const n = s.phi.length / PHI_DIM;
    for (let i = 0; i < n; i++) acc += f(s.phi[i * PHI_DIM + k]!);
    return acc / n;
  };
  // uniform in the cylinder ρ ≤ 300, |z| ≤ 300 (minus the small detector region): E[ρ²] ≈ R²/2, E[z²] = H²/3
  let rho2 = 0;
  for (let i = 0; i < 100_000; i++) rho2 += lf.phi[i * PHI_DIM]! ** 2 + lf.phi[i * PHI_DIM + 1]! ** 2;
  assert.ok(Math.abs(rho2 / 100_000 / 45_000 - 1) < 0.02, `E[rho²] = ${rho2 / 100_000}`);
  assert.ok(Math.abs(m(2, lf, (z) => z * z) / 30_000 - 1) < 0.02);
  // isotropic: E[u] = 0, E[uz²] = 1/3; evaporation spectrum Gamma(2, 1.5 MeV): mean 3 MeV
  assert.ok(Math.abs(m(5, lf)) < 0.01 && Math.abs(m(3, lf)) < 0.01);
  assert.ok(Math.abs(m(5, lf, (u) => u * u) - 1 / 3) < 0.01);
  assert.ok(Math.abs(m(6, lf, (l) => 10 ** l) - 3) < 0.05);
  // the 'cryostat-log-uniform' LF: uniform in the cryostat ρ ≤ R + W, |z| ≤ H + W (argon, detector and steel wall), log-uniform energy
  const wide = sampleNeutrons('lf', 100_000, new Rng(3), 'cryostat-log-uniform');
  const { argonRadius: R, argonHalfHeight: H, wallThickness: W } = VOLUMES;
  let wideRho2 = 0;
  for (let i = 0; i < 100_000; i++) wideRho2 += wide.phi[i * PHI_DIM]! ** 2 + wide.phi[i * PHI_DIM + 1]! ** 2;
  assert.ok(Math.abs(wideRho2 / 100_000 / ((R + W) ** 2 / 2) - 1) < 0.02, `E[rho²] = ${wideRho2 / 100_000}`);
  assert.ok(Math.abs(m(2, wide, (z) => z * z) / ((H + W) ** 2 / 3) - 1) < 0.02);
  const [lo, hi] = LF_ENERGY_RANGE_MEV.map(Math.log10) as [number, number];
  assert.ok(Math.abs(m(6, wide) - (lo + hi) / 2) < 0.02, `mean log10 E ${m(6, wide)}`);
  assert.ok(Math.abs(m(6, wide, (l) => (l > 1 ? 1 : 0)) - (hi - 1) / (hi - lo)) < 0.01, 'share above 10 MeV = share of the decades');
  assert.is(m(6, wide, (l) => (l < lo - 1e-6 || l > hi + 1e-6 ? 1 : 0)), 0);
  assert.throws(() => sampleNeutrons('lf', 10, new Rng(1), 'uniform' as 'argon-evaporation'), /lfSource/);
  // HF: harder (30 % hard component with mean 27 MeV → ≈ 10 MeV), forward (downward) and bunched by muon
  const hf = sampleNeutrons('hf', 100_000, new Rng(2));
  const eMean = m(6, hf, (l) => 10 ** l);
  assert.ok(eMean > 8 && eMean < 12.5, `HF mean energy ${eMean}`);
  assert.ok(m(5, hf) < -0.1, `HF mean uz ${m(5, hf)}`);
  const sizes = new Map<number, number>();
  for (const c of hf.cluster) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let inBig = 0;
  for (const s of sizes.values()) if (s >= 10) inBig += s;
  assert.ok(inBig / 100_000 > 0.3, `fraction of neutrons in bunches of ≥ 10: ${inBig / 100_000}`);
  assert.ok(hf.primaries > sizes.size, 'some muons miss the cryostat and make no neutron');
});

test('exactRate: precision shrinks like 1/√n and independent estimates agree', () => {
  for (const f of ['lf', 'hf'] as const) {
    const small = exactRate(MODERATOR_BASELINE, f, { nQuad: 25_000, rng: new Rng(`a${f}`) });
    const large = exactRate(MODERATOR_BASELINE, f, { nQuad: 200_000, rng: new Rng(`b${f}`) });
    const ratio = small.stdError / large.stdError;
    assert.ok(ratio > Math.sqrt(8) / 1.6 && ratio < Math.sqrt(8) * 1.6, `${f}: se ratio ${ratio}`);
    const z = Math.abs(small.rate - large.rate) / Math.hypot(small.stdError, large.stdError);
    assert.ok(z < 4, `${f}: estimates differ by ${z} sigma`);
    assert.ok(large.stdError / large.rate < 0.02, `${f}: relative precision ${large.stdError / large.rate}`);
    assert.ok(large.rate > 1e-5 && large.rate < 2e-4, `${f}: rate ${large.rate} per neutron`);
  }
});

test('simulated rates agree with the exact rate within binomial error', () => {
  const designs = [MODERATOR_BASELINE, closedTube(130, 8), [180, 4, 150, 10, 8]];
  designs.forEach((th, i) => {
    assert.ok(isFeasibleModerator(th));
    const f = i === 2 ? 'hf' : 'lf';
    const n = f === 'lf' ? 800_000 : 600_000;
    const batch = new ModeratorSimulator(f).simulate(th, n, new Rng(100 + i));
    const m = count(batch.outcome!);
    // mean of t over the very events simulated: the Bernoulli part alone is binomial
    const tSum = tProbabilities(th, batch.phi!, n).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(m - tSum) < 4 * Math.sqrt(tSum), `${f} design ${i}: m = ${m}, Σt = ${tSum.toFixed(1)}`);
    // against t̄ from an independent sample: binomial plus the φ-sampling spread of both
    const ex = exactRate(th, f, { nQuad: 100_000 });
    const zsd = Math.sqrt(n * ex.rate + (n * ex.stdError) ** 2 * (1 + 100_000 / n));
    assert.ok(Math.abs(m - n * ex.rate) < 4 * zsd, `${f} design ${i}: m = ${m}, N·t̄ = ${(n * ex.rate).toFixed(1)} ± ${zsd.toFixed(1)}`);
  });
});

test('the final state: fates are probabilities, land where they say, and integrate back to t(θ, φ_ini)', () => {
  const designs = [MODERATOR_BASELINE, closedTube(130, 8), [180, 4, 150, 10, 8], [150, 1, 4, 0, 1]];
  designs.forEach((th, i) => {
    const f = i % 2 === 0 ? 'lf' : 'hf';
    const n = 200_000;
    const batch = new ModeratorSimulator(f).simulate(th, n, new Rng(300 + i));
    const phi = batch.phi!;
    const layout = new PanelLayout(toDesign(th));
    let pArray = 0;
    let inArray = 0;
    for (let e = 0; e < n; e++) {
      const fate = neutronFate(layout, phi, e * PHI_DIM);
      assert.ok(fate.fast >= 0 && fate.thermal >= 0 && fate.fast + fate.thermal <= 1 + 1e-12 && fate.moderated >= 0 && fate.moderated <= 1, `design ${i} event ${e}: ${JSON.stringify(fate)}`);
      pArray += fate.fast + fate.thermal;
      const o = e * PHI_DIM + PHI_START_DIM;
      if (phi[o]! < VOLUMES.detectorRadius && Math.abs(phi[o + 1]!) < VOLUMES.detectorHalfHeight) inArray += 1;
    }
    // ends in the array as often as the fates say (binomial error)
    assert.ok(Math.abs(inArray - pArray) < 4 * Math.sqrt(pArray), `design ${i}: ${inArray} in the array, expected ${pArray.toFixed(0)}`);
    assert.ok(inArray / n > 0.01, `design ${i}: only ${inArray} of ${n} neutrons end in the array`);
    // t given the whole φ averages back to t given the start: the same events, within the spread of t over final states
    const full = tProbabilities(th, phi, n);
    const start = startProbabilities(th, phi, n);
    let sFull = 0;
    let sStart = 0;
    let s2 = 0;
    for (let e = 0; e < n; e++) {
      sFull += full[e]!;
      sStart += start[e]!;
      s2 += full[e]! ** 2;
    }
    assert.ok(Math.abs(sFull - sStart) < 4 * Math.sqrt(s2), `design ${i}: Σ t(φ) = ${sFull.toExponential(4)}, Σ t(φ_ini) = ${sStart.toExponential(4)}`);
  });
  // a φ sample without final states cannot be read as outcomes
  const bare = sampleNeutrons('lf', 10, new Rng(1));
  assert.throws(() => tProbabilities(MODERATOR_BASELINE, bare.phi), /final-state/);
});

test('the baseline is beaten by a scan of feasible designs; LF correlates with HF but is biased', () => {
  const designs = feasibleDesigns(16, new Rng(9));
  const lf = exactRates([MODERATOR_BASELINE, ...designs], 'lf', { nQuad: 15_000 }).map((r) => r.rate);
  const hf = exactRates([MODERATOR_BASELINE, ...designs], 'hf', { nQuad: 30_000 }).map((r) => r.rate);
  const best = Math.min(...hf.slice(1));
  assert.ok(best < 0.8 * hf[0]!, `best ${best} vs baseline ${hf[0]}`);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const ma = mean(lf);
  const mb = mean(hf);
  const corr = pearson(lf, hf);
  assert.ok(corr > 0.8, `LF/HF correlation ${corr}`);
  assert.ok(ma / mb > 1.15, `LF/HF mean ratio ${ma / mb} (LF should be biased)`);
});

test.run();
