// Random Fourier features of chosen φ columns for the CNP (Tancik et al. 2020,
// "Fourier features let networks learn high frequency functions"). A ReLU MLP
// on raw coordinates learns smooth functions first; a signal region that is a
// small box in (ρ, z, E), such as thermal captures inside the germanium array of
// the moderator toy, stays blurred into the millions of captures around it
// (RESULTS.md, moderator-cnp). Appending sin(B·u), cos(B·u) of the standardised
// columns u, with fixed frequencies B ~ N(0, scale²), lets the networks draw such
// edges. B comes from the CNP's seeded stream and is kept in its state.
import type { Rng } from '../lib/random.ts';

export interface FourierMap {
  /** φ columns encoded (indices into φ, not into θ ‖ φ) */
  columns: number[];
  /** count × columns.length frequencies, row-major */
  frequencies: number[];
  count: number;
}

/** count random frequency vectors over the given φ columns, entries N(0, scale²). */
export function drawFourierMap(count: number, scale: number, columns: readonly number[], phiDim: number, rng: Rng): FourierMap {
  if (!Number.isInteger(count) || count < 0) throw new Error(`cnp options.fourierFeatures: must be an integer ≥ 0 (got ${count})`);
  if (!(scale > 0)) throw new Error(`cnp options.fourierScale: must be > 0 (got ${scale})`);
  if (columns.length === 0) throw new Error('cnp options.fourierColumns: needs at least one φ column');
  columns.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= phiDim) throw new Error(`cnp options.fourierColumns[${i}]: ${c} is not a φ column (0 … ${phiDim - 1})`);
  });
  const frequencies = Array.from({ length: count * columns.length }, () => rng.normal(0, scale));
  return { columns: [...columns], frequencies, count };
}

/**
 * Rows of width w (θ ‖ φ, standardised; φ column j at thetaDim + j) → rows of
 * width w + 2·count: the row, then sin and cos of every frequency · u.
 */
export function appendFourier(rows: Float32Array, n: number, w: number, thetaDim: number, map: FourierMap): Float32Array {
  const m = map.count;
  if (m === 0) return rows;
  const c = map.columns.length;
  const out = new Float32Array(n * (w + 2 * m));
  const u = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const src = i * w;
    const dst = i * (w + 2 * m);
    out.set(rows.subarray(src, src + w), dst);
    for (let j = 0; j < c; j++) u[j] = rows[src + thetaDim + map.columns[j]!]!;
    for (let k = 0; k < m; k++) {
      let a = 0;
      for (let j = 0; j < c; j++) a += map.frequencies[k * c + j]! * u[j]!;
      out[dst + w + 2 * k] = Math.sin(a);
      out[dst + w + 2 * k + 1] = Math.cos(a);
    }
  }
  return out;
}
