// RESuM (seed 000 §4.3, appendix 10): the multi-fidelity GP over three design
// metrics, low → high fidelity:
//   level 0: y_CNP on LF runs, level 1: y_CNP on HF runs, level 2: y_Raw = m/N on HF runs,
// predicting ŷ_Raw ± σ̂ at any design (level 2). Baselines: the plain MFGP on the
// raw metrics only (y_Raw on LF runs → y_Raw on HF runs, the paper's Trial 6)
// and a single-fidelity GP on HF y_Raw.
// Scale: rates per event × RATE_SCALE = 1e5, linear. Linear because y_Raw's
// binomial noise is additive there with a known variance m/N², and LF runs with
// m = 0 stay usable (a log scale cannot take them). Each level gets ONE fixed
// noise sd, √m̄/N̄ from its runs' mean count (binomialNoise), not one per run: a
// pooled count is not fooled by a run's own low m. On the moderator t̄ varies
// ~3× over the design space, so the pooled sd is within ~2× of every run's; where
// rates span decades (the probit toy) large rates get too narrow a band;
// ×1e5 puts the moderator's t̄ ≈ 3–5e-5 at O(1), where the GP's jitter and
// hyperparameter bounds are sized. Inputs are mapped to the unit cube.
import type { Rng } from '../lib/random.ts';
import { GaussianProcess, type GpHyperparameters } from './gp/gp.ts';
import { MultiFidelityGP, type MfgpHyperparameters, type MfgpLevelData } from './gp/mfgp.ts';

export const RATE_SCALE = 1e5;

/**
 * Prior on ρ of RESuM's last link, y_CNP of the HF runs → m/N of the same runs:
 * both are rates of the same events in the same units (Cnp.rate is scaled to
 * the training signal fraction), so ρ = 1 when y_CNP is calibrated. With ~10
 * HF runs of ≈ 30 signals each the likelihood alone cannot tell ρ = 1 from
 * ρ ≈ 0 plus a constant, and ρ̂ drifted to ≈ 0 in some seeds (RESULTS.md resum).
 */
export const LAST_LINK_RHO_PRIOR = { mean: 1, sd: 0.3 };

/** What one simulation run at a design gave. */
export interface RunMetrics {
  events: number;
  /** signal events m (outcome 1) */
  signals: number;
  /** y_CNP of the run as a rate per event (RESuM only) */
  yCnp?: number;
}

/** A design and the runs made there (an LF run, an HF run, or both). */
export interface DesignRecord {
  theta: number[];
  lf?: RunMetrics;
  hf?: RunMetrics;
}

export type RareEventModelKind = 'resum' | 'raw-mfgp' | 'hf-gp';
export const MODEL_KINDS: readonly RareEventModelKind[] = ['resum', 'raw-mfgp', 'hf-gp'];

export interface RareEventPrediction {
  /** predicted t̄ per event at HF */
  mean: Float64Array;
  /** latent standard deviation of t̄ (compare with the exact t̄) */
  sd: Float64Array;
  /** standard deviation of a simulated y_Raw = m/N of an HF run of `hfEvents` there (latent ⊕ binomial) */
  sdObserved: Float64Array;
}

export interface RareEventFitOptions {
  rng: Rng;
  /** random restarts of the likelihood maximisation (default 2) */
  restarts?: number;
  /** start from these hyperparameters (previous round) */
  warmStart?: MfgpHyperparameters | GpHyperparameters | null;
  /** skip the fit and condition on the data with these hyperparameters */
  fixed?: MfgpHyperparameters | GpHyperparameters;
}

/** Binomial noise sd of m/N for runs of N events with mean count m̄ (≥ 1 so an all-zero level keeps some noise), scaled. */
function binomialNoise(runs: RunMetrics[]): number {
  const mBar = runs.reduce((s, r) => s + r.signals, 0) / runs.length;
  const nBar = runs.reduce((s, r) => s + r.events, 0) / runs.length;
  return (Math.sqrt(Math.max(mBar, 1)) / nBar) * RATE_SCALE;
}

export class RareEventSurrogate {
  readonly kind: RareEventModelKind;
  private readonly lower: number[];
  private readonly span: number[];
  private mf: MultiFidelityGP | null = null;
  /** (AᵀA)⁻¹·s² of the top level's GLS regression on [f_{top−1}, 1] (or [1]); see calibrationVariance */
  private calib: { cov: number[][]; hasLower: boolean } | null = null;
  private gp: GaussianProcess | null = null;
  private gpMeanVar = 0;
  /** events per HF run, for the binomial part of sdObserved */
  hfEvents = NaN;

