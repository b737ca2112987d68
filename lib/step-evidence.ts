// Does this iteration's fresh data support the surrogate's step? A least-squares
// plane through the K candidates' objective values (in σ units around θ) gives an
// estimate of the local slope β with its covariance s²(XᵀX)⁻¹, independent of the
// surrogate's weights. The step d's predicted gain is β·d, its standard error
// √(dᵀ Cov d), and t = gain / se is the evidence that the step improves the objective.
//
// Why: normalised steps have a fixed length, so where the objective is flat (e.g. a
// calorimeter on its Σθ limit trading lead for scintillator, where MI cannot tell the
// difference; RESULTS.md `mi-back-lead`) the surrogate's noise is walked at full speed.
// A gate t ≥ z keeps the design where it is until the data show a slope. When the
// surrogate's step fails it but the plane itself shows a slope, the loop steps along
// the plane instead (measured in MI-OPT: the warm-started MLP proposed steps the
// pooled candidates contradicted at t = −4 to −8 while Σ scintillator was 16–19 cm).
import { cholesky, inverseFromChol } from './linalg.ts';
import { tf } from './tf.ts';

export interface StepEvidence {
  /** predicted improvement of the objective along the step, by the candidates' plane (objective units, sign: better > 0) */
  gain: number;
  /** its standard error */
  se: number;
  /** gain / se; NaN when the plane cannot be fitted (too few candidates, degenerate spread, no step) */
  t: number;
  /** candidates the plane was fitted on */
  candidates: number;
}

/**
 * The plane's slope (per σ of each parameter) and its covariance. Needs more candidates
 * than dim + 1 and a non-degenerate spread; otherwise null.
 */
export function candidatePlane(
  candidates: readonly (readonly number[])[],
  values: readonly number[],
  theta: readonly number[],
  sigma: readonly number[],
): { slope: number[]; covariance: number[][] } | null {
  const n = candidates.length;
  const dim = theta.length;
  const p = dim + 1;
  if (values.length !== n) throw new Error(`candidatePlane: ${n} candidates but ${values.length} values`);
  if (n <= p) return null;
  const fit = leastSquares(
    candidates.map((c) => [1, ...c.map((v, i) => (v - theta[i]!) / sigma[i]!)]),
    values,
  );
  if (!fit) return null;
  const { beta, inv, s2 } = fit;
  const covariance = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => s2 * inv[(i + 1) * p + j + 1]!));
  return { slope: beta.slice(1), covariance };
}

/** Ordinary least squares: coefficients, (XᵀX)⁻¹ and the residual variance; null when XᵀX is singular. */
function leastSquares(rows: readonly number[][], values: readonly number[]): { beta: number[]; inv: Float64Array; s2: number } | null {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  if (n <= p) return null;
  const xtx = new Float64Array(p * p);
  const xty = new Array<number>(p).fill(0);
  for (const [k, r] of rows.entries()) {
    for (let i = 0; i < p; i++) {
      xty[i]! += r[i]! * values[k]!;
      for (let j = 0; j < p; j++) xtx[i * p + j]! += r[i]! * r[j]!;
    }
  }
  let inv: Float64Array;
  try {
    inv = inverseFromChol(cholesky(xtx, p).L, p);
  } catch {
    return null; // a parameter without spread (e.g. every candidate clipped to the same bound)
  }
  const beta = Array.from({ length: p }, (_, i) => xty.reduce((s, v, j) => s + inv[i * p + j]! * v, 0));
  let rss = 0;
  for (const [k, r] of rows.entries()) rss += (values[k]! - r.reduce((s, x, i) => s + x * beta[i]!, 0)) ** 2;
  return { beta, inv, s2: rss / (n - p) };
}

/**
 * How far (σ units) to go along the plane's slope: the plane says which way, but a plane has
 * no minimum, so a step along it always runs to the trust-region edge and overshoots a curved
 * optimum. The candidates also fit y = a + β·u + ½c (e·u)² with e the improving unit direction;
 * if the objective bends back along e (c against the slope), the Newton length |β|/|c| is where
 * the improvement peaks. Returns Infinity when it does not bend back or cannot be fitted.
 */
export function planeStepLength(
  candidates: readonly (readonly number[])[],
  values: readonly number[],
  theta: readonly number[],
  sigma: readonly number[],
  slope: readonly number[],
  direction: 'minimize' | 'maximize',
): number {
  const norm = Math.hypot(...slope);
  if (!(norm > 0)) return Infinity;
  const sign = direction === 'maximize' ? 1 : -1;
  const e = slope.map((g) => (sign * g) / norm);
  const fit = leastSquares(
    candidates.map((c) => {
      const u = c.map((v, i) => (v - theta[i]!) / sigma[i]!);
      const along = u.reduce((s, x, i) => s + x * e[i]!, 0);
      return [1, ...u, 0.5 * along * along];
    }),
    values,
  );
  if (!fit) return Infinity;
  // improvement along e: |β| s + ½ sign·c s², which peaks at s = |β| / (−sign·c) when sign·c < 0
  const bend = -sign * fit.beta[fit.beta.length - 1]!;
  return bend > 0 ? norm / bend : Infinity;
}

/** The evidence for a step θ → next from the candidates' plane; `direction` says which sign is better. */
export function stepEvidence(
  candidates: readonly (readonly number[])[],
  values: readonly number[],
  theta: readonly number[],
  next: readonly number[],
  sigma: readonly number[],
  direction: 'minimize' | 'maximize',
): StepEvidence {
  const plane = candidatePlane(candidates, values, theta, sigma);
  const d = next.map((v, i) => (v - theta[i]!) / sigma[i]!);
  const n = candidates.length;
  if (!plane || !(Math.hypot(...d) > 0)) return { gain: NaN, se: NaN, t: NaN, candidates: n };
  const sign = direction === 'maximize' ? 1 : -1;
  const gain = sign * d.reduce((s, v, i) => s + v * plane.slope[i]!, 0);
  let variance = 0;
  for (let i = 0; i < d.length; i++) for (let j = 0; j < d.length; j++) variance += d[i]! * d[j]! * plane.covariance[i]![j]!;
  const se = Math.sqrt(Math.max(variance, 0));
  return { gain, se, t: se > 0 ? gain / se : NaN, candidates: n };
}

/**
 * The bar for a step along the plane's own slope. That direction is chosen by the same
 * noise it is tested on, so with no slope its t is χ-distributed with `dim` degrees of
 * freedom, not normal: the bar is √ of the χ²_dim quantile at the one-sided level of z
 * (Wilson–Hilferty), e.g. z = 2 → 2.0 for dim 1, 3.0 for dim 3, 3.8 for dim 6.
 */
export function planeThreshold(z: number, dim: number): number {
  const a = 2 / (9 * dim);
  return Math.sqrt(dim * Math.max(0, 1 - a + z * Math.sqrt(a)) ** 3);
}

/** The plane as something stepDesign can descend: objective ≈ slope · (θ − θ0)/σ (called inside tf.tidy / tf.grad, as a surrogate is). */
export function planePredictor(slope: readonly number[], theta0: readonly number[], sigma: readonly number[]): { predict(theta: tf.Tensor1D): tf.Scalar } {
  return {
    predict: (theta: tf.Tensor1D) => tf.sum(tf.mul(tf.div(tf.sub(theta, tf.tensor1d(theta0 as number[])), tf.tensor1d(sigma as number[])), tf.tensor1d(slope as number[]))) as tf.Scalar,
  };
}
