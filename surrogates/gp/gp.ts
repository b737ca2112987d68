// Gaussian-process regression in float64 (R&W ch. 2 and 5): ARD RBF or
// Matérn-5/2 kernel, Gaussian noise, zero or constant mean, optional output
// normalisation, hyperparameters by maximising the log marginal likelihood
// (analytic gradient, log space, bounds, several starts). Observations may be
// values or first partial derivatives (seed 004 §3.1, Eq. 11–13), each
// kind with its own noise; derivative support lives in kernels.ts, so the
// "derivative GP" is this class given derivative observations.
import { cholesky, cholSolve, solveLower, type CholeskyResult } from '../../lib/linalg.ts';
import type { Rng } from '../../lib/random.ts';
import { checkKernel, kernelFunctional, type KernelKind, type KernelParams } from './kernels.ts';
import { maximizeLikelihood, logMarginalLikelihood } from './likelihood.ts';
import type { GaussianPosterior } from './posterior.ts';
import { GpLikelihoodModel, IDX, toObservations, type DerivativeObservation, type Functional, type GpData, type Observations } from './gp-model.ts';

export type { Functional, DerivativeObservation, GpData } from './gp-model.ts';
export { likelihoodModelFor } from './gp-model.ts';

export interface GpHyperparameters {
  lengthscales: number[];
  /** σ_f, prior standard deviation of f (output units) */
  amplitude: number;
  /** σ_n, noise standard deviation of value observations (output units) */
  noise: number;
  /** noise standard deviation of derivative observations (output units per input unit) */
  derivativeNoise: number;
  /** constant prior mean (output units); 0 for mean 'zero' after normalisation */
  mean: number;
}

export interface GpOptions {
  kernel?: KernelKind;
  /** 'constant' fits a constant prior mean (default), 'zero' keeps it at 0 (or at the data mean when normalising) */
  mean?: 'zero' | 'constant';
  /** standardise the values before fitting (default true) */
  normalize?: boolean;
  /** value noise std (output units), or 'learn' (default) */
  noise?: number | 'learn';
  /** derivative noise std, or 'learn' (default) */
  derivativeNoise?: number | 'learn';
  /** random starts besides the default (and warm) start (default 3) */
  restarts?: number;
  /** use these hyperparameters and skip the likelihood maximisation */
  hyperparameters?: GpHyperparameters;
  /** length-scale bounds as multiples of each input's data range (default [0.01, 100]) */
  lengthscaleRange?: [number, number];
  /** noise std bounds in normalised output units (default [1e-6, 1]) */
  noiseRange?: [number, number];
  maxIter?: number;
  /**
   * Large data sets: run the multi-start search on a random subset of `size`
   * value observations, then polish the best optimum on all the data (one
   * start). Used when there are more than `above` observations (default
   * { above: 250, size: 150 }); false turns it off. Each likelihood
   * evaluation costs O(n³), so the starts become (n/size)³ times cheaper.
   */
  screening?: { above: number; size: number } | false;
}

export interface GpFitReport {
  logML: number;
  jitter: number;
  hyperparameters: GpHyperparameters;
  runs: { logML: number; iterations: number; evaluations: number; message: string }[];
}


export interface GpState {
  kind: 'gp';
  options: Omit<GpOptions, 'hyperparameters'>;
  hyperparameters: GpHyperparameters;
  data: { X: number[][]; y: (number | null)[]; derivatives: DerivativeObservation[] };
}

/** Exact GP regression; fit() once, then predict. */
export class GaussianProcess implements GaussianPosterior<Functional> {
  options: GpOptions;
  private obs: Observations | null = null;
  private data: GpData | null = null;
  private kp: KernelParams | null = null;
  private params: Float64Array | null = null;
  private chol: CholeskyResult | null = null;
  private alpha: Float64Array | null = null;
  private yMean = 0;
  private yScale = 1;
  private sn2 = 0;
  private sd2 = 0;
  private c = 0;
  private lastLogML = NaN;

  constructor(options: GpOptions = {}) {
    this.options = { ...options };
    if (options.noise !== undefined && options.noise !== 'learn' && !(options.noise >= 0)) throw new Error(`GpOptions.noise must be ≥ 0 or 'learn' (got ${options.noise})`);
    if (options.derivativeNoise !== undefined && options.derivativeNoise !== 'learn' && !(options.derivativeNoise >= 0)) {
      throw new Error(`GpOptions.derivativeNoise must be ≥ 0 or 'learn' (got ${options.derivativeNoise})`);
    }
    if (options.restarts !== undefined && !(options.restarts >= 0)) throw new Error(`GpOptions.restarts must be ≥ 0 (got ${options.restarts})`);
  }

