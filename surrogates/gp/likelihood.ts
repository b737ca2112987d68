// Log marginal likelihood of a Gaussian model y ~ N(m(p), K(p))
// and its maximisation over the hyperparameters p (in the model's own,
// mostly log, parametrisation) by multi-start L-BFGS within bounds.
// Shared by the single-fidelity GP (with or without derivative observations)
// and the multi-fidelity GP: a model only says how to build K and m, and
// (optionally) how to contract ∂K/∂p and ∂m/∂p with the likelihood's weights.
import { cholesky, cholSolve, inverseFromChol, logDetFromChol, solveLower, solveLowerMatrix } from '../../lib/linalg.ts';
import { minimize, numericGradient, type MinimizeResult } from '../../lib/optimize.ts';
import type { Rng } from '../../lib/random.ts';

export interface CovarianceModel {
  readonly nParams: number;
  /** names of the parameters, for reports and error messages */
  readonly paramNames: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** number of observations (size of K) */
  readonly n: number;
  /**
   * K (n × n, observation noise included) and the prior mean at p. With a
   * `basis` H (n × B), the mean is mean + Hβ with β profiled out by
   * generalised least squares, β̂ = (HᵀK⁻¹H)⁻¹HᵀK⁻¹(y − mean): the
   * optimiser then never walks the ridge between a constant mean and a
   * long length scale.
   */
  build(p: Float64Array): { K: Float64Array; mean: Float64Array; basis?: { H: Float64Array; B: number } };
  /**
   * dL/dp = Σ_ij G_ij ∂K_ij/∂p + Σ_i α_i ∂m_i/∂p with G = ½(ααᵀ − K⁻¹) (symmetric;
   * only its lower triangle j ≤ i is filled, so read G[i·n + j] with j ≤ i).
   * With a basis, m includes Hβ̂ and ∂m/∂p is taken at fixed β = β̂ (at β̂ the
   * likelihood is stationary in β, so this is the gradient of the profiled likelihood).
   * Models without it get central finite differences of L.
   */
  gradient?(p: Float64Array, G: Float64Array, alpha: Float64Array, beta?: Float64Array): Float64Array;
}

export interface LikelihoodValue {
  logML: number;
  grad?: Float64Array;
  jitter: number;
}

const LOG2PI = Math.log(2 * Math.PI);

/**
 * log p(y | p) = −½ (y−m)ᵀK⁻¹(y−m) − ½ log|K| − n/2 log 2π, with the gradient
 * computed only when asked for (it needs K⁻¹, twice the cost of the factor):
 * line searches that reject a step never pay for it.
 */
export function likelihoodAt(
  model: CovarianceModel,
  y: Float64Array,
  p: Float64Array,
): { logML: number; jitter: number; beta?: Float64Array; gradient: () => Float64Array } {
  const n = model.n;
  const { K, mean, basis } = model.build(p);
  const { L, jitter } = cholesky(K, n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = y[i]! - mean[i]!;
  let beta: Float64Array | undefined;
  if (basis) {
    beta = generalisedLeastSquares(L, n, basis.H, basis.B, r);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let b = 0; b < basis.B; b++) s += basis.H[i * basis.B + b]! * beta[b]!;
      r[i]! -= s;
    }
  }
  const alpha = cholSolve(L, n, r);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += r[i]! * alpha[i]!;
  const logML = -0.5 * quad - 0.5 * logDetFromChol(L, n) - 0.5 * n * LOG2PI;
  let grad: Float64Array | null = null;
  const gradient = (): Float64Array => {
    if (grad) return grad;
    if (!model.gradient) {
      grad = numericGradient((q) => likelihoodAt(model, y, q).logML, p, 1e-5);
      return grad;
    }
    // only the lower triangle (j ≤ i) of G is filled: models read that half
    const G = inverseFromChol(L, n, true);
    for (let i = 0; i < n; i++) {
      const ai = alpha[i]!;
      const o = i * n;
      for (let j = 0; j <= i; j++) G[o + j] = 0.5 * (ai * alpha[j]! - G[o + j]!);
    }
    grad = model.gradient(p, G, alpha, beta);
    return grad;
  };
  return { logML, jitter, beta, gradient };
}

/** β̂ = (HᵀK⁻¹H)⁻¹HᵀK⁻¹r from the factor of K (Z = L⁻¹H, z = L⁻¹r, β̂ = (ZᵀZ)⁻¹Zᵀz). */
function generalisedLeastSquares(L: Float64Array, n: number, H: Float64Array, B: number, r: Float64Array): Float64Array {
  const Z = solveLowerMatrix(L, n, H, B);
  const z = solveLower(L, n, r);
  const A = new Float64Array(B * B);
  const b = new Float64Array(B);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < B; a++) {
      const za = Z[i * B + a]!;
      b[a]! += za * z[i]!;
      for (let c = 0; c <= a; c++) A[a * B + c]! += za * Z[i * B + c]!;
    }
  }
  for (let a = 0; a < B; a++) for (let c = 0; c < a; c++) A[c * B + a] = A[a * B + c]!;
  const { L: LA } = cholesky(A, B, { initialJitter: 1e-12, maxJitter: 1e-3 });
  return cholSolve(LA, B, b);
}

