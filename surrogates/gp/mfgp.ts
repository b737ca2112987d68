// Multi-fidelity GP: the linear autoregressive model of Kennedy & O'Hagan
// (2000), seed 000 appendix 10, for any number T of fidelities (level 0 = lowest):
//   f_0 = δ_0,   f_t(θ) = ρ_{t−1} f_{t−1}(θ) + δ_t(θ),
// each δ_t an independent GP with its own ARD kernel over ALL input dimensions
// and its own constant mean, plus per-level Gaussian noise. Hence
//   cov(f_s(x), f_t(x')) = Σ_{u ≤ min(s,t)} C_su C_tu k_u(x, x'),  C_su = Π_{v=u}^{s−1} ρ_v,
// one joint covariance over the points of all levels; every hyperparameter
// (ρ's included) is fitted jointly by maximising the log marginal likelihood
// with its analytic gradient.
import { cholesky, cholSolve, solveLower, type CholeskyResult } from '../../lib/linalg.ts';
import type { Rng } from '../../lib/random.ts';
import { radialValue, scaledDistance2, type KernelKind } from './kernels.ts';
import { likelihoodAt, logMarginalLikelihood, maximizeLikelihood } from './likelihood.ts';
import type { GaussianPosterior } from './posterior.ts';
import { coefficients, layout, MfLikelihoodModel, type MfgpLevelData, type MfObservations } from './mfgp-model.ts';

export type { MfgpLevelData } from './mfgp-model.ts';
export { mfLikelihoodModelFor } from './mfgp-model.ts';

export interface MfgpHyperparameters {
  /** per level t: ARD length scales of δ_t */
  lengthscales: number[][];
  /** per level t: prior standard deviation of δ_t (output units) */
  amplitude: number[];
  /** ρ_0 … ρ_{T−2}: f_{t+1} = ρ_t f_t + δ_{t+1} */
  rho: number[];
  /** per level: observation noise standard deviation (output units) */
  noise: number[];
  /** per level: constant prior mean of δ_t (output units, before normalisation offsets) */
  mean: number[];
}

export interface MfgpOptions {
  kernel?: KernelKind;
  /** noise std per level (output units), one number for all, or 'learn' (default) */
  noise?: number | 'learn' | (number | 'learn')[];
  /** random starts besides the default start (default 3) */
  restarts?: number;
  /** standardise outputs with the pooled mean/std (default true) */
  normalize?: boolean;
  /** use these hyperparameters and skip the fit */
  hyperparameters?: MfgpHyperparameters;
  maxIter?: number;
  /**
   * Many points: run the multi-start search with the large levels randomly
   * thinned to about `size` points in all (levels with ≤ 20 points are kept
   * whole), then polish the best optimum on all the data. Used when there are
   * more than `above` points (default { above: 150, size: 100 }); false turns it off.
   */
  screening?: { above: number; size: number } | false;
  /**
   * Gaussian prior on ρ_t per link t (level t → t + 1; null = flat): the fit
   * becomes a MAP estimate. For levels that measure the same quantity in the
   * same units (e.g. RESuM's y_CNP and m/N of the same HF runs) ρ ≈ 1 is known,
   * and a few noisy top-level points otherwise let ρ̂ drift to 0.
   */
  rhoPrior?: ({ mean: number; sd: number } | null)[];
}

/** A functional for the design code: f at level `level`, input x. */
export interface LevelQuery {
  x: readonly number[];
  level: number;
}


export interface MfgpFitReport {
  logML: number;
  jitter: number;
  hyperparameters: MfgpHyperparameters;
  runs: { logML: number; iterations: number; evaluations: number; message: string }[];
}

export interface MfgpState {
  kind: 'mfgp';
  options: Omit<MfgpOptions, 'hyperparameters'>;
  hyperparameters: MfgpHyperparameters;
  levels: { X: number[][]; y: number[] }[];
}

