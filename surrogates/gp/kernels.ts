// Stationary ARD kernels k(x, x') = σ_f² g(q), q = Σ_d ((x_d − x'_d)/ℓ_d)², and
// their derivatives: with respect to the inputs (gradients of the posterior,
// derivative observations, seed 004 Eq. 12–13) and to log ℓ (likelihood gradients).
// Writing every kernel through g(q), g'(q), g''(q) gives all the derivative
// blocks from one formula.

export type KernelKind = 'rbf' | 'matern52';
export const KERNEL_KINDS: readonly KernelKind[] = ['rbf', 'matern52'];

export interface KernelParams {
  kind: KernelKind;
  /** ARD length scales ℓ_d, one per input dimension */
  lengthscales: ArrayLike<number>;
  /** σ_f² (the prior variance of f) */
  variance: number;
}

/** g, dg/dq, d²g/dq² at q = r² (unit variance). */
export interface RadialProfile {
  g: number;
  gq: number;
  gqq: number;
}

const SQRT5 = Math.sqrt(5);

/**
 * Unit-variance radial profile. RBF: g = exp(−q/2). Matérn 5/2 (Rasmussen &
 * Williams Eq. 4.17): g = (1 + √5 r + 5r²/3) e^{−√5 r}; then
 * dg/dq = −(5/6)(1 + √5 r) e^{−√5 r} and d²g/dq² = (25/12) e^{−√5 r}, both finite at r = 0.
 */
export function radial(kind: KernelKind, q: number): RadialProfile {
  if (kind === 'rbf') {
    const g = Math.exp(-0.5 * q);
    return { g, gq: -0.5 * g, gqq: 0.25 * g };
  }
  const r = Math.sqrt(q);
  const e = Math.exp(-SQRT5 * r);
  return { g: (1 + SQRT5 * r + (5 / 3) * q) * e, gq: (-5 / 6) * (1 + SQRT5 * r) * e, gqq: (25 / 12) * e };
}

/** g alone (the hot path of covariance matrices). */
export function radialValue(kind: KernelKind, q: number): number {
  if (kind === 'rbf') return Math.exp(-0.5 * q);
  const r = Math.sqrt(q);
  return (1 + SQRT5 * r + (5 / 3) * q) * Math.exp(-SQRT5 * r);
}

/** g and dg/dq (for likelihood gradients). */
export function radialWithSlope(kind: KernelKind, q: number, out: Float64Array): void {
  if (kind === 'rbf') {
    const g = Math.exp(-0.5 * q);
    out[0] = g;
    out[1] = -0.5 * g;
    return;
  }
  const r = Math.sqrt(q);
  const e = Math.exp(-SQRT5 * r);
  out[0] = (1 + SQRT5 * r + (5 / 3) * q) * e;
  out[1] = (-5 / 6) * (1 + SQRT5 * r) * e;
}

export function checkKernel(kp: KernelParams, dim: number, field = 'kernel'): void {
  if (!KERNEL_KINDS.includes(kp.kind)) throw new Error(`${field}.kind: unknown kernel "${kp.kind}" (rbf or matern52)`);
  if (kp.lengthscales.length !== dim) {
    throw new Error(`${field}.lengthscales: ${kp.lengthscales.length} length scales for ${dim} input dimensions`);
  }
  for (let d = 0; d < dim; d++) {
    if (!(kp.lengthscales[d]! > 0)) throw new Error(`${field}.lengthscales[${d}] must be > 0 (got ${kp.lengthscales[d]})`);
  }
  if (!(kp.variance > 0)) throw new Error(`${field}.variance must be > 0 (got ${kp.variance})`);
}

/** Scaled squared distance q between xa and xb (offsets into flat row-major arrays). */
export function scaledDistance2(
  xa: ArrayLike<number>,
  oa: number,
  xb: ArrayLike<number>,
  ob: number,
  ls: ArrayLike<number>,
  dim: number,
): number {
  let q = 0;
  for (let d = 0; d < dim; d++) {
    const u = (xa[oa + d]! - xb[ob + d]!) / ls[d]!;
    q += u * u;
  }
  return q;
}

/** k(xa, xb). */
export function kernelValue(kp: KernelParams, xa: ArrayLike<number>, xb: ArrayLike<number>): number {
  const q = scaledDistance2(xa, 0, xb, 0, kp.lengthscales, kp.lengthscales.length);
  return kp.variance * radialValue(kp.kind, q);
}

/**
 * Covariance between two functionals of f: `da` / `db` = −1 for the value,
 * d ≥ 0 for ∂f/∂x_d (seed 004 Eq. 12–13). With u = (xa − xb)/ℓ:
 *   cov(f(a), f(b))          = σ² g
 *   cov(∂_d f(a), f(b))      = σ² g_q · 2u_d/ℓ_d
 *   cov(f(a), ∂_e f(b))      = −σ² g_q · 2u_e/ℓ_e
 *   cov(∂_d f(a), ∂_e f(b))  = σ² [−4 g_qq u_d u_e/(ℓ_d ℓ_e) − 2 g_q δ_de/ℓ_d²]
 */
export function kernelFunctional(
  kp: KernelParams,
  xa: ArrayLike<number>,
  oa: number,
  da: number,
  xb: ArrayLike<number>,
  ob: number,
  db: number,
): number {
  const ls = kp.lengthscales;
  const dim = ls.length;
  const q = scaledDistance2(xa, oa, xb, ob, ls, dim);
  if (da < 0 && db < 0) return kp.variance * radialValue(kp.kind, q);
  const p = radial(kp.kind, q);
  if (db < 0) {
    const ud = (xa[oa + da]! - xb[ob + da]!) / ls[da]!;
    return kp.variance * p.gq * (2 * ud) / ls[da]!;
  }
  if (da < 0) {
    const ue = (xa[oa + db]! - xb[ob + db]!) / ls[db]!;
    return (-kp.variance * p.gq * (2 * ue)) / ls[db]!;
  }
  const ud = (xa[oa + da]! - xb[ob + da]!) / ls[da]!;
  const ue = (xa[oa + db]! - xb[ob + db]!) / ls[db]!;
  let v = (-4 * p.gqq * ud * ue) / (ls[da]! * ls[db]!);
  if (da === db) v -= (2 * p.gq) / (ls[da]! * ls[da]!);
  return kp.variance * v;
}
