// The joint likelihood model of the multi-fidelity GP (mfgp.ts): parameter
// layout, the ρ-coefficient table, the covariance over the points of all
// levels, and the analytic gradient of the log marginal likelihood with
// respect to every length scale, amplitude, ρ, noise and mean.
import type { KernelKind } from './kernels.ts';
import type { CovarianceModel } from './likelihood.ts';

const SQRT5 = Math.sqrt(5);

export interface MfgpLevelData {
  X: readonly (readonly number[])[];
  y: readonly number[];
}

/** Parameter layout (normalised units). */
export function layout(T: number, D: number) {
  const ls = (t: number, d: number) => t * (D + 1) + d;
  const amp = (t: number) => t * (D + 1) + D;
  const rho = (v: number) => T * (D + 1) + v;
  const noise = (t: number) => T * (D + 1) + (T - 1) + t;
  const mean = (t: number) => T * (D + 1) + (T - 1) + T + t;
  return { ls, amp, rho, noise, mean, size: T * (D + 1) + (T - 1) + 2 * T };
}

/** C[s][u] = Π_{v=u}^{s−1} ρ_v (u ≤ s), and dC[v][s][u] = ∂C_su/∂ρ_v. */
export function coefficients(rho: ArrayLike<number>, T: number): { C: number[][]; dC: number[][][] } {
  const C = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  const dC = Array.from({ length: Math.max(T - 1, 0) }, () => Array.from({ length: T }, () => new Array<number>(T).fill(0)));
  for (let s = 0; s < T; s++) {
    for (let u = 0; u <= s; u++) {
      let c = 1;
      for (let v = u; v < s; v++) c *= rho[v]!;
      C[s]![u] = c;
      for (let v = u; v < s; v++) {
        let dc = 1;
        for (let w = u; w < s; w++) if (w !== v) dc *= rho[w]!;
        dC[v]![s]![u] = dc;
      }
    }
  }
  return { C, dC };
}

export interface MfObservations {
  T: number;
  D: number;
  X: Float64Array; // n × D
  level: Int32Array;
  y: Float64Array; // normalised
}

export class MfLikelihoodModel implements CovarianceModel {
  readonly nParams: number;
  readonly paramNames: string[];
  readonly n: number;
  private diff2: Float64Array; // pairs i ≥ j (diagonal included), D each
  private cacheP: Float64Array | null = null;
  private cacheG: Float64Array | null = null;
  private cacheGq: Float64Array | null = null;