  get fitted(): boolean {
    return this.alpha !== null;
  }
  get dim(): number {
    return this.need().obs.D;
  }
  get logMarginalLikelihood(): number {
    return this.lastLogML;
  }
  get nObservations(): number {
    return this.need().obs.y.length;
  }

  private need(): { obs: Observations; kp: KernelParams; L: Float64Array; alpha: Float64Array } {
    if (!this.obs || !this.kp || !this.chol || !this.alpha) throw new Error('GaussianProcess: call fit() first');
    return { obs: this.obs, kp: this.kp, L: this.chol.L, alpha: this.alpha };
  }

  /**
   * Fits the hyperparameters (unless options.hyperparameters is given) and
   * conditions on the data. `warmStart` hyperparameters are used as one of the starts.
   */
  fit(data: GpData, opts: { rng: Rng; warmStart?: GpHyperparameters | null }): GpFitReport {
    const o = this.options;
    const kind = o.kernel ?? 'rbf';
    const normalize = o.normalize ?? true;
    const { obs, yMean, yScale, range } = toObservations(data);
    const meanKind = o.mean ?? 'constant';
    const ym = normalize ? yMean : 0;
    const ys = normalize ? yScale : 1;
    for (let i = 0; i < obs.y.length; i++) obs.y[i] = obs.dim[i]! < 0 ? (obs.y[i]! - ym) / ys : obs.y[i]! / ys;
    const D = obs.D;
    const I = IDX(D);
    const [lr0, lr1] = o.lengthscaleRange ?? [0.01, 100];
    const [nr0, nr1] = o.noiseRange ?? [1e-6, 1];
    const lower = new Float64Array(I.size);
    const upper = new Float64Array(I.size);
    for (let d = 0; d < D; d++) {
      lower[d] = Math.log(lr0 * range[d]!);
      upper[d] = Math.log(lr1 * range[d]!);
    }
    lower[I.amp] = Math.log(1e-3);
    upper[I.amp] = Math.log(1e2);
    lower[I.noise] = Math.log(nr0);
    upper[I.noise] = Math.log(nr1);
    lower[I.der] = Math.log(nr0);
    upper[I.der] = Math.log(10);
    lower[I.mean] = -10;
    upper[I.mean] = 10;
    const toParams = (h: GpHyperparameters): Float64Array => {
      const p = new Float64Array(I.size);
      h.lengthscales.forEach((l, d) => (p[d] = Math.log(l)));
      p[I.amp] = Math.log(h.amplitude / ys);
      p[I.noise] = Math.log(Math.max(h.noise, 1e-300) / ys);
      p[I.der] = Math.log(Math.max(h.derivativeNoise, 1e-300) / ys);
      p[I.mean] = (h.mean - ym) / ys;
      return p;
    };
    // a default start: half the data range, unit amplitude, 1% noise
    const def = new Float64Array(I.size);
    for (let d = 0; d < D; d++) def[d] = Math.log(0.5 * range[d]!);
    def[I.amp] = 0;
    def[I.noise] = Math.log(Math.min(Math.max(1e-2, nr0), nr1));
    def[I.der] = Math.log(Math.min(Math.max(1e-2, nr0), 10));
    def[I.mean] = 0;
    const fixed = new Array<boolean>(I.size).fill(false);
    if (typeof o.noise === 'number') {
      def[I.noise] = Math.log(Math.max(o.noise, 1e-300) / ys);
      fixed[I.noise] = true;
    }
    if (typeof o.derivativeNoise === 'number') {
      def[I.der] = Math.log(Math.max(o.derivativeNoise, 1e-300) / ys);
      fixed[I.der] = true;
    }
    if (obs.valuesOnly) fixed[I.der] = true;
    if (meanKind === 'zero') {
      def[I.mean] = 0;
      fixed[I.mean] = true;
    }
    if (obs.dim.every((d) => d >= 0)) fixed[I.mean] = true; // no values: the mean is not identifiable
    const model = new GpLikelihoodModel(obs, kind, lower, upper);
    let p: Float64Array;
    let runs: GpFitReport['runs'] = [];
    if (o.hyperparameters) {
      checkKernel({ kind, lengthscales: o.hyperparameters.lengthscales, variance: o.hyperparameters.amplitude ** 2 }, D, 'GpOptions.hyperparameters');
      p = toParams(o.hyperparameters);
      if (meanKind === 'zero') p[I.mean] = 0;
    } else {
      const starts: Float64Array[] = [def];
      if (opts.warmStart && opts.warmStart.lengthscales.length === D) {
        const w = toParams(opts.warmStart);
        for (let k = 0; k < I.size; k++) {
          w[k] = fixed[k] ? def[k]! : Math.min(upper[k]!, Math.max(lower[k]!, w[k]!));
        }
        starts.unshift(w);
      }
      const screen = o.screening === false ? null : (o.screening ?? { above: 250, size: 150 });
      if (screen && obs.valuesOnly && obs.y.length > screen.above) {
        if (!(screen.size >= 2 && screen.size < obs.y.length)) throw new Error(`GpOptions.screening.size must be in [2, n) (got ${screen.size})`);
        const pick = Array.from(opts.rng.permutation(obs.y.length).subarray(0, screen.size)).sort((a, b) => a - b);
        const sub: Observations = { ...obs, pt: Int32Array.from(pick, (i) => obs.pt[i]!), dim: Int32Array.from(pick, (i) => obs.dim[i]!), y: Float64Array.from(pick, (i) => obs.y[i]!) };
        const subModel = new GpLikelihoodModel(sub, kind, lower, upper);
        const first = maximizeLikelihood(subModel, sub.y, { restarts: o.restarts ?? 3, rng: opts.rng, starts, fixed, maxIter: o.maxIter });
        const polish = maximizeLikelihood(model, obs.y, { restarts: 0, rng: opts.rng, starts: [first.p], fixed, maxIter: o.maxIter });
        p = polish.p;
        runs = [...first.runs.map((r) => ({ ...r, message: `subset of ${screen.size}: ${r.message}` })), ...polish.runs];
      } else {
        const res = maximizeLikelihood(model, obs.y, { restarts: o.restarts ?? 3, rng: opts.rng, starts, fixed, maxIter: o.maxIter });
        p = res.p;
        runs = res.runs;
      }
    }
    this.setFitted(obs, data, kind, p, ym, ys, model);
    return { logML: this.lastLogML, jitter: this.chol!.jitter, hyperparameters: this.hyperparameters(), runs };
  }

