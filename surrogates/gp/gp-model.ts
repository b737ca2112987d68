// The likelihood model behind GaussianProcess: observations (values and
// partial derivatives) in flat arrays, the covariance K(p) of a parameter
// vector p, and the analytic gradient of the log marginal likelihood for
// values-only data (derivative data fall back to finite differences).
import type { KernelKind, KernelParams } from './kernels.ts';
import { kernelFunctional } from './kernels.ts';
import type { CovarianceModel } from './likelihood.ts';

const SQRT5 = Math.sqrt(5);

/** A functional of f at x: its value (d = −1 or undefined) or ∂f/∂x_d. */
export interface Functional {
  x: readonly number[];
  d?: number;
}

export interface DerivativeObservation {
  /** row of X the derivative was measured at */
  point: number;
  /** input dimension d of ∂f/∂x_d */
  dim: number;
  value: number;
}

export interface GpData {
  /** N × D inputs */
  X: readonly (readonly number[])[];
  /** value at every row of X; null where only derivatives were measured */
  y: readonly (number | null)[];
  derivatives?: readonly DerivativeObservation[];
}

/** Parameter vector layout: [log ℓ_1..D, log σ_f, log σ_n, log σ_der, c] (normalised units). */
export const IDX = (D: number) => ({ amp: D, noise: D + 1, der: D + 2, mean: D + 3, size: D + 4 });

/** The observations of a GP in flat arrays (normalised outputs). */
export interface Observations {
  D: number;
  X: Float64Array; // nPts × D
  nPts: number;
  pt: Int32Array; // observation → row of X
  dim: Int32Array; // −1 value, ≥ 0 derivative dimension
  y: Float64Array; // normalised
  valuesOnly: boolean;
}

export class GpLikelihoodModel implements CovarianceModel {
  readonly nParams: number;
  readonly paramNames: string[];
  readonly n: number;
  /** squared coordinate differences per pair (i > j), for the values-only fast path */
  private diff2: Float64Array | null = null;
  private cacheP: Float64Array | null = null;
  private cacheG: Float64Array | null = null;
  private cacheGq: Float64Array | null = null;

  constructor(
    private obs: Observations,
    private kind: KernelKind,
    readonly lower: Float64Array,
    readonly upper: Float64Array,
  ) {
    const D = obs.D;
    this.nParams = IDX(D).size;
    this.paramNames = [...Array.from({ length: D }, (_, d) => `log_lengthscale[${d}]`), 'log_amplitude', 'log_noise', 'log_derivative_noise', 'mean'];
    this.n = obs.y.length;
    if (obs.valuesOnly) {
      const n = this.n;
      const X = obs.X;
      const d2 = new Float64Array(((n * (n - 1)) / 2) * D);
      let o = 0;
      for (let i = 1; i < n; i++) {
        const pi = obs.pt[i]! * D;
        for (let j = 0; j < i; j++) {
          const pj = obs.pt[j]! * D;
          for (let d = 0; d < D; d++) {
            const u = X[pi + d]! - X[pj + d]!;
            d2[o++] = u * u;
          }
        }
      }
      this.diff2 = d2;
    }
  }

  kernelAt(p: Float64Array): KernelParams {
    const D = this.obs.D;
    const ls = new Float64Array(D);
    for (let d = 0; d < D; d++) ls[d] = Math.exp(p[d]!);
    return { kind: this.kind, lengthscales: ls, variance: Math.exp(2 * p[D]!) };
  }

