// The step gate (lib/step-evidence.ts): the candidates' least-squares plane gives
// honest standard errors, and with the gate on the design stops walking along a
// direction the objective does not depend on. The per-parameter trust region
// (lib/loop.ts) is the other remedy for that walk, tested on the same problem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../lib/backend.ts';
import type { Simulator } from '../lib/contracts.ts';
import { adaptTrustPerParameter, DEFAULT_LOOP, runLoop, type IterationRecord, type LoopConfig } from '../lib/loop.ts';
import { Rng } from '../lib/random.ts';
import { quadraticBowl } from '../lib/simulators/analytic.ts';
import { DesignSpace } from '../lib/space.ts';
import { candidatePlane, planeStepLength, planeThreshold, stepEvidence } from '../lib/step-evidence.ts';
import { eventValueObjective } from '../objectives/event-value.ts';
import { MlpSurrogate } from '../surrogates/mlp.ts';

await initBackend(undefined, { quiet: true });

/** K candidates ~ N(θ, σ) with values a + b·(θk − θ)/σ + N(0, noise²). */
function sample(rng: Rng, k: number, theta: number[], sigma: number[], slope: number[], noise: number) {
  const candidates = Array.from({ length: k }, () => theta.map((t, i) => rng.normal(t, sigma[i]!)));
  const values = candidates.map((c) => 3 + c.reduce((s, v, i) => s + (slope[i]! * (v - theta[i]!)) / sigma[i]!, 0) + rng.normal(0, noise));
  return { candidates, values };
}

test('the plane recovers a known slope, and its t-statistic is N(0, 1) where there is no slope', () => {
  const rng = new Rng('plane');
  const theta = [1, -2, 0.5];
  const sigma = [1.5, 0.5, 2];
  const slope = [0.4, 0, -0.2];
  let inside = 0;
  let sumSlope0 = 0;
  const trials = 400;
  for (let r = 0; r < trials; r++) {
    const { candidates, values } = sample(rng, 60, theta, sigma, slope, 0.5);
    const plane = candidatePlane(candidates, values, theta, sigma)!;
    sumSlope0 += plane.slope[0]!;
    // a step along x2 only, where the objective is flat: t must be standard normal
    const e = stepEvidence(candidates, values, theta, [theta[0]!, theta[1]! + 0.3, theta[2]!], sigma, 'maximize');
    if (Math.abs(e.t) < 1.96) inside++;
  }
  assert.ok(Math.abs(sumSlope0 / trials - 0.4) < 0.01, `mean slope ${sumSlope0 / trials} (true 0.4)`);
  // 95 % ± 3 binomial sd (1.1 %)
  assert.ok(Math.abs(inside / trials - 0.95) < 0.033, `|t| < 1.96 in ${((100 * inside) / trials).toFixed(1)} % of flat steps`);
  // a step along the real slope: the gain's sign follows the direction, and the evidence is strong
  const { candidates, values } = sample(rng, 117, theta, sigma, slope, 0.3);
  const up = stepEvidence(candidates, values, theta, [theta[0]! + 1.5, theta[1]!, theta[2]!], sigma, 'maximize');
  const down = stepEvidence(candidates, values, theta, [theta[0]! + 1.5, theta[1]!, theta[2]!], sigma, 'minimize');
  assert.ok(Math.abs(up.gain - 0.4) < 0.1 && up.t > 8, `gain ${up.gain}, t ${up.t}`);
  assert.ok(Math.abs(down.gain + up.gain) < 1e-12 && Math.abs(down.t + up.t) < 1e-9);
});

