// The probit rare-event toy (PHYSICS.md §3): a rare-event design problem whose
// trigger probability and its average are known exactly, so surrogates and
// coverage can be checked without simulation noise.
//   φ ~ N(0, s² I_k), t(θ, φ) = Φ(b0 + bᵀφ + κ‖θ − θ*‖²),
//   t̄(θ) = Φ((b0 + κ‖θ − θ*‖²) / √(1 + s²‖b‖²))   (bᵀφ ~ N(0, s²‖b‖²)).
// High fidelity: s = 1. Low fidelity: b0 shifted up and a wider g(φ) (s > 1),
// so it is cheap, correlated with HF, and biased (more triggers).
import type { EventBatch, KnownOptimum, Simulator } from '../contracts.ts';
import type { Rng } from '../random.ts';
import { normalCdf } from '../special.ts';

export type ProbitFidelity = 'lf' | 'hf';

export interface ProbitOptions {
  /** θ* (also fixes the design dimension); default [0.5, −0.3] */
  thetaStar?: number[];
  /** b (also fixes the event dimension k); default [0.6, 0.8], ‖b‖ = 1 */
  b?: number[];
  /** default −6: with ‖b‖ = 1, t̄_min = Φ(−6/√2) ≈ 1.1e-5 */
  b0?: number;
  /** curvature of the rate around θ*, default 1 */
  kappa?: number;
  /** design bounds (same for every coordinate), default [−2, 2] */
  lower?: number;
  upper?: number;
  /** low fidelity: b0 + b0Shift, φ ~ N(0, phiScale² I); defaults 0.5 and 1.2 */
  lfB0Shift?: number;
  lfPhiScale?: number;
}

export class ProbitProblem {
  readonly thetaStar: number[];
  readonly b: number[];
  readonly b0: number;
  readonly kappa: number;
  readonly lower: number;
  readonly upper: number;
  readonly lfB0Shift: number;
  readonly lfPhiScale: number;

  constructor(opts: ProbitOptions = {}) {
    this.thetaStar = (opts.thetaStar ?? [0.5, -0.3]).slice();
    this.b = (opts.b ?? [0.6, 0.8]).slice();
    this.b0 = opts.b0 ?? -6;
    this.kappa = opts.kappa ?? 1;
    this.lower = opts.lower ?? -2;
    this.upper = opts.upper ?? 2;
    this.lfB0Shift = opts.lfB0Shift ?? 0.5;
    this.lfPhiScale = opts.lfPhiScale ?? 1.2;
    const finite = (v: number[], field: string) => {
      if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new Error(`probit ${field}: must be a non-empty list of finite numbers`);
    };
    finite(this.thetaStar, 'thetaStar');
    finite(this.b, 'b');
    for (const [name, v] of Object.entries({ b0: this.b0, kappa: this.kappa, lower: this.lower, upper: this.upper, lfB0Shift: this.lfB0Shift })) {
      if (!Number.isFinite(v)) throw new Error(`probit ${name}: must be a finite number (got ${v})`);
    }
    if (!(this.upper > this.lower)) throw new Error(`probit bounds: upper (${this.upper}) must exceed lower (${this.lower})`);
    if (!(this.lfPhiScale > 0)) throw new Error(`probit lfPhiScale: must be > 0 (got ${this.lfPhiScale})`);
  }

  get dim(): number {
    return this.thetaStar.length;
  }

  get phiDim(): number {
    return this.b.length;
  }

  private fidelityTerms(fidelity: ProbitFidelity): { b0: number; scale: number } {
    if (fidelity === 'hf') return { b0: this.b0, scale: 1 };
    if (fidelity === 'lf') return { b0: this.b0 + this.lfB0Shift, scale: this.lfPhiScale };
    throw new Error(`probit fidelity: must be 'lf' or 'hf' (got ${JSON.stringify(fidelity)})`);
  }

  private distance2(theta: readonly number[]): number {
    if (theta.length !== this.dim) throw new Error(`probit theta: expected ${this.dim} values, got ${theta.length}`);
    let q = 0;
    for (let j = 0; j < this.dim; j++) {
      const v = theta[j]!;
      if (!Number.isFinite(v)) throw new Error(`probit theta[${j}]: must be a finite number (got ${v})`);
      q += (v - this.thetaStar[j]!) ** 2;
    }
    return q;
  }

