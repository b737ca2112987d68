// The physics floor of RECO-OPT's objective for one calorimeter design: the
// relative loss δ = ((Ê − E)/E)² of the best per-design least-squares
// reconstruction (weights 1/E², quadratic features of the layer deposits),
// trained on half of the photons and scored on the other half. No network.
// Used by benchmarks/calorimeter-resolution.ts and benchmarks/reco-calibration.ts.
import { CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { Rng } from '../lib/random.ts';
import { solveDense } from '../lib/linalg.ts';

/** 1, y_l, (Σy)², √Σy, y_l·y_m: enough to absorb sampling fractions and mild non-linearity. */
function features(y: ArrayLike<number>): number[] {
  const f = [1, ...Array.from(y)];
  const sum = f.slice(1).reduce((a, b) => a + b, 0);
  f.push(sum * sum, Math.sqrt(Math.max(sum, 0)));
  for (let i = 0; i < y.length; i++) for (let j = i; j < y.length; j++) f.push(y[i]! * y[j]!);
  return f;
}

/**
 * Held-out δ of the best quadratic-feature reconstruction for design θ (photons 1–20 GeV).
 * `seed` fixes the photon stream; the search below uses one seed for all designs
 * (common random numbers), so differences between designs are not photon noise.
 */
export function bestDelta(theta: number[], photons: number, seed = `resolution/${theta.join(',')}`): number {
  const sim = new CalorimeterSimulator({ layers: theta.length / 2 });
  const batch = sim.simulate(theta, photons, new Rng(seed));
  const rows = Array.from({ length: batch.n }, (_, i) => ({ e: batch.x[i]!, f: features(batch.y.subarray(i * batch.yDim, (i + 1) * batch.yDim)) }));
  const train = rows.slice(0, batch.n / 2);
  const test = rows.slice(batch.n / 2);
  const d = train[0]!.f.length;
  const A = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const b = new Array<number>(d).fill(0);
  for (const r of train) {
    const w = 1 / (r.e * r.e);
    for (let i = 0; i < d; i++) {
      b[i]! += w * r.f[i]! * r.e;
      for (let j = 0; j < d; j++) A[i]![j]! += w * r.f[i]! * r.f[j]!;
    }
  }
  for (let i = 0; i < d; i++) A[i]![i]! += 1e-9 * (1 + A[i]![i]!);
  const w = solveDense(A, b);
  let s = 0;
  for (const r of test) s += ((r.f.reduce((a, x, i) => a + x * w[i]!, 0) - r.e) / r.e) ** 2;
  return s / test.length;
}
