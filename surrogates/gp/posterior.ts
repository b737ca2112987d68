// What the experimental-design code needs from a fitted Gaussian model, and
// nothing more: prior covariances and the "whitened" cross-covariance
// w(q) = L⁻¹ k(observations, q), so that the posterior covariance is
// cov(a, b) = k(a, b) − w(a)·w(b). Adding a (fictitious) observation then
// changes the posterior by a rank-one (or rank-block) update without
// refitting anything (seed 004 §4.1, seed 000 appendix 11).
import { cholesky, solveLower } from '../../lib/linalg.ts';

export interface GaussianPosterior<Q> {
  /** prior covariance of the functionals a and b (output units²) */
  priorCov(a: Q, b: Q): number;
  /** L⁻¹ k(observations, q) in output units, so posterior cov = priorCov − dot(w_a, w_b) */
  whitened(q: Q): Float64Array;
  /** variance of the observation noise if q were observed */
  noiseVariance(q: Q): number;
}

/** Posterior covariance from precomputed whitened vectors. */
export function posteriorCovFromWhitened<Q>(post: GaussianPosterior<Q>, a: Q, wa: Float64Array, b: Q, wb: Float64Array): number {
  let s = 0;
  for (let i = 0; i < wa.length; i++) s += wa[i]! * wb[i]!;
  return post.priorCov(a, b) - s;
}

/** Targets (utility inputs, Monte-Carlo points) with their whitened vectors computed once. */
export interface PreparedTargets<Q> {
  queries: Q[];
  whitened: Float64Array[];
  /** posterior variance at every target */
  variance: Float64Array;
  /** Σ_j variance_j = Tr(Σ_u) */
  trace: number;
}

export function prepareTargets<Q>(post: GaussianPosterior<Q>, queries: Q[]): PreparedTargets<Q> {
  const whitened = queries.map((q) => post.whitened(q));
  const variance = new Float64Array(queries.length);
  let trace = 0;
  queries.forEach((q, j) => {
    const v = Math.max(0, posteriorCovFromWhitened(post, q, whitened[j]!, q, whitened[j]!));
    variance[j] = v;
    trace += v;
  });
  return { queries, whitened, variance, trace };
}

/**
 * Total reduction of the targets' posterior variance if the candidate block
 * were observed (with noise): Tr(Σ_tc (Σ_cc + N)⁻¹ Σ_ct) = Tr(Σ_t) − Tr(Σ_t^aug).
 * For one candidate this is Σ_j cov(t_j, c)² / (var(c) + noise(c)).
 */
export function varianceReduction<Q>(post: GaussianPosterior<Q>, targets: PreparedTargets<Q>, candidate: Q[]): number {
  const c = candidate.length;
  if (c === 0) return 0;
  const wc = candidate.map((q) => post.whitened(q));
  const S = new Float64Array(c * c);
  for (let a = 0; a < c; a++) {
    for (let b = 0; b <= a; b++) {
      let v = posteriorCovFromWhitened(post, candidate[a]!, wc[a]!, candidate[b]!, wc[b]!);
      if (a === b) {
        // a noise-free candidate at an observed point has ~0 (even slightly negative) variance:
        // clamp, and for blocks add a floor of 1e-10 × the prior variance so the block stays factorable
        v = Math.max(v, 0) + post.noiseVariance(candidate[a]!);
        if (c > 1) v += 1e-10 * post.priorCov(candidate[a]!, candidate[a]!);
      }
      S[a * c + b] = v;
      S[b * c + a] = v;
    }
  }
  if (c === 1) {
    const s = S[0]!;
    // nothing left to learn there (and avoid 0/0 from roundoff)
    if (!(s > 1e-14 * post.priorCov(candidate[0]!, candidate[0]!))) return 0;
    let total = 0;
    targets.queries.forEach((t, j) => {
      const cov = posteriorCovFromWhitened(post, t, targets.whitened[j]!, candidate[0]!, wc[0]!);
      total += (cov * cov) / s;
    });
    return total;
  }
  let L: Float64Array;
  try {
    L = cholesky(S, c, { initialJitter: 1e-12, maxJitter: 1e-4 }).L;
  } catch {
    return 0; // the block is (numerically) already known: observing it reduces nothing
  }
  let total = 0;
  const col = new Float64Array(c);
  targets.queries.forEach((t, j) => {
    for (let a = 0; a < c; a++) col[a] = posteriorCovFromWhitened(post, t, targets.whitened[j]!, candidate[a]!, wc[a]!);
    const z = solveLower(L, c, col);
    for (let a = 0; a < c; a++) total += z[a]! * z[a]!;
  });
  return total;
}