  private setFitted(obs: Observations, data: GpData, kind: KernelKind, p: Float64Array, ym: number, ys: number, model: GpLikelihoodModel): void {
    const I = IDX(obs.D);
    const { K, mean } = model.build(p);
    const n = obs.y.length;
    const chol = cholesky(K, n);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = obs.y[i]! - mean[i]!;
    this.alpha = cholSolve(chol.L, n, r);
    this.chol = chol;
    this.obs = obs;
    this.data = data;
    this.params = p;
    this.kp = model.kernelAt(p);
    this.yMean = ym;
    this.yScale = ys;
    this.sn2 = Math.exp(2 * p[I.noise]!);
    this.sd2 = Math.exp(2 * p[I.der]!);
    this.c = p[I.mean]!;
    // log ML in the original output units: subtract log(scale) per observation (Jacobian of the normalisation)
    this.lastLogML = logMarginalLikelihood(model, obs.y, p, false).logML - n * Math.log(ys);
  }

  hyperparameters(): GpHyperparameters {
    const { obs } = this.need();
    const p = this.params!;
    const I = IDX(obs.D);
    return {
      lengthscales: Array.from({ length: obs.D }, (_, d) => Math.exp(p[d]!)),
      amplitude: Math.exp(p[I.amp]!) * this.yScale,
      noise: Math.exp(p[I.noise]!) * this.yScale,
      derivativeNoise: Math.exp(p[I.der]!) * this.yScale,
      mean: this.yMean + this.c * this.yScale,
    };
  }

  /** k(observations, q) in normalised units. */
  private crossCov(q: Functional): Float64Array {
    const { obs, kp } = this.need();
    const n = obs.y.length;
    const D = obs.D;
    if (q.x.length !== D) throw new Error(`GaussianProcess: query x has ${q.x.length} entries, expected ${D}`);
    const dq = q.d ?? -1;
    const k = new Float64Array(n);
    for (let i = 0; i < n; i++) k[i] = kernelFunctional(kp, q.x, 0, dq, obs.X, obs.pt[i]! * D, obs.dim[i]!);
    return k;
  }

  // ---- GaussianPosterior (output units) ----
  priorCov(a: Functional, b: Functional): number {
    const { kp } = this.need();
    return this.yScale * this.yScale * kernelFunctional(kp, a.x, 0, a.d ?? -1, b.x, 0, b.d ?? -1);
  }
  whitened(q: Functional): Float64Array {
    const { obs, L } = this.need();
    const w = solveLower(L, obs.y.length, this.crossCov(q));
    for (let i = 0; i < w.length; i++) w[i]! *= this.yScale;
    return w;
  }
  noiseVariance(q: Functional): number {
    return this.yScale * this.yScale * ((q.d ?? -1) < 0 ? this.sn2 : this.sd2);
  }