test("a step along the plane's own slope is held to the χ bar: false alarms stay rare", () => {
  // Wilson–Hilferty against tabulated χ² quantiles (95 %: 3.841 for 1, 12.592 for 6 degrees of freedom)
  assert.ok(Math.abs(planeThreshold(1.645, 6) - Math.sqrt(12.592)) < 0.02, `${planeThreshold(1.645, 6)}`);
  assert.ok(Math.abs(planeThreshold(1.645, 1) - Math.sqrt(3.841)) < 0.05, `${planeThreshold(1.645, 1)}`);
  const rng = new Rng('null-plane');
  const theta = [0, 0, 0];
  const sigma = [1, 1, 1];
  let alarms = 0;
  let naive = 0;
  const trials = 400;
  for (let r = 0; r < trials; r++) {
    const { candidates, values } = sample(rng, 117, theta, sigma, [0, 0, 0], 0.3);
    const slope = candidatePlane(candidates, values, theta, sigma)!.slope;
    const e = stepEvidence(candidates, values, theta, slope, sigma, 'maximize');
    if (e.t >= planeThreshold(2, 3)) alarms++;
    if (e.t >= 2) naive++;
  }
  // one-sided level of z = 2 is 2.3 %; the naive bar t ≥ 2 would pass far more often
  assert.ok(alarms / trials < 0.05, `plane steps past the bar under no slope: ${alarms} of ${trials}`);
  assert.ok(naive / trials > 0.2, `t ≥ 2 under no slope: ${naive} of ${trials}`);
});

test('no plane from too few candidates, and no evidence for no step', () => {
  const rng = new Rng('few');
  const { candidates, values } = sample(rng, 4, [0, 0, 0], [1, 1, 1], [1, 0, 0], 0.1);
  assert.is(candidatePlane(candidates, values, [0, 0, 0], [1, 1, 1]), null);
  const many = sample(rng, 30, [0, 0], [1, 1], [1, 0], 0.1);
  assert.ok(Number.isNaN(stepEvidence(many.candidates, many.values, [0, 0], [0, 0], [1, 1], 'minimize').t));
  assert.throws(() => candidatePlane(many.candidates, many.values.slice(1), [0, 0], [1, 1]), /30 candidates but 29 values/);
});

test("the plane step's length is the Newton length along its slope: to a curved optimum, unbounded on a plane", () => {
  const rng = new Rng('length');
  const theta = [0, 0];
  const sigma = [0.5, 2];
  const candidates = Array.from({ length: 2000 }, () => theta.map((t, i) => rng.normal(t, sigma[i]!)));
  // minimise (x1 − 1)² + 0.1·x2: in σ units the slope is (−1, 0.2) and the curvature along it
  // eᵀHe = 0.5/1.04; the objective along the improving direction is lowest √1.04/0.481 = 2.12 σ away
  const values = candidates.map((c) => (c[0]! - 1) ** 2 + 0.1 * c[1]! + rng.normal(0, 0.05));
  const plane = candidatePlane(candidates, values, theta, sigma)!;
  const length = planeStepLength(candidates, values, theta, sigma, plane.slope, 'minimize');
  const exact = Math.sqrt(1.04) / (0.5 / 1.04);
  assert.ok(Math.abs(length / exact - 1) < 0.05, `length ${length.toFixed(3)} σ, exact ${exact.toFixed(3)}`);
  // maximising the same objective: it does not bend back along the improving direction
  assert.is(planeStepLength(candidates, values, theta, sigma, plane.slope, 'maximize'), Infinity);
  // on a noisy plane the fitted curvature is noise: the length is far beyond any trust region
  const flat = candidates.map((c) => 2 * c[0]! + rng.normal(0, 0.05));
  const flatPlane = candidatePlane(candidates, flat, theta, sigma)!;
  assert.ok(planeStepLength(candidates, flat, theta, sigma, flatPlane.slope, 'minimize') > 20);
});

// The quadratic bowl in x1 only: x2 does not change the objective, so every x2 move is noise.
const bowl = quadraticBowl(2);
const flatInX2: Simulator = { ...bowl.simulator, simulate: (theta, n, rng) => bowl.simulator.simulate([theta[0]!, 0.5], n, rng) };

async function run(overrides: Partial<LoopConfig>): Promise<IterationRecord[]> {
  const space = new DesignSpace(bowl.space);
  const surrogate = new MlpSurrogate({ center: space.start, scale: space.sigma.map((s) => 3 * s), epochs: 200, seed: 'gate' });
  const records: IterationRecord[] = [];
  await runLoop(
    { space, simulator: flatInX2, objective: eventValueObjective(), surrogate, backend: 'test' },
    { ...DEFAULT_LOOP, iterations: 24, candidates: 30, events: 100, trustRegion: 1, seed: 21, direction: 'minimize', ...overrides },
    { onIteration: (r) => void records.push(r) },
  );
  surrogate.dispose();
  return records;
}