/** A random subset of the observations: levels with ≤ 20 points whole, the rest thinned to about `size` in all. */
/** log N(ρ_t; mean, sd²) summed over the links that have a prior, with its gradient; undefined without any. */
function rhoLogPrior(priors: MfgpOptions['rhoPrior'], T: number, L: ReturnType<typeof layout>): ((p: Float64Array) => { value: number; gradient: Float64Array }) | undefined {
  if (!priors) return undefined;
  if (!Array.isArray(priors) || priors.length !== T - 1) throw new Error(`MfgpOptions.rhoPrior: expected ${T - 1} entries (one per link), got ${Array.isArray(priors) ? priors.length : typeof priors}`);
  priors.forEach((q, t) => {
    if (q !== null && !(Number.isFinite(q.mean) && q.sd > 0)) throw new Error(`MfgpOptions.rhoPrior[${t}]: needs a finite mean and sd > 0 (got ${JSON.stringify(q)})`);
  });
  if (priors.every((q) => q === null)) return undefined;
  return (p) => {
    const gradient = new Float64Array(L.size);
    let value = 0;
    priors.forEach((q, t) => {
      if (!q) return;
      const z = (p[L.rho(t)]! - q.mean) / q.sd;
      value -= 0.5 * z * z;
      gradient[L.rho(t)] = -z / q.sd;
    });
    return { value, gradient };
  };
}

function thinLevels(obs: MfObservations, size: number, rng: Rng): MfObservations {
  if (!(size >= 2)) throw new Error(`MfgpOptions.screening.size must be ≥ 2 (got ${size})`);
  const { T, D } = obs;
  const byLevel: number[][] = Array.from({ length: T }, () => []);
  obs.level.forEach((t, i) => byLevel[t]!.push(i));
  const small = byLevel.filter((ix) => ix.length <= 20).reduce((a, ix) => a + ix.length, 0);
  const large = byLevel.filter((ix) => ix.length > 20).reduce((a, ix) => a + ix.length, 0);
  const budget = Math.max(size - small, 0);
  const keep: number[] = [];
  for (const ix of byLevel) {
    if (ix.length <= 20) keep.push(...ix);
    else {
      const m = Math.max(20, Math.round((budget * ix.length) / large));
      const perm = rng.permutation(ix.length);
      for (let k = 0; k < Math.min(m, ix.length); k++) keep.push(ix[perm[k]!]!);
    }
  }
  keep.sort((a, b) => a - b);
  const X = new Float64Array(keep.length * D);
  keep.forEach((i, r) => X.set(obs.X.subarray(i * D, i * D + D), r * D));
  return { T, D, X, level: Int32Array.from(keep, (i) => obs.level[i]!), y: Float64Array.from(keep, (i) => obs.y[i]!) };
}

export class MultiFidelityGP implements GaussianPosterior<LevelQuery> {
  options: MfgpOptions;
  private obs: MfObservations | null = null;
  private levels: MfgpLevelData[] = [];
  private p: Float64Array | null = null;
  private chol: CholeskyResult | null = null;
  private alpha: Float64Array | null = null;
  private kind: KernelKind = 'rbf';
  private yMean = 0;
  private yScale = 1;
  private lastLogML = NaN;
  private cache: { C: number[][]; ls: Float64Array[]; sf2: Float64Array; mean: Float64Array; noise: Float64Array } | null = null;

  constructor(options: MfgpOptions = {}) {
    this.options = { ...options };
  }

  get nLevels(): number {
    return this.need().obs.T;
  }
  get logMarginalLikelihood(): number {
    return this.lastLogML;
  }

  private need() {
    if (!this.obs || !this.p || !this.chol || !this.alpha) throw new Error('MultiFidelityGP: call fit() first');
    return { obs: this.obs, p: this.p, L: this.chol.L, alpha: this.alpha };
  }

