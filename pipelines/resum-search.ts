// The best design under a fitted surrogate: the minimum of the predicted t̄
// over a large feasible uniform sample plus given designs (the HF-simulated ones,
// where σ̂ is small), refined by a seeded local random search
// (shrinking steps, integer parameters rounded, infeasible moves rejected).
import type { Rng } from '../lib/random.ts';
import { feasibleUniform, repairDesign, type BoxSpec } from './resum-design.ts';

export interface SearchOptions {
  /** feasible points screened (default 4000) */
  points?: number;
  /** best screened points refined (default 3) */
  starts?: number;
  /** local steps per start (default 150) */
  steps?: number;
  /** designs screened besides the random ones (e.g. those already simulated at HF) */
  include?: readonly (readonly number[])[];
}

/** argmin of `predictMean` (batched: designs → means) over the feasible space. */
export function minimizePrediction(
  predictMean: (thetas: number[][]) => ArrayLike<number>,
  box: BoxSpec,
  rng: Rng,
  opts: SearchOptions = {},
): { theta: number[]; value: number } {
  const pts = [...(opts.include ?? []).map((t) => t.slice()), ...feasibleUniform(box, opts.points ?? 4000, rng)];
  const vals = predictMean(pts);
  const order = Array.from(pts.keys()).sort((a, b) => vals[a]! - vals[b]!);
  let best = { theta: pts[order[0]!]!, value: vals[order[0]!]! };
  const span = box.upper.map((u, d) => u - box.lower[d]!);
  const steps = opts.steps ?? 150;
  for (const start of order.slice(0, opts.starts ?? 3)) {
    let cur = { theta: pts[start]!, value: vals[start]! };
    let scale = 0.05;
    for (let s = 0; s < steps; s++) {
      const trial = repairDesign(
        box,
        cur.theta.map((v, d) => v + rng.normal(0, scale * span[d]!)),
      );
      if (!trial) continue;
      const v = predictMean([trial])[0]!;
      if (v < cur.value) cur = { theta: trial, value: v };
      else scale = Math.max(0.002, scale * 0.97);
    }
    if (cur.value < best.value) best = cur;
  }
  return best;
}