  constructor(kind: RareEventModelKind, lower: readonly number[], upper: readonly number[]) {
    if (!MODEL_KINDS.includes(kind)) throw new Error(`rare-event surrogate kind: must be one of ${MODEL_KINDS.join(', ')} (got ${JSON.stringify(kind)})`);
    if (lower.length !== upper.length || lower.length === 0) throw new Error('rare-event surrogate bounds: lower and upper must be non-empty and of equal length');
    this.kind = kind;
    this.lower = lower.slice();
    this.span = upper.map((u, d) => {
      const s = u - lower[d]!;
      if (!(s > 0)) throw new Error(`rare-event surrogate bounds: upper[${d}] must exceed lower[${d}]`);
      return s;
    });
  }

  /** Design → unit cube. */
  unit(theta: readonly number[]): number[] {
    return theta.map((v, d) => (v - this.lower[d]!) / this.span[d]!);
  }

  /** The fitted multi-fidelity GP (for IVR); null for the 'hf-gp' kind. */
  get multiFidelity(): MultiFidelityGP | null {
    return this.mf;
  }

  /** The MFGP levels (unit-cube inputs, scaled outputs) this kind builds from the records, and their noise. */
  levels(records: readonly DesignRecord[]): { levels: MfgpLevelData[]; noise: (number | 'learn')[] } {
    const lf = records.filter((r) => r.lf);
    const hf = records.filter((r) => r.hf);
    if (hf.length < 2) throw new Error(`rare-event surrogate records: at least 2 HF runs are needed (got ${hf.length})`);
    const raw = (m: RunMetrics) => (m.signals / m.events) * RATE_SCALE;
    const cnp = (m: RunMetrics, where: string) => {
      if (m.yCnp === undefined || !Number.isFinite(m.yCnp)) throw new Error(`rare-event surrogate records: ${where} run lacks yCnp (RESuM needs the CNP score of every run)`);
      return m.yCnp * RATE_SCALE;
    };
    const hfLevel: MfgpLevelData = { X: hf.map((r) => this.unit(r.theta)), y: hf.map((r) => raw(r.hf!)) };
    const hfNoise = binomialNoise(hf.map((r) => r.hf!));
    if (this.kind === 'hf-gp') return { levels: [hfLevel], noise: [hfNoise] };
    if (lf.length < 2) throw new Error(`rare-event surrogate records: at least 2 LF runs are needed (got ${lf.length})`);
    if (this.kind === 'raw-mfgp') {
      return {
        levels: [{ X: lf.map((r) => this.unit(r.theta)), y: lf.map((r) => raw(r.lf!)) }, hfLevel],
        noise: [binomialNoise(lf.map((r) => r.lf!)), hfNoise],
      };
    }
    // RESuM: the CNP levels' noise (CNP error, not binomial) is learnt
    return {
      levels: [
        { X: lf.map((r) => this.unit(r.theta)), y: lf.map((r) => cnp(r.lf!, 'an LF')) },
        { X: hf.map((r) => this.unit(r.theta)), y: hf.map((r) => cnp(r.hf!, 'an HF')) },
        hfLevel,
      ],
      noise: ['learn', 'learn', hfNoise],
    };
  }

  fit(records: readonly DesignRecord[], opts: RareEventFitOptions): void {
    const { levels, noise } = this.levels(records);
    const hf = records.filter((r) => r.hf);
    this.hfEvents = hf.reduce((s, r) => s + r.hf!.events, 0) / hf.length;
    const restarts = opts.restarts ?? 2;
    if (this.kind === 'hf-gp') {
      const fixed = opts.fixed as GpHyperparameters | undefined;
      this.gp = new GaussianProcess({ kernel: 'matern52', noise: noise[0] as number, restarts, ...(fixed ? { hyperparameters: fixed } : {}) });
      this.gp.fit({ X: levels[0]!.X, y: levels[0]!.y }, { rng: opts.rng, warmStart: (opts.warmStart as GpHyperparameters | null | undefined) ?? null });
      // the GP fits a constant mean: its GLS variance (noise² + σ_f²)/n, as in calibrationVariance
      const g = this.gp.hyperparameters();
      this.gpMeanVar = ((noise[0] as number) ** 2 + g.amplitude ** 2) / levels[0]!.y.length;
      return;
    }
    const fixed = opts.fixed as MfgpHyperparameters | undefined;
    const rhoPrior = this.kind === 'resum' ? [...new Array<null>(levels.length - 2).fill(null), LAST_LINK_RHO_PRIOR] : undefined;
    this.mf = new MultiFidelityGP({ kernel: 'matern52', noise, restarts, ...(rhoPrior ? { rhoPrior } : {}), ...(fixed ? { hyperparameters: fixed } : {}) });
    this.mf.fit(levels, { rng: opts.rng, warmStart: (opts.warmStart as MfgpHyperparameters | null | undefined) ?? null });
    this.calib = this.fitCalibration(levels[levels.length - 1]!, noise[noise.length - 1] as number, rhoPrior ? LAST_LINK_RHO_PRIOR.sd : Infinity);
  }