  constructor(
    private obs: MfObservations,
    private kind: KernelKind,
    readonly lower: Float64Array,
    readonly upper: Float64Array,
    /** profile the level means out by GLS (their parameters are then ignored) */
    readonly profileMeans = false,
  ) {
    const { T, D, X } = obs;
    const L = layout(T, D);
    this.nParams = L.size;
    const names: string[] = new Array<string>(L.size);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) names[L.ls(t, d)] = `level${t}.log_lengthscale[${d}]`;
      names[L.amp(t)] = `level${t}.log_amplitude`;
      names[L.noise(t)] = `level${t}.log_noise`;
      names[L.mean(t)] = `level${t}.mean`;
      if (t < T - 1) names[L.rho(t)] = `rho[${t}]`;
    }
    this.paramNames = names;
    const n = obs.y.length;
    this.n = n;
    this.diff2 = new Float64Array(((n * (n + 1)) / 2) * D);
    let o = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        for (let d = 0; d < D; d++) {
          const u = X[i * D + d]! - X[j * D + d]!;
          this.diff2[o++] = u * u;
        }
      }
    }
  }

  private unpack(p: Float64Array) {
    const { T, D } = this.obs;
    const L = layout(T, D);
    const invL2 = Array.from({ length: T }, (_, t) => Float64Array.from({ length: D }, (_, d) => Math.exp(-2 * p[L.ls(t, d)]!)));
    const sf2 = Float64Array.from({ length: T }, (_, t) => Math.exp(2 * p[L.amp(t)]!));
    const rho = Float64Array.from({ length: Math.max(T - 1, 0) }, (_, v) => p[L.rho(v)]!);
    const sn2 = Float64Array.from({ length: T }, (_, t) => Math.exp(2 * p[L.noise(t)]!));
    const m = Float64Array.from({ length: T }, (_, t) => p[L.mean(t)]!);
    return { L, invL2, sf2, rho, sn2, m, ...coefficients(rho, T) };
  }

  build(p: Float64Array): { K: Float64Array; mean: Float64Array; basis?: { H: Float64Array; B: number } } {
    const { T, D, level } = this.obs;
    const n = this.n;
    const { invL2, sf2, sn2, m, C } = this.unpack(p);
    const K = new Float64Array(n * n);
    const mean = new Float64Array(n);
    // mean of f_s = Σ_u C_su m_u: either from p, or the basis H_iu = C_{s_i u} for GLS
    const H = this.profileMeans ? new Float64Array(n * T) : null;
    const d2 = this.diff2;
    // g_u and dg_u/dq per (pair, level u), kept for the gradient at the same p
    const size = ((n * (n + 1)) / 2) * T;
    if (!this.cacheG || this.cacheG.length !== size) {
      this.cacheG = new Float64Array(size);
      this.cacheGq = new Float64Array(size);
    }
    const cg = this.cacheG;
    const cgq = this.cacheGq!;
    const rbf = this.kind === 'rbf';
    let o = 0;
    let pair = 0;
    for (let i = 0; i < n; i++) {
      const s = level[i]!;
      if (H) for (let u = 0; u <= s; u++) H[i * T + u] = C[s]![u]!;
      else {
        let mu = 0;
        for (let u = 0; u <= s; u++) mu += C[s]![u]! * m[u]!;
        mean[i] = mu;
      }
      const Cs = C[s]!;
      for (let j = 0; j <= i; j++) {
        const t = level[j]!;
        const Ct = C[t]!;
        const mn = s < t ? s : t;
        let v = 0;
        for (let u = 0; u <= mn; u++) {
          const il = invL2[u]!;
          let q = 0;
          for (let d = 0; d < D; d++) q += d2[o + d]! * il[d]!;
          let g: number;
          const c = pair * T + u;
          if (rbf) {
            g = Math.exp(-0.5 * q);
            cgq[c] = -0.5 * g;
          } else {
            const r = Math.sqrt(q);
            const e = Math.exp(-SQRT5 * r);
            g = (1 + SQRT5 * r + (5 / 3) * q) * e;
            cgq[c] = (-5 / 6) * (1 + SQRT5 * r) * e;
          }
          cg[c] = g;
          v += Cs[u]! * Ct[u]! * sf2[u]! * g;
        }
        o += D;
        pair++;
        if (i === j) v += sn2[s]!;
        K[i * n + j] = v;
        K[j * n + i] = v;
      }
    }
    this.cacheP = Float64Array.from(p);
    return H ? { K, mean, basis: { H, B: T } } : { K, mean };
  }

  private sameP(p: Float64Array): boolean {
    const c = this.cacheP;
    if (!c || c.length !== p.length) return false;
    for (let k = 0; k < p.length; k++) if (c[k] !== p[k]) return false;
    return true;
  }

  gradient(p: Float64Array, G: Float64Array, alpha: Float64Array, beta?: Float64Array): Float64Array {
    const { T, D, level } = this.obs;
    const n = this.n;
    const { L, invL2, sf2, sn2, m: mp, C, dC } = this.unpack(p);
    if (this.profileMeans && !beta) throw new Error('MfLikelihoodModel.gradient: profiled means need beta');
    const m = this.profileMeans ? beta! : mp;
    const grad = new Float64Array(this.nParams);
    const d2 = this.diff2;
    if (!this.sameP(p)) this.build(p); // refresh the per-pair cache
    const cg = this.cacheG!;
    const cgq = this.cacheGq!;
    const R = T - 1;
    // coefficient tables per (s, t, u): C_su C_tu and its ρ_v derivatives
    const cc = new Float64Array(T * T * T);
    const dcc = new Float64Array(T * T * T * Math.max(R, 1));
    for (let a = 0; a < T; a++) {
      for (let b = 0; b < T; b++) {
        for (let u = 0; u <= Math.min(a, b); u++) {
          const k = (a * T + b) * T + u;
          cc[k] = C[a]![u]! * C[b]![u]!;
          for (let v = 0; v < R; v++) dcc[k * R + v] = dC[v]![a]![u]! * C[b]![u]! + C[a]![u]! * dC[v]![b]![u]!;
        }
      }
    }
    const accAmp = new Float64Array(T);
    const accLs = new Float64Array(T * D);
    const accRho = new Float64Array(Math.max(R, 1));
    let o = 0;
    let pair = 0;
    for (let i = 0; i < n; i++) {
      const s = level[i]!;
      const row = i * n;
      for (let j = 0; j <= i; j++) {
        const t = level[j]!;
        const w = i === j ? G[row + i]! : 2 * G[row + j]!;
        const mn = s < t ? s : t;
        const base = (s * T + t) * T;
        for (let u = 0; u <= mn; u++) {
          const c = pair * T + u;
          const kv = sf2[u]! * cg[c]!;
          const wc = w * cc[base + u]!;
          accAmp[u]! += wc * kv;
          // ∂k_u/∂log ℓ_ud = σ_u² g_q (−2 Δ_d²/ℓ_ud²); the 1/ℓ² factor is applied at the end
          const wg = -2 * wc * sf2[u]! * cgq[c]!;
          const lo = u * D;
          for (let d = 0; d < D; d++) accLs[lo + d]! += wg * d2[o + d]!;
          for (let v = 0; v < R; v++) accRho[v]! += w * dcc[(base + u) * R + v]! * kv;
        }
        o += D;
        pair++;
      }
      grad[L.noise(s)]! += 2 * sn2[s]! * G[i * n + i]!;
      const a = alpha[i]!;
      for (let u = 0; u <= s; u++) {
        if (!this.profileMeans) grad[L.mean(u)]! += a * C[s]![u]!;
        for (let v = 0; v < T - 1; v++) grad[L.rho(v)]! += a * dC[v]![s]![u]! * m[u]!;
      }
    }
    for (let u = 0; u < T; u++) {
      grad[L.amp(u)]! += 2 * accAmp[u]!;
      for (let d = 0; d < D; d++) grad[L.ls(u, d)]! += accLs[u * D + d]! * invL2[u]![d]!;
    }
    for (let v = 0; v < R; v++) grad[L.rho(v)]! += accRho[v]!;
    return grad;
  }
}

/** The joint likelihood model over all levels (unnormalised outputs), for diagnostics and gradient checks. */
export function mfLikelihoodModelFor(levels: readonly MfgpLevelData[], kind: KernelKind = 'rbf'): { model: CovarianceModel; y: Float64Array } {
  const T = levels.length;
  const D = levels[0]!.X[0]!.length;
  const obs: MfObservations = {
    T,
    D,
    X: Float64Array.from(levels.flatMap((l) => l.X.flatMap((r) => [...r]))),
    level: Int32Array.from(levels.flatMap((l, t) => l.y.map(() => t))),
    y: Float64Array.from(levels.flatMap((l) => [...l.y])),
  };
  const P = layout(T, D).size;
  return { model: new MfLikelihoodModel(obs, kind, new Float64Array(P).fill(-20), new Float64Array(P).fill(20)), y: obs.y };
}
