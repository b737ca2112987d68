// Data preparation for the 1-D flow: the w = log δ range and the input scaling.
// Both are fixed at the first fit and kept while transfer learning is on, so
// warm-started weights keep their meaning.
import { meanStd } from '../lib/nn.ts';

/** Per-column affine scaling of the conditions: (v − center) / scale. */
export interface ColumnScaling {
  xCenter: number[];
  xScale: number[];
  thetaCenter: number[];
  thetaScale: number[];
}

/**
 * x by its mean/std; θ by the design bounds to [−1, 1] when given (the design
 * wanders far over an optimisation, and fixed bounds stay meaningful), else
 * by the data's mean/std.
 */
export function columnScaling(
  x: Float32Array,
  xDim: number,
  theta: number[][],
  bounds?: { lower: number[]; upper: number[] },
): ColumnScaling {
  const n = x.length / xDim;
  const xCenter: number[] = [];
  const xScale: number[] = [];
  for (let d = 0; d < xDim; d++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = x[i * xDim + d]!;
    const { mean, std } = meanStd(col);
    xCenter.push(mean);
    xScale.push(std);
  }
  const F = theta[0]!.length;
  const thetaCenter: number[] = [];
  const thetaScale: number[] = [];
  if (bounds) {
    if (bounds.lower.length !== F || bounds.upper.length !== F) {
      throw new Error(`thetaBounds: lower and upper need ${F} entries (got ${bounds.lower.length}, ${bounds.upper.length})`);
    }
    for (let d = 0; d < F; d++) {
      const lo = bounds.lower[d]!;
      const hi = bounds.upper[d]!;
      if (!(hi > lo)) throw new Error(`thetaBounds: parameter ${d} needs lower < upper (got ${lo}, ${hi})`);
      thetaCenter.push((lo + hi) / 2);
      thetaScale.push((hi - lo) / 2);
    }
  } else {
    for (let d = 0; d < F; d++) {
      const { mean, std } = meanStd(theta.map((t) => t[d]!));
      thetaCenter.push(mean);
      thetaScale.push(std);
    }
  }
  return { xCenter, xScale, thetaCenter, thetaScale };
}

/** The q-quantile of sorted values (linear interpolation). */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i]! + (pos - i) * (sorted[j]! - sorted[i]!);
}

/**
 * [wMin, wMax] from the data: the quantile range of w widened by margins
 * (fractions of its span). The low quantile rather than the minimum, because
 * log δ of a squared residual has a long left tail (log χ²), and the values
 * there barely matter for E[δ]; the wider margin below leaves room for δ to
 * shrink as the optimisation improves the design.
 */
export function wRangeFromData(
  w: Float64Array,
  quantiles: [number, number],
  margin: { below: number; above: number },
): { wMin: number; wMax: number } {
  const sorted = Float64Array.from(w).sort();
  const lo = sortedQuantile(sorted, quantiles[0]);
  const hi = sortedQuantile(sorted, quantiles[1]);
  const span = Math.max(hi - lo, 1e-3);
  return { wMin: lo - margin.below * span, wMax: hi + margin.above * span };
}