  /**
   * The MFGP plugs in its fitted ρ and constant means; with ~10 noisy HF runs
   * their estimation error dominates the prediction error, and plug-in
   * variances miss it (coverage collapses). Kennedy & O'Hagan (2000, §3)
   * integrate ρ and the mean β out by generalised least squares; we add that
   * term: the top level is regressed on a(x) = [μ_{top−1}(x), 1] with
   * independent errors of variance noise² + amplitude²_top (the δ correlation is
   * ignored), Cov(ρ̂, β̂) = s²(AᵀA + s²/sd²·e₁e₁ᵀ)⁻¹ with sd the prior sd of ρ
   * (∞ without a prior), and a(x)ᵀ Cov a(x) is added to σ̂².
   */
  private fitCalibration(top: MfgpLevelData, noiseSd: number, rhoPriorSd: number): { cov: number[][]; hasLower: boolean } {
    const mf = this.mf!;
    const h = mf.hyperparameters();
    const T = mf.nLevels;
    const s2 = noiseSd * noiseSd + h.amplitude[T - 1]! ** 2;
    const hasLower = T > 1;
    const rows = hasLower ? (() => {
      const m = mf.predict(top.X, T - 2).mean;
      return top.X.map((_, i) => [m[i]!, 1]);
    })() : top.X.map(() => [1]);
    const P = rows[0]!.length;
    const ata = Array.from({ length: P }, (_, a) => Array.from({ length: P }, (_, b) => rows.reduce((acc, r) => acc + r[a]! * r[b]!, 0)));
    // the prior on ρ adds its precision (in units of the residual variance s²)
    if (hasLower && Number.isFinite(rhoPriorSd)) ata[0]![0]! += s2 / (rhoPriorSd * rhoPriorSd);
    let inv: number[][];
    if (P === 1) inv = [[1 / ata[0]![0]!]];
    else {
      const det = ata[0]![0]! * ata[1]![1]! - ata[0]![1]! * ata[1]![0]!;
      // f_{top−1} constant over the HF designs: ρ and β are not separable, use β alone
      if (!(Math.abs(det) > 1e-12 * ata[0]![0]! * ata[1]![1]!)) return { cov: [[0, 0], [0, s2 / rows.length]], hasLower };
      inv = [[ata[1]![1]! / det, -ata[0]![1]! / det], [-ata[1]![0]! / det, ata[0]![0]! / det]];
    }
    return { cov: inv.map((r) => r.map((v) => v * s2)), hasLower };
  }

  /** a(x)ᵀ Cov(ρ̂, β̂) a(x) at unit-cube inputs (scaled units²). */
  private calibrationVariance(U: number[][]): Float64Array {
    const out = new Float64Array(U.length);
    const c = this.calib;
    if (!c || !this.mf) return out;
    const lower = c.hasLower ? this.mf.predict(U, this.mf.nLevels - 2).mean : null;
    U.forEach((_, i) => {
      const a = lower ? [lower[i]!, 1] : [1];
      let v = 0;
      for (let p = 0; p < a.length; p++) for (let q = 0; q < a.length; q++) v += a[p]! * c.cov[p]![q]! * a[q]!;
      out[i] = Math.max(0, v);
    });
    return out;
  }

  hyperparameters(): MfgpHyperparameters | GpHyperparameters {
    if (this.mf) return this.mf.hyperparameters();
    if (this.gp) return this.gp.hyperparameters();
    throw new Error('rare-event surrogate: call fit() first');
  }

  /** Predicted HF t̄ (per event) at designs. */
  predict(thetas: readonly (readonly number[])[]): RareEventPrediction {
    const U = thetas.map((t) => this.unit(t));
    let p: { mean: Float64Array; variance: Float64Array };
    let extra: Float64Array;
    if (this.mf) {
      p = this.mf.predict(U);
      extra = this.calibrationVariance(U);
    } else if (this.gp) {
      p = this.gp.predict(U);
      extra = new Float64Array(U.length).fill(this.gpMeanVar);
    } else throw new Error('rare-event surrogate: call fit() first');
    const n = thetas.length;
    const mean = new Float64Array(n);
    const sd = new Float64Array(n);
    const sdObserved = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      mean[i] = p.mean[i]! / RATE_SCALE;
      sd[i] = Math.sqrt(p.variance[i]! + extra[i]!) / RATE_SCALE;
      // binomial sd of m/N at the predicted rate
      const binom = Math.sqrt(Math.max(mean[i]!, 0) / this.hfEvents);
      sdObserved[i] = Math.sqrt(sd[i]! * sd[i]! + binom * binom);
    }
    return { mean, sd, sdObserved };
  }
}