  build(p: Float64Array): { K: Float64Array; mean: Float64Array } {
    const { D, X, pt, dim } = this.obs;
    const I = IDX(D);
    const n = this.n;
    const kp = this.kernelAt(p);
    const sn2 = Math.exp(2 * p[I.noise]!);
    const sd2 = Math.exp(2 * p[I.der]!);
    const K = new Float64Array(n * n);
    const mean = new Float64Array(n);
    const c = p[I.mean]!;
    for (let i = 0; i < n; i++) if (dim[i]! < 0) mean[i] = c;
    if (this.diff2) {
      const inv = new Float64Array(D);
      for (let d = 0; d < D; d++) inv[d] = 1 / (kp.lengthscales[d]! * kp.lengthscales[d]!);
      const d2 = this.diff2;
      // g and dg/dq per pair, kept for the gradient at the same p (likelihoodAt builds, then differentiates)
      const nPairs = (n * (n - 1)) / 2;
      if (!this.cacheG || this.cacheG.length !== nPairs) {
        this.cacheG = new Float64Array(nPairs);
        this.cacheGq = new Float64Array(nPairs);
      }
      const cg = this.cacheG;
      const cgq = this.cacheGq!;
      const rbf = this.kind === 'rbf';
      let o = 0;
      let pair = 0;
      for (let i = 0; i < n; i++) {
        K[i * n + i] = kp.variance + sn2;
        for (let j = 0; j < i; j++) {
          let q = 0;
          for (let d = 0; d < D; d++) q += d2[o++]! * inv[d]!;
          let g: number;
          if (rbf) {
            g = Math.exp(-0.5 * q);
            cgq[pair] = -0.5 * g;
          } else {
            const r = Math.sqrt(q);
            const e = Math.exp(-SQRT5 * r);
            g = (1 + SQRT5 * r + (5 / 3) * q) * e;
            cgq[pair] = (-5 / 6) * (1 + SQRT5 * r) * e;
          }
          cg[pair++] = g;
          const v = kp.variance * g;
          K[i * n + j] = v;
          K[j * n + i] = v;
        }
      }
      this.cacheP = Float64Array.from(p);
      return { K, mean };
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let v = kernelFunctional(kp, X, pt[i]! * D, dim[i]!, X, pt[j]! * D, dim[j]!);
        if (i === j) v += dim[i]! < 0 ? sn2 : sd2;
        K[i * n + j] = v;
        K[j * n + i] = v;
      }
    }
    return { K, mean };
  }

  /** Analytic gradient for values-only data; undefined otherwise (finite differences). */
  get gradient(): CovarianceModel['gradient'] {
    if (!this.diff2) return undefined;
    return (p, G, alpha) => this.valueGradient(p, G, alpha);
  }

  private sameP(p: Float64Array): boolean {
    const c = this.cacheP;
    if (!c || c.length !== p.length) return false;
    for (let k = 0; k < p.length; k++) if (c[k] !== p[k]) return false;
    return true;
  }

  private valueGradient(p: Float64Array, G: Float64Array, alpha: Float64Array): Float64Array {
    const D = this.obs.D;
    const I = IDX(D);
    const n = this.n;
    const kp = this.kernelAt(p);
    const sf2 = kp.variance;
    const inv = new Float64Array(D);
    for (let d = 0; d < D; d++) inv[d] = 1 / (kp.lengthscales[d]! * kp.lengthscales[d]!);
    const grad = new Float64Array(this.nParams);
    const gl = new Float64Array(D);
    const d2 = this.diff2!;
    if (!this.sameP(p)) this.build(p); // refresh the per-pair cache
    const cg = this.cacheG!;
    const cgq = this.cacheGq!;
    let gAmp = 0;
    let gDiag = 0;
    let o = 0;
    let pair = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      gDiag += G[row + i]!;
      for (let j = 0; j < i; j++) {
        const w = 2 * G[row + j]!; // symmetric pair counted twice
        gAmp += w * cg[pair]!;
        // ∂k/∂log ℓ_d = σ_f² g_q · (−2 u_d²), u_d² = Δ_d²/ℓ_d²
        const wg = -2 * w * sf2 * cgq[pair]!;
        pair++;
        for (let d = 0; d < D; d++) gl[d]! += wg * d2[o + d]!;
        o += D;
      }
    }
    for (let d = 0; d < D; d++) gl[d]! *= inv[d]!;
    for (let d = 0; d < D; d++) grad[d] = gl[d]!;
    // ∂K/∂log σ_f = 2K_f (diagonal g = 1), ∂K_ii/∂log σ_n = 2σ_n²
    grad[I.amp] = 2 * sf2 * (gAmp + gDiag);
    grad[I.noise] = 2 * Math.exp(2 * p[I.noise]!) * gDiag;
    grad[I.der] = 0;
    let ga = 0;
    for (let i = 0; i < n; i++) ga += alpha[i]!;
    grad[I.mean] = ga;
    return grad;
  }
}