let gatedRecords: Promise<IterationRecord[]> | null = null;
const gatedRun = () => (gatedRecords ??= run({ stepGate: 2 }));
let freeRecords: Promise<IterationRecord[]> | null = null;
const freeRun = () => (freeRecords ??= run({}));

test('with the gate the design reaches the x1 optimum and stops walking in the flat x2', async () => {
  const [free, gated] = [await freeRun(), await gatedRun()];
  const x2Path = (rs: IterationRecord[]) => rs.slice(-12).reduce((s, r) => s + Math.abs(r.thetaNext[1]! - r.theta[1]!), 0);
  const lastX1 = (rs: IterationRecord[]) => rs[rs.length - 1]!.thetaNext[0]!;
  // start x1 = −3, optimum 1: both get there (gap (x1 − 1)² below 5 % of 16)
  assert.ok((lastX1(free) - 1) ** 2 < 0.8 && (lastX1(gated) - 1) ** 2 < 0.8, `x1 ${lastX1(free)}, ${lastX1(gated)}`);
  assert.ok(gated.some((r) => r.step.gate === 'stay') && free.every((r) => r.step.gate === 'off'));
  // a held step records what the surrogate proposed and the plane's evidence
  assert.ok(gated.filter((r) => r.step.gate === 'stay').every((r) => r.step.proposed !== undefined && r.step.planeEvidence !== undefined && r.thetaNext.every((v, i) => v === r.theta[i])));
  assert.ok(x2Path(gated) < 0.3 * x2Path(free), `x2 path over the last 12 iterations: gated ${x2Path(gated).toFixed(2)}, free ${x2Path(free).toFixed(2)}`);
});

test('the gate pools candidates only while the design is held at the same θ', async () => {
  const rs = await gatedRun();
  for (const [i, r] of rs.entries()) {
    const heldBefore = i > 0 && rs[i - 1]!.thetaNext.every((v, d) => v === rs[i - 1]!.theta[d]);
    // a move empties the pool; each held iteration adds its 30 candidates, up to the pool's depth
    if (!heldBefore) assert.is(r.step.evidence.candidates, 30, `iteration ${i} after a move pooled ${r.step.evidence.candidates}`);
    else assert.ok(r.step.evidence.candidates > 30, `iteration ${i} after a hold pooled ${r.step.evidence.candidates}`);
  }
  assert.ok(rs.some((r) => r.step.evidence.candidates > 30), 'never held');
});

test('per-parameter trust: a reversed coordinate halves its semi-axis, a continued one grows it, an unmoved one keeps it', () => {
  let t = adaptTrustPerParameter({ radius: 1, lastStep: null }, [0.5, -0.5, 0]);
  assert.equal(t.scales, [1, 1, 1]);
  t = adaptTrustPerParameter(t, [0.5, 0.5, 0]);
  assert.equal(t.scales, [1, 0.5, 1]);
  for (let i = 0; i < 4; i++) t = adaptTrustPerParameter(t, [0.5, i % 2 ? 0.5 : -0.5, 0]);
  assert.equal(t.scales, [1, 0.125, 1]);
  // continued: ×1.2; the third parameter never moved, so its first move has nothing to reverse
  t = adaptTrustPerParameter(t, [0.5, 0.5, -0.2]);
  assert.equal(t.scales, [1, 0.15, 1]);
  assert.equal(t.lastStep, [0.5, 0.5, -0.2]);
});

test('per-parameter trust: the design reaches the x1 optimum and its walk in the flat x2 shrinks', async () => {
  const [free, trust] = [await freeRun(), await run({ adaptiveTrustRegion: 'per-parameter' })];
  const x2Path = (rs: IterationRecord[]) => rs.slice(-12).reduce((s, r) => s + Math.abs(r.thetaNext[1]! - r.theta[1]!), 0);
  const lastX1 = trust[trust.length - 1]!.thetaNext[0]!;
  assert.ok((lastX1 - 1) ** 2 < 0.8, `x1 ${lastX1}`);
  assert.ok(trust.slice(1).every((r) => r.step.trustScales?.length === 2));
  assert.ok(x2Path(trust) < 0.5 * x2Path(free), `x2 path over the last 12 iterations: per-parameter ${x2Path(trust).toFixed(2)}, fixed ${x2Path(free).toFixed(2)}`);
});

test.run();
