// Validation metrics of seed 000 Table 2: mean squared error of the predicted
// mean, and the fraction of validation points whose value lies within k
// predicted standard deviations (k = 1, 2, 3; ideal 68.3 / 95.4 / 99.7 %).

/** Ideal Gaussian coverage of ±kσ for k = 1, 2, 3 (per cent). */
export const IDEAL_COVERAGE = [68.27, 95.45, 99.73] as const;

export interface ValidationMetrics {
  mse: number;
  /** per cent of points with |truth − mean| ≤ kσ, k = 1, 2, 3 */
  coverage: [number, number, number];
  n: number;
}

/** MSE and 1/2/3σ coverage of predictions (mean, sd) against truths. */
export function validationMetrics(mean: ArrayLike<number>, sd: ArrayLike<number>, truth: ArrayLike<number>): ValidationMetrics {
  const n = truth.length;
  if (mean.length !== n || sd.length !== n) throw new Error(`validationMetrics: mean (${mean.length}), sd (${sd.length}) and truth (${n}) must have the same length`);
  if (n === 0) throw new Error('validationMetrics: no validation points');
  let se = 0;
  const hits = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const s = sd[i]!;
    if (!(s >= 0)) throw new Error(`validationMetrics sd[${i}]: must be ≥ 0 (got ${s})`);
    const e = Math.abs(truth[i]! - mean[i]!);
    se += e * e;
    for (let k = 1; k <= 3; k++) if (e <= k * s) hits[k - 1]! += 1;
  }
  return { mse: se / n, coverage: [(100 * hits[0]!) / n, (100 * hits[1]!) / n, (100 * hits[2]!) / n], n };
}

/** Mean of several metric sets (for the re-split study). */
export function averageMetrics(ms: readonly ValidationMetrics[]): ValidationMetrics {
  if (ms.length === 0) throw new Error('averageMetrics: no metrics');
  const avg = (f: (m: ValidationMetrics) => number) => ms.reduce((s, m) => s + f(m), 0) / ms.length;
  return { mse: avg((m) => m.mse), coverage: [avg((m) => m.coverage[0]), avg((m) => m.coverage[1]), avg((m) => m.coverage[2])], n: avg((m) => m.n) };
}
