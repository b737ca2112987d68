// (A, B) standard bivariate normal with correlation ρ, n events: exact I = −½ ln(1 − ρ²)
// (PHYSICS.md §3). Draw order per event: z, then the independent part of B.
import type { Rng } from '../../lib/random.ts';
import type { MineDataset } from '../../objectives/mine-train.ts';

export function gaussianPair(rho: number, n: number, rng: Rng): MineDataset {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    a[i] = z;
    b[i] = rho * z + Math.sqrt(1 - rho * rho) * rng.normal();
  }
  return { a, aDim: 1, b, bDim: 1, n };
}