  /** Fits all hyperparameters jointly; levels[0] is the lowest fidelity, the last the highest. */
  fit(levels: readonly MfgpLevelData[], opts: { rng: Rng; warmStart?: MfgpHyperparameters | null }): MfgpFitReport {
    const T = levels.length;
    if (T < 1) throw new Error('MultiFidelityGP.fit: levels is empty');
    const D = levels.find((l) => l.X.length > 0)?.X[0]?.length ?? 0;
    if (D === 0) throw new Error('MultiFidelityGP.fit: no input points');
    const xs: number[] = [];
    const lev: number[] = [];
    const ys: number[] = [];
    levels.forEach((l, t) => {
      if (l.X.length !== l.y.length) throw new Error(`MultiFidelityGP.fit: levels[${t}] has ${l.X.length} inputs and ${l.y.length} outputs`);
      l.X.forEach((row, i) => {
        if (row.length !== D) throw new Error(`MultiFidelityGP.fit: levels[${t}].X[${i}] has ${row.length} columns, expected ${D}`);
        for (const v of row) if (!Number.isFinite(v)) throw new Error(`MultiFidelityGP.fit: levels[${t}].X[${i}] is not finite`);
        if (!Number.isFinite(l.y[i]!)) throw new Error(`MultiFidelityGP.fit: levels[${t}].y[${i}] is not finite`);
        xs.push(...row);
        lev.push(t);
        ys.push(l.y[i]!);
      });
    });
    const n = ys.length;
    const o = this.options;
    this.kind = o.kernel ?? 'rbf';
    let ym = 0;
    let ysc = 1;
    if (o.normalize ?? true) {
      ym = ys.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(ys.reduce((a, b) => a + (b - ym) ** 2, 0) / n);
      ysc = n > 1 && sd > 0 ? sd : 1;
    }
    const obs: MfObservations = { T, D, X: Float64Array.from(xs), level: Int32Array.from(lev), y: Float64Array.from(ys, (v) => (v - ym) / ysc) };
    const L = layout(T, D);
    const range = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, xs[i * D + d]!);
        hi = Math.max(hi, xs[i * D + d]!);
      }
      range[d] = hi > lo ? hi - lo : 1;
    }
    const lower = new Float64Array(L.size);
    const upper = new Float64Array(L.size);
    const def = new Float64Array(L.size);
    const fixed = new Array<boolean>(L.size).fill(false);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        lower[L.ls(t, d)] = Math.log(0.01 * range[d]!);
        upper[L.ls(t, d)] = Math.log(20 * range[d]!); // beyond 20× the data range a kernel is flat anyway
        def[L.ls(t, d)] = Math.log(0.5 * range[d]!);
      }
      lower[L.amp(t)] = Math.log(1e-4);
      upper[L.amp(t)] = Math.log(1e2);
      def[L.amp(t)] = t === 0 ? 0 : Math.log(0.3);
      lower[L.noise(t)] = Math.log(1e-6);
      upper[L.noise(t)] = Math.log(1);
      def[L.noise(t)] = Math.log(1e-3);
      const nz = Array.isArray(o.noise) ? o.noise[t] : o.noise;
      if (typeof nz === 'number') {
        if (!(nz >= 0)) throw new Error(`MfgpOptions.noise[${t}] must be ≥ 0 (got ${nz})`);
        def[L.noise(t)] = Math.log(Math.max(nz, 1e-300) / ysc);
        fixed[L.noise(t)] = true;
      }
      lower[L.mean(t)] = -10;
      upper[L.mean(t)] = 10;
      if (t < T - 1) {
        lower[L.rho(t)] = -5;
        upper[L.rho(t)] = 5;
        def[L.rho(t)] = 1;
      }
    }
    const toParams = (h: MfgpHyperparameters): Float64Array => {
      const p = new Float64Array(L.size);
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) p[L.ls(t, d)] = Math.log(h.lengthscales[t]![d]!);
        p[L.amp(t)] = Math.log(h.amplitude[t]! / ysc);
        p[L.noise(t)] = Math.log(Math.max(h.noise[t]!, 1e-300) / ysc);
        if (t < T - 1) p[L.rho(t)] = h.rho[t]!;
      }
      // means: the normalised model is f'_t = (f_t − ym)/ysc, so δ'_t gets m'_t = (m_t − ym(1 − ρ_{t−1}))/ysc (m'_0 = (m_0 − ym)/ysc)
      for (let t = 0; t < T; t++) p[L.mean(t)] = (h.mean[t]! - ym * (t === 0 ? 1 : 1 - h.rho[t - 1]!)) / ysc;
      return p;
    };
    // fitting: the level means are profiled out (GLS), so they are not optimiser variables
    const logPrior = rhoLogPrior(o.rhoPrior, T, L);
    const profile = !o.hyperparameters;
    const model = new MfLikelihoodModel(obs, this.kind, lower, upper, profile);
    if (profile) for (let t = 0; t < T; t++) fixed[L.mean(t)] = true;
    let p: Float64Array;
    let runs: MfgpFitReport['runs'] = [];
    if (o.hyperparameters) {
      const h = o.hyperparameters;
      if (h.lengthscales.length !== T || h.amplitude.length !== T || h.noise.length !== T || h.mean.length !== T || h.rho.length !== T - 1) {
        throw new Error(`MfgpOptions.hyperparameters: expected ${T} levels (and ${T - 1} rho values)`);
      }
      p = toParams(h);
    } else {
      const starts: Float64Array[] = [def];
      if (opts.warmStart && opts.warmStart.lengthscales.length === T && opts.warmStart.lengthscales[0]!.length === D) {
        const w = toParams(opts.warmStart);
        for (let k = 0; k < L.size; k++) w[k] = fixed[k] ? def[k]! : Math.min(upper[k]!, Math.max(lower[k]!, w[k]!));
        starts.unshift(w);
      }
      const screen = o.screening === false ? null : (o.screening ?? { above: 150, size: 100 });
      const maxIter = o.maxIter ?? 300;
      if (screen && n > screen.above) {
        const sub = thinLevels(obs, screen.size, opts.rng);
        const first = maximizeLikelihood(new MfLikelihoodModel(sub, this.kind, lower, upper, true), sub.y, { restarts: o.restarts ?? 3, rng: opts.rng, starts, fixed, maxIter, logPrior });
        const polish = maximizeLikelihood(model, obs.y, { restarts: 0, rng: opts.rng, starts: [first.p], fixed, maxIter, logPrior });
        p = polish.p;
        runs = [...first.runs.map((r) => ({ ...r, message: `subset of ${sub.y.length}: ${r.message}` })), ...polish.runs];
      } else {
        const res = maximizeLikelihood(model, obs.y, { restarts: o.restarts ?? 3, rng: opts.rng, starts, fixed, maxIter, logPrior });
        p = res.p;
        runs = res.runs;
      }
    }
    if (profile) {
      const beta = likelihoodAt(model, obs.y, p).beta!;
      for (let t = 0; t < T; t++) p[L.mean(t)] = beta[t]!;
    }
    const condModel = profile ? new MfLikelihoodModel(obs, this.kind, lower, upper, false) : model;
    const { K, mean } = condModel.build(p);
    const chol = cholesky(K, n);
    const r = Float64Array.from(obs.y, (v, i) => v - mean[i]!);
    this.alpha = cholSolve(chol.L, n, r);
    this.chol = chol;
    this.obs = obs;
    this.p = p;
    this.cache = null;
    this.levels = levels.map((l) => ({ X: l.X.map((row) => [...row]), y: [...l.y] }));
    this.yMean = ym;
    this.yScale = ysc;
    this.lastLogML = logMarginalLikelihood(condModel, obs.y, p, false).logML - n * Math.log(ysc);
    return { logML: this.lastLogML, jitter: chol.jitter, hyperparameters: this.hyperparameters(), runs };
  }

  hyperparameters(): MfgpHyperparameters {
    const { obs, p } = this.need();
    const { T, D } = obs;
    const L = layout(T, D);
    const rho = Array.from({ length: T - 1 }, (_, v) => p[L.rho(v)]!);
    return {
      lengthscales: Array.from({ length: T }, (_, t) => Array.from({ length: D }, (_, d) => Math.exp(p[L.ls(t, d)]!))),
      amplitude: Array.from({ length: T }, (_, t) => Math.exp(p[L.amp(t)]!) * this.yScale),
      rho,
      noise: Array.from({ length: T }, (_, t) => Math.exp(p[L.noise(t)]!) * this.yScale),
      mean: Array.from({ length: T }, (_, t) => p[L.mean(t)]! * this.yScale + this.yMean * (t === 0 ? 1 : 1 - rho[t - 1]!)),
    };
  }

  /** ρ-coefficients and per-level kernels of the fitted parameters (computed once per fit). */
  private coef(): { C: number[][]; ls: Float64Array[]; sf2: Float64Array; mean: Float64Array; noise: Float64Array } {
    const { obs, p } = this.need();
    if (this.cache) return this.cache;
    const { T, D } = obs;
    const L = layout(T, D);
    const rho = Array.from({ length: T - 1 }, (_, v) => p[L.rho(v)]!);
    this.cache = {
      C: coefficients(rho, T).C,
      ls: Array.from({ length: T }, (_, t) => Float64Array.from({ length: D }, (_, d) => Math.exp(p[L.ls(t, d)]!))),
      sf2: Float64Array.from({ length: T }, (_, t) => Math.exp(2 * p[L.amp(t)]!)),
      mean: Float64Array.from({ length: T }, (_, t) => p[L.mean(t)]!),
      noise: Float64Array.from({ length: T }, (_, t) => Math.exp(2 * p[L.noise(t)]!)),
    };
    return this.cache;
  }

  /** Normalised prior covariance between f_a(xa) and f_b(xb). */
  private k(a: number, xa: ArrayLike<number>, oa: number, b: number, xb: ArrayLike<number>, ob: number): number {
    const { C, ls, sf2 } = this.coef();
    const D = ls[0]!.length;
    const mn = Math.min(a, b);
    let v = 0;
    for (let u = 0; u <= mn; u++) {
      const q = scaledDistance2(xa, oa, xb, ob, ls[u]!, D);
      v += C[a]![u]! * C[b]![u]! * sf2[u]! * radialValue(this.kind, q);
    }
    return v;
  }

  private checkQuery(q: LevelQuery): void {
    const { obs } = this.need();
    if (!(Number.isInteger(q.level) && q.level >= 0 && q.level < obs.T)) throw new Error(`MultiFidelityGP: level ${q.level} is not in 0..${obs.T - 1}`);
    if (q.x.length !== obs.D) throw new Error(`MultiFidelityGP: x has ${q.x.length} entries, expected ${obs.D}`);
  }

  private crossCov(q: LevelQuery): Float64Array {
    this.checkQuery(q);
    const { obs } = this.need();
    const n = obs.y.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.k(q.level, q.x, 0, obs.level[i]!, obs.X, i * obs.D);
    return out;
  }

  // ---- GaussianPosterior (output units) ----
  priorCov(a: LevelQuery, b: LevelQuery): number {
    this.checkQuery(a);
    this.checkQuery(b);
    return this.yScale * this.yScale * this.k(a.level, a.x, 0, b.level, b.x, 0);
  }
  whitened(q: LevelQuery): Float64Array {
    const { obs, L } = this.need();
    const w = solveLower(L, obs.y.length, this.crossCov(q));
    for (let i = 0; i < w.length; i++) w[i]! *= this.yScale;
    return w;
  }
  noiseVariance(q: LevelQuery): number {
    this.checkQuery(q);
    return this.yScale * this.yScale * this.coef().noise[q.level]!;
  }

  /** Latent mean and variance of f_level at each row of Xs (default: the highest level). */
  predict(Xs: readonly (readonly number[])[], level?: number): { mean: Float64Array; variance: Float64Array } {
    const { obs, alpha } = this.need();
    const t = level ?? obs.T - 1;
    const { C, mean: m } = this.coef();
    let mu0 = 0;
    for (let u = 0; u <= t; u++) mu0 += C[t]![u]! * m[u]!;
    const mean = new Float64Array(Xs.length);
    const variance = new Float64Array(Xs.length);
    Xs.forEach((x, i) => {
      const q = { x, level: t };
      const k = this.crossCov(q);
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j]! * alpha[j]!;
      mean[i] = this.yMean + this.yScale * (mu0 + s);
      const w = solveLower(this.chol!.L, k.length, k);
      let ww = 0;
      for (let j = 0; j < w.length; j++) ww += w[j]! * w[j]!;
      variance[i] = Math.max(0, this.yScale * this.yScale * (this.k(t, x, 0, t, x, 0) - ww));
    });
    return { mean, variance };
  }

  state(): MfgpState {
    this.need();
    const { hyperparameters: _omit, ...options } = this.options;
    return { kind: 'mfgp', options, hyperparameters: this.hyperparameters(), levels: this.levels.map((l) => ({ X: l.X.map((r) => [...r]), y: [...l.y] })) };
  }

  static fromState(state: MfgpState, rng: Rng): MultiFidelityGP {
    if (!state || state.kind !== 'mfgp') throw new Error('MultiFidelityGP.fromState: state.kind must be "mfgp"');
    const m = new MultiFidelityGP({ ...state.options, hyperparameters: state.hyperparameters });
    m.fit(state.levels, { rng });
    m.options = { ...state.options };
    return m;
  }
}