export function toObservations(data: GpData): { obs: Observations; yMean: number; yScale: number; range: Float64Array } {
  const N = data.X.length;
  if (N === 0) throw new Error('GaussianProcess.fit: X is empty');
  const D = data.X[0]!.length;
  if (D === 0) throw new Error('GaussianProcess.fit: X rows have no columns');
  if (data.y.length !== N) throw new Error(`GaussianProcess.fit: y has ${data.y.length} entries, X has ${N} rows`);
  const X = new Float64Array(N * D);
  data.X.forEach((row, i) => {
    if (row.length !== D) throw new Error(`GaussianProcess.fit: X[${i}] has ${row.length} columns, expected ${D}`);
    row.forEach((v, d) => {
      if (!Number.isFinite(v)) throw new Error(`GaussianProcess.fit: X[${i}][${d}] is not finite`);
      X[i * D + d] = v;
    });
  });
  const pts: number[] = [];
  const dims: number[] = [];
  const vals: number[] = [];
  data.y.forEach((v, i) => {
    if (v === null) return;
    if (!Number.isFinite(v)) throw new Error(`GaussianProcess.fit: y[${i}] is not finite`);
    pts.push(i);
    dims.push(-1);
    vals.push(v);
  });
  const nValues = vals.length;
  for (const [k, g] of (data.derivatives ?? []).entries()) {
    if (!(g.point >= 0 && g.point < N && Number.isInteger(g.point))) throw new Error(`GaussianProcess.fit: derivatives[${k}].point = ${g.point} is not a row of X`);
    if (!(g.dim >= 0 && g.dim < D && Number.isInteger(g.dim))) throw new Error(`GaussianProcess.fit: derivatives[${k}].dim = ${g.dim} is not an input dimension (0..${D - 1})`);
    if (!Number.isFinite(g.value)) throw new Error(`GaussianProcess.fit: derivatives[${k}].value is not finite`);
    pts.push(g.point);
    dims.push(g.dim);
    vals.push(g.value);
  }
  if (vals.length === 0) throw new Error('GaussianProcess.fit: no observations');
  let yMean = 0;
  let yScale = 1;
  if (nValues > 0) {
    for (let i = 0; i < nValues; i++) yMean += vals[i]!;
    yMean /= nValues;
    let v = 0;
    for (let i = 0; i < nValues; i++) v += (vals[i]! - yMean) ** 2;
    const sd = Math.sqrt(v / nValues);
    yScale = nValues > 1 && sd > 0 ? sd : 1;
  }
  const range = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < N; i++) {
      lo = Math.min(lo, X[i * D + d]!);
      hi = Math.max(hi, X[i * D + d]!);
    }
    range[d] = hi > lo ? hi - lo : 1;
  }
  return {
    obs: { D, X, nPts: N, pt: Int32Array.from(pts), dim: Int32Array.from(dims), y: Float64Array.from(vals), valuesOnly: vals.length === nValues },
    yMean,
    yScale,
    range,
  };
}

/**
 * The likelihood model the GP maximises, with outputs normalised as fit() does
 * (for diagnostics and gradient checks). Parameters: [log ℓ, log σ_f, log σ_n, log σ_der, c].
 */
export function likelihoodModelFor(data: GpData, kind: KernelKind = 'rbf'): { model: CovarianceModel; y: Float64Array } {
  const { obs, yMean, yScale } = toObservations(data);
  for (let i = 0; i < obs.y.length; i++) obs.y[i] = obs.dim[i]! < 0 ? (obs.y[i]! - yMean) / yScale : obs.y[i]! / yScale;
  const P = IDX(obs.D).size;
  return { model: new GpLikelihoodModel(obs, kind, new Float64Array(P).fill(-20), new Float64Array(P).fill(20)), y: obs.y };
}