  /** t(θ, φ) = Φ(b0 + bᵀφ + κ‖θ − θ*‖²); φ is the raw event row (its scale is part of g, not of t). */
  t(theta: readonly number[], phiRow: ArrayLike<number>, fidelity: ProbitFidelity = 'hf'): number {
    if (phiRow.length !== this.phiDim) throw new Error(`probit phiRow: expected ${this.phiDim} values, got ${phiRow.length}`);
    const { b0 } = this.fidelityTerms(fidelity);
    let z = b0 + this.kappa * this.distance2(theta);
    for (let j = 0; j < this.phiDim; j++) z += this.b[j]! * phiRow[j]!;
    return normalCdf(z);
  }

  /** Exact t̄(θ) = Φ((b0 + κ‖θ − θ*‖²)/√(1 + s²‖b‖²)). */
  exactRate(theta: readonly number[], fidelity: ProbitFidelity = 'hf'): number {
    const { b0, scale } = this.fidelityTerms(fidelity);
    const nb2 = this.b.reduce((s, v) => s + v * v, 0);
    return normalCdf((b0 + this.kappa * this.distance2(theta)) / Math.sqrt(1 + scale * scale * nb2));
  }

  /** Draws φ ~ g(φ) of the fidelity (n × phiDim). */
  samplePhi(n: number, fidelity: ProbitFidelity, rng: Rng): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new Error(`probit nEvents: must be a non-negative integer (got ${n})`);
    const { scale } = this.fidelityTerms(fidelity);
    const out = new Float32Array(n * this.phiDim);
    for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, scale);
    return out;
  }

  /** Known optimum of the HF rate: θ* with t̄(θ*) = Φ(b0/√(1 + ‖b‖²)). */
  knownOptimum(fidelity: ProbitFidelity = 'hf'): KnownOptimum {
    return { theta: this.thetaStar.slice(), value: this.exactRate(this.thetaStar, fidelity), expected: (th) => this.exactRate(th, fidelity) };
  }

  /** Design space in the DesignSpaceSpec shape (parameters t0, t1, …). */
  spaceSpec(start?: number[]) {
    const st = start ?? this.thetaStar.map(() => this.lower + 0.8 * (this.upper - this.lower));
    return {
      parameters: this.thetaStar.map((_, j) => ({
        name: `t${j}`,
        lower: this.lower,
        upper: this.upper,
        start: st[j]!,
        sigma: 0.1 * (this.upper - this.lower),
      })),
    };
  }
}

/** Simulator for one fidelity of a probit problem: φ from g(φ), X ~ Bernoulli(t(θ, φ)). */
export class ProbitSimulator implements Simulator {
  readonly name: string;
  readonly xNames: readonly string[];
  readonly yNames: readonly string[] = ['trigger'];

  constructor(
    readonly problem: ProbitProblem,
    readonly fidelity: ProbitFidelity = 'hf',
  ) {
    if (fidelity !== 'lf' && fidelity !== 'hf') throw new Error(`probit fidelity: must be 'lf' or 'hf' (got ${JSON.stringify(fidelity)})`);
    this.name = `probit-${fidelity}`;
    this.xNames = problem.b.map((_, j) => `phi${j}`);
  }

  simulate(theta: readonly number[], nEvents: number, rng: Rng): EventBatch {
    const p = this.problem;
    const k = p.phiDim;
    const phi = p.samplePhi(nEvents, this.fidelity, rng);
    const outcome = new Uint8Array(nEvents);
    const y = new Float32Array(nEvents);
    const row = new Float64Array(k);
    for (let i = 0; i < nEvents; i++) {
      for (let j = 0; j < k; j++) row[j] = phi[i * k + j]!;
      if (rng.uniform() < p.t(theta, row, this.fidelity)) {
        outcome[i] = 1;
        y[i] = 1;
      }
    }
    return { theta: theta.slice(), n: nEvents, x: phi, xDim: k, y, yDim: 1, phi, phiDim: k, outcome, fidelity: this.fidelity };
  }
}
