// Per-candidate input transforms for MINE. Mutual information is invariant
// under injective maps of A or B (PHYSICS.md §3), so the estimator may feed
// the network any column-wise strictly monotone transform of the data:
//  - 'standardise': (x − mean)/sd per column;
//  - 'rank-gauss': the empirical copula per column, Φ⁻¹(rank/(n+1)), which
//    makes every marginal standard normal. Heavy tails (e.g. y³ of a Gaussian,
//    or skewed calorimeter deposits) then cannot dominate the network's inputs,
//    and the estimate becomes exactly invariant to monotone transforms.
//    Ties share their mean rank, so equal values stay equal.

export type MineInputTransform = 'standardise' | 'rank-gauss';
export const INPUT_TRANSFORMS: readonly MineInputTransform[] = ['standardise', 'rank-gauss'];

/** Column-wise (x − mean)/sd in float64; a constant column becomes zeros. */
export function standardise(x: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let j = 0; j < dim; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * dim + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * dim + j]! - m) ** 2;
    const sd = Math.sqrt(v / n);
    const inv = sd > 0 ? 1 / sd : 0;
    for (let i = 0; i < n; i++) out[i * dim + j] = (x[i * dim + j]! - m) * inv;
  }
  return out;
}

/**
 * Inverse standard normal CDF, Acklam's rational approximation
 * (relative error < 1.2e-9 on (0, 1); P. J. Acklam, 2003).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1) (got ${p})`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Column-wise Φ⁻¹(rank/(n+1)) with mean ranks for ties; a constant column becomes zeros. */
export function rankGauss(x: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  const order = new Int32Array(n);
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((p, q) => x[p * dim + j]! - x[q * dim + j]!);
    let start = 0;
    while (start < n) {
      let end = start + 1;
      const v = x[order[start]! * dim + j]!;
      while (end < n && x[order[end]! * dim + j]! === v) end++;
      // ranks start..end−1 (0-based) share the mean rank; +1 makes them 1-based
      const z = end - start === n ? 0 : normalQuantile((0.5 * (start + end - 1) + 1) / (n + 1));
      for (let r = start; r < end; r++) out[order[r]! * dim + j] = z;
      start = end;
    }
  }
  return out;
}

export function transformColumns(kind: MineInputTransform, x: Float32Array, n: number, dim: number): Float32Array {
  return kind === 'rank-gauss' ? rankGauss(x, n, dim) : standardise(x, n, dim);
}
