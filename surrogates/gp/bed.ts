// Bayesian experimental design with the trace utility (seed 004 §4):
//   U(x) = 1 − Tr(Σ_u^aug) / Tr(Σ_u),
// Σ_u the posterior covariance on the utility inputs X_u, Σ_u^aug the same
// after adding the fictitious observation at x. The fictitious value does not
// change a GP's covariance, so Σ_u^aug is a rank-one (rank 1 + D with
// gradients) update of Σ_u: nothing is refitted (posterior.ts).
// The utility inputs may be jittered with N(0, γ²) between iterations (§4.2).
import type { Rng } from '../../lib/random.ts';
import { maximizeAcquisition, type Acquisition } from './acquisition.ts';
import type { Functional, GaussianProcess } from './gp.ts';
import { prepareTargets, varianceReduction } from './posterior.ts';

/** A regular grid with `n` points per dimension spanning [lower, upper] (inclusive). */
export function utilityGrid(lower: readonly number[], upper: readonly number[], n: number): number[][] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`utilityGrid: n must be a positive integer (got ${n})`);
  const D = lower.length;
  const axes = lower.map((lo, d) => Array.from({ length: n }, (_, i) => (n === 1 ? (lo + upper[d]!) / 2 : lo + ((upper[d]! - lo) * i) / (n - 1))));
  let pts: number[][] = [[]];
  for (let d = 0; d < D; d++) pts = pts.flatMap((p) => axes[d]!.map((v) => [...p, v]));
  return pts;
}

/** X_u + N(0, γ²) per coordinate (γ in input units; γ = 0 returns a copy). */
export function regulariseUtilityInput(Xu: readonly (readonly number[])[], gamma: number, rng: Rng): number[][] {
  if (!(gamma >= 0)) throw new Error(`regulariseUtilityInput: gamma must be ≥ 0 (got ${gamma})`);
  return Xu.map((x) => x.map((v) => (gamma > 0 ? v + gamma * rng.normal() : v)));
}

/** The functionals observed when sampling at x: the value, plus every partial derivative if `withGradient`. */
export function sampleFunctionals(x: readonly number[], withGradient: boolean): Functional[] {
  const q: Functional[] = [{ x }];
  if (withGradient) for (let d = 0; d < x.length; d++) q.push({ x, d });
  return q;
}

/** The trace utility U(x) over the utility inputs Xu for a fitted GP (seed 004 Eq. 15). */
export function traceUtility(gp: GaussianProcess, Xu: readonly (readonly number[])[], withGradient = false): Acquisition {
  const targets = prepareTargets<Functional>(gp, Xu.map((x) => ({ x })));
  if (!(targets.trace > 0)) return () => 0;
  return (x) => varianceReduction(gp, targets, sampleFunctionals(x, withGradient)) / targets.trace;
}

export interface BedSample {
  y: number;
  /** ∂f/∂x_d, for derivative GPs */
  gradient?: number[];
}

export interface BedLoopOptions {
  /** the expensive function being sampled */
  sample: (x: number[]) => BedSample;
  /** makes a fresh (unfitted) GP with the wanted options (fixed or learned hyperparameters) */
  makeGp: () => GaussianProcess;
  initialX: number[][];
  iterations: number;
  lower: number[];
  upper: number[];
  /** utility inputs X_u */
  utilityInput: number[][];
  /** std of the Gaussian jitter of X_u per iteration (0 = none) */
  gamma?: number;
  /** use derivative observations (a derivative GP) */
  withGradient?: boolean;
  rng: Rng;
  feasible?: (x: readonly number[]) => boolean;
  /** called after every (re)fit with the iteration (0 = initial data) */
  onFit?: (gp: GaussianProcess, iteration: number) => void;
}

/** Builds GpData from sampled points (values and, optionally, all partial derivatives). */
export function bedData(X: number[][], S: BedSample[], withGradient: boolean) {
  const derivatives = withGradient
    ? X.flatMap((_, i) => {
        const g = S[i]!.gradient;
        if (!g) throw new Error(`bedData: sample ${i} has no gradient but withGradient is set`);
        return g.map((value, dim) => ({ point: i, dim, value }));
      })
    : [];
  return { X, y: S.map((s) => s.y), derivatives };
}

/**
 * The sequential design loop (seed 004 §4.3): fit, maximise U over x,
 * sample there, add to the data, repeat. Returns the chosen points and utilities.
 */
export function runBedLoop(opts: BedLoopOptions): { X: number[][]; samples: BedSample[]; utilities: number[]; gp: GaussianProcess } {
  const withGradient = opts.withGradient ?? false;
  const X = opts.initialX.map((x) => [...x]);
  const samples = X.map((x) => opts.sample(x));
  const utilities: number[] = [];
  let gp = opts.makeGp();
  gp.fit(bedData(X, samples, withGradient), { rng: opts.rng });
  opts.onFit?.(gp, 0);
  for (let it = 1; it <= opts.iterations; it++) {
    const Xu = regulariseUtilityInput(opts.utilityInput, opts.gamma ?? 0, opts.rng);
    const U = traceUtility(gp, Xu, withGradient);
    const best = maximizeAcquisition(U, { lower: opts.lower, upper: opts.upper, rng: opts.rng, feasible: opts.feasible });
    utilities.push(best.value);
    X.push(best.x);
    samples.push(opts.sample(best.x));
    const prev = gp.fitted ? gp.hyperparameters() : null;
    gp = opts.makeGp();
    gp.fit(bedData(X, samples, withGradient), { rng: opts.rng, warmStart: prev });
    opts.onFit?.(gp, it);
  }
  return { X, samples, utilities, gp };
}