  /** Posterior mean of functionals (values or partial derivatives), output units. */
  meanFunctional(q: Functional): number {
    const { alpha } = this.need();
    const k = this.crossCov(q);
    let s = 0;
    for (let i = 0; i < k.length; i++) s += k[i]! * alpha[i]!;
    return (q.d ?? -1) < 0 ? this.yMean + this.yScale * (this.c + s) : this.yScale * s;
  }

  /** Posterior mean and covariance of a list of functionals (output units). */
  posterior(queries: Functional[]): { mean: Float64Array; cov: Float64Array } {
    const m = queries.length;
    const mean = Float64Array.from(queries, (q) => this.meanFunctional(q));
    const W = queries.map((q) => this.whitened(q));
    const cov = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        const wa = W[a]!;
        const wb = W[b]!;
        for (let i = 0; i < wa.length; i++) s += wa[i]! * wb[i]!;
        // A variance is k − ‖w‖² and can round to −1e-14 at noise-free data; clamp it as predict() does.
        const v = a === b ? Math.max(0, this.priorCov(queries[a]!, queries[b]!) - s) : this.priorCov(queries[a]!, queries[b]!) - s;
        cov[a * m + b] = v;
        cov[b * m + a] = v;
      }
    }
    return { mean, cov };
  }

  /** Latent (noise-free) predictive mean and variance at each row of Xs. */
  predict(Xs: readonly (readonly number[])[]): { mean: Float64Array; variance: Float64Array } {
    const mean = new Float64Array(Xs.length);
    const variance = new Float64Array(Xs.length);
    Xs.forEach((x, i) => {
      const q = { x };
      mean[i] = this.meanFunctional(q);
      const w = this.whitened(q);
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * w[k]!;
      variance[i] = Math.max(0, this.priorCov(q, q) - s);
    });
    return { mean, variance };
  }

  /** Full latent predictive covariance at the rows of Xs (m × m row-major). */
  predictCovariance(Xs: readonly (readonly number[])[]): Float64Array {
    return this.posterior(Xs.map((x) => ({ x }))).cov;
  }

  /** ∇_x of the predictive mean (equal to the posterior mean of the gradient). */
  meanGradient(x: readonly number[]): Float64Array {
    const D = this.need().obs.D;
    return Float64Array.from({ length: D }, (_, d) => this.meanFunctional({ x, d }));
  }

  /** ∇_x of the latent predictive variance: −2 k_starᵀ K⁻¹ ∂k_star/∂x (stationary kernel: prior variance is constant). */
  varianceGradient(x: readonly number[]): Float64Array {
    const { obs, L } = this.need();
    const n = obs.y.length;
    const D = obs.D;
    const v = cholSolve(L, n, this.crossCov({ x }));
    const g = new Float64Array(D);
    for (let e = 0; e < D; e++) {
      const dk = this.crossCov({ x, d: e });
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i]! * dk[i]!;
      g[e] = -2 * s * this.yScale * this.yScale;
    }
    return g;
  }

  /** Training inputs and the dual weights α (normalised units) with the output scaling, for the tfjs mean. */
  dualForm(): { X: Float64Array; D: number; pt: Int32Array; dim: Int32Array; alpha: Float64Array; kernel: KernelParams; yMean: number; yScale: number; c: number } {
    const { obs, kp, alpha } = this.need();
    return { X: obs.X, D: obs.D, pt: obs.pt, dim: obs.dim, alpha, kernel: kp, yMean: this.yMean, yScale: this.yScale, c: this.c };
  }

  state(): GpState {
    const h = this.hyperparameters();
    const { hyperparameters: _omit, ...options } = this.options;
    const d = this.data!;
    return {
      kind: 'gp',
      options,
      hyperparameters: h,
      data: { X: d.X.map((r) => [...r]), y: [...d.y], derivatives: [...(d.derivatives ?? [])].map((g) => ({ ...g })) },
    };
  }

  /** Rebuilds a fitted GP from state() without refitting (exact same predictions). */
  static fromState(state: GpState, rng: Rng): GaussianProcess {
    if (!state || state.kind !== 'gp') throw new Error('GaussianProcess.fromState: state.kind must be "gp"');
    const gp = new GaussianProcess({ ...state.options, hyperparameters: state.hyperparameters });
    gp.fit(state.data, { rng });
    // keep the user's options (without the frozen hyperparameters) for later refits
    gp.options = { ...state.options };
    return gp;
  }
}