/** log p(y | p) and optionally its gradient. */
export function logMarginalLikelihood(model: CovarianceModel, y: Float64Array, p: Float64Array, withGrad: boolean): LikelihoodValue {
  const v = likelihoodAt(model, y, p);
  return withGrad ? { logML: v.logML, jitter: v.jitter, grad: v.gradient() } : { logML: v.logML, jitter: v.jitter };
}

export interface FitLikelihoodOptions {
  /** random starts drawn uniformly within the bounds (besides the given starts) */
  restarts: number;
  rng: Rng;
  /** starts tried first (e.g. the previous optimum for a warm start, or a default) */
  starts?: Float64Array[];
  /** parameters held at their value in starts[0] (true = fixed) */
  fixed?: readonly boolean[];
  maxIter?: number;
  /**
   * stop a start when −log ML fell by less than stallTol·|log ML| over 10
   * iterations (default 1e-5, e.g. 0.001 nats at log ML ≈ 100): flat ridges,
   * such as the length scales of a vanishing discrepancy, otherwise creep for
   * hundreds of iterations without changing the fit
   */
  stallTol?: number;
  /**
   * log prior density of the parameters (up to a constant) and its gradient:
   * maximise log ML + log prior (a MAP estimate) instead of log ML alone
   */
  logPrior?: (p: Float64Array) => { value: number; gradient: Float64Array };
}

export interface FitLikelihoodResult {
  p: Float64Array;
  logML: number;
  /** one entry per start: the optimum reached */
  runs: { logML: number; iterations: number; evaluations: number; message: string }[];
}

/**
 * Maximises the log marginal likelihood by L-BFGS (projected, within the
 * model's bounds) from the given starts plus `restarts` uniform random starts;
 * returns the best optimum.
 */
export function maximizeLikelihood(model: CovarianceModel, y: Float64Array, opts: FitLikelihoodOptions): FitLikelihoodResult {
  const P = model.nParams;
  if (y.length !== model.n) throw new Error(`maximizeLikelihood: y has ${y.length} entries, the model has ${model.n} observations`);
  const starts: Float64Array[] = [...(opts.starts ?? [])];
  for (const s of starts) if (s.length !== P) throw new Error(`maximizeLikelihood: a start has ${s.length} entries, expected ${P}`);
  for (let r = 0; r < opts.restarts; r++) {
    const s = new Float64Array(P);
    for (let k = 0; k < P; k++) s[k] = opts.rng.uniformRange(model.lower[k]!, model.upper[k]!);
    if (opts.fixed && starts[0]) for (let k = 0; k < P; k++) if (opts.fixed[k]) s[k] = starts[0][k]!;
    starts.push(s);
  }
  if (starts.length === 0) throw new Error('maximizeLikelihood: no starts (give starts or restarts ≥ 1)');
  const free: number[] = [];
  for (let k = 0; k < P; k++) if (!opts.fixed?.[k]) free.push(k);
  const base = Float64Array.from(starts[0]!);
  const full = (z: Float64Array): Float64Array => {
    const p = Float64Array.from(base);
    free.forEach((k, i) => (p[k] = z[i]!));
    return p;
  };
  const lo = Float64Array.from(free, (k) => model.lower[k]!);
  const hi = Float64Array.from(free, (k) => model.upper[k]!);
  let best: { p: Float64Array; logML: number } | null = null;
  const runs: FitLikelihoodResult['runs'] = [];
  for (const s of starts) {
    if (free.length === 0) {
      const v = logMarginalLikelihood(model, y, s, false).logML + (opts.logPrior ? opts.logPrior(s).value : 0);
      runs.push({ logML: v, iterations: 0, evaluations: 1, message: 'all parameters fixed' });
      if (!best || v > best.logML) best = { p: Float64Array.from(s), logML: v };
      continue;
    }
    let res: MinimizeResult;
    try {
      res = minimize(
        (z) => {
          let v: ReturnType<typeof likelihoodAt>;
          const p = full(z);
          try {
            v = likelihoodAt(model, y, p);
          } catch {
            // not PD even with jitter: an infinitely bad point for the line search
            return { f: Infinity, g: new Float64Array(free.length) };
          }
          const prior = opts.logPrior ? opts.logPrior(p) : null;
          let g: Float64Array | null = null;
          // the gradient is read only for accepted steps (see minimize)
          return {
            f: -v.logML - (prior ? prior.value : 0),
            get g(): Float64Array {
              if (!g) {
                const full = v.gradient();
                g = Float64Array.from(free, (k) => -full[k]! - (prior ? prior.gradient[k]! : 0));
              }
              return g;
            },
          };
        },
        Float64Array.from(free, (k) => s[k]!),
        { lower: lo, upper: hi, maxIter: opts.maxIter ?? 200, gtol: 1e-5, ftol: 1e-9, stallWindow: 10, stallTol: opts.stallTol ?? 1e-5 },
      );
    } catch {
      continue; // this start was not finite
    }
    runs.push({ logML: -res.f, iterations: res.iterations, evaluations: res.evaluations, message: res.message });
    if (!best || -res.f > best.logML) best = { p: full(res.x), logML: -res.f };
  }
  if (!best) throw new Error('maximizeLikelihood: the likelihood was not finite at any start');
  return { p: best.p, logML: best.logML, runs };
}
