// Acquisition functions for choosing the next simulation, and their
// maximisation within bounds: integrated variance reduction (seed 000
// appendix 11) for the GP and the multi-fidelity GP, lower confidence bound.
// (The BED trace utility of seed 004 is in bed.ts; it is the IVR normalised by Tr(Σ_u).)
// Constraints: the acquisition is zero where `feasible(x)` says no.
import { minimize, numericGradient } from '../../lib/optimize.ts';
import type { Rng } from '../../lib/random.ts';
import type { GaussianProcess } from './gp.ts';
import type { MultiFidelityGP } from './mfgp.ts';
import { prepareTargets, varianceReduction, type GaussianPosterior, type PreparedTargets } from './posterior.ts';

export type Acquisition = (x: readonly number[]) => number;

/**
 * I(x) = (1/M) Σ_j [σ²_post(t_j) − σ²_post(t_j | c(x) observed)]: the mean
 * reduction of the targets' posterior variance (Monte-Carlo points t_j) if
 * the candidate functionals c(x) were observed; for one candidate each term is
 * cov(t_j, c)² / (var(c) + noise(c)). No refit: a rank-one update (posterior.ts).
 */
export function integratedVarianceReduction<Q>(
  post: GaussianPosterior<Q>,
  targets: PreparedTargets<Q>,
  candidate: (x: readonly number[]) => Q[],
): Acquisition {
  const M = targets.queries.length;
  if (M === 0) throw new Error('integratedVarianceReduction: no Monte-Carlo target points');
  return (x) => varianceReduction(post, targets, candidate(x)) / M;
}

/** IVR for a single-fidelity GP over Monte-Carlo points of the design space. */
export function ivrGp(gp: GaussianProcess, mcPoints: readonly (readonly number[])[]): Acquisition {
  const targets = prepareTargets(gp, mcPoints.map((x) => ({ x })));
  return integratedVarianceReduction(gp, targets, (x) => [{ x }]);
}

/**
 * IVR for the multi-fidelity GP: the mean reduction of the HIGHEST-fidelity
 * predictive variance over the Monte-Carlo points if f_level(x) were observed
 * (with that level's noise). Divide by a level's cost to compare levels per unit cost.
 */
export function ivrMfgp(mf: MultiFidelityGP, mcPoints: readonly (readonly number[])[], level: number): Acquisition {
  const top = mf.nLevels - 1;
  if (!(Number.isInteger(level) && level >= 0 && level <= top)) throw new Error(`ivrMfgp: level ${level} is not in 0..${top}`);
  const targets = prepareTargets(mf, mcPoints.map((x) => ({ x, level: top })));
  return integratedVarianceReduction(mf, targets, (x) => [{ x, level }]);
}

/**
 * Lower confidence bound for minimisation, returned as a quantity to MAXIMISE:
 * a(x) = −(μ(x) − κ σ(x)).
 */
export function lowerConfidenceBound(predict: (x: readonly number[]) => { mean: number; variance: number }, kappa = 2): Acquisition {
  if (!(kappa >= 0)) throw new Error(`lowerConfidenceBound: kappa must be ≥ 0 (got ${kappa})`);
  return (x) => {
    const p = predict(x);
    return -(p.mean - kappa * Math.sqrt(Math.max(0, p.variance)));
  };
}

export function lcbGp(gp: GaussianProcess, kappa = 2): Acquisition {
  return lowerConfidenceBound((x) => {
    const p = gp.predict([x]);
    return { mean: p.mean[0]!, variance: p.variance[0]! };
  }, kappa);
}

export interface MaximizeAcquisitionOptions {
  lower: readonly number[];
  upper: readonly number[];
  rng: Rng;
  /** random points screened before the local searches (default 64 × dim, at least 100) */
  candidates?: number;
  /** local L-BFGS searches from the best screened points (default 5) */
  starts?: number;
  /** x is allowed only where this is true; elsewhere the acquisition counts as `infeasibleValue` */
  feasible?: (x: readonly number[]) => boolean;
  /** value of the acquisition at infeasible points (default 0, right for the non-negative IVR/BED utilities) */
  infeasibleValue?: number;
  maxIter?: number;
}

/**
 * Maximises an acquisition within bounds: uniform screening, then projected
 * L-BFGS with central finite-difference gradients (dimension is small) from
 * the best screened points. Returns the best feasible point found.
 */
export function maximizeAcquisition(acq: Acquisition, opts: MaximizeAcquisitionOptions): { x: number[]; value: number } {
  const D = opts.lower.length;
  if (opts.upper.length !== D) throw new Error(`maximizeAcquisition: lower has ${D} entries, upper ${opts.upper.length}`);
  for (let d = 0; d < D; d++) if (!(opts.lower[d]! <= opts.upper[d]!)) throw new Error(`maximizeAcquisition: lower[${d}] > upper[${d}]`);
  const bad = opts.infeasibleValue ?? 0;
  const f = (x: readonly number[]): number => (opts.feasible && !opts.feasible(x) ? bad : acq(x));
  const nCand = opts.candidates ?? Math.max(100, 64 * D);
  const screened: { x: number[]; v: number }[] = [];
  for (let i = 0; i < nCand; i++) {
    const x = Array.from({ length: D }, (_, d) => opts.rng.uniformRange(opts.lower[d]!, opts.upper[d]!));
    screened.push({ x, v: f(x) });
  }
  screened.sort((a, b) => b.v - a.v);
  let best = { x: screened[0]!.x, value: screened[0]!.v };
  const span = opts.upper.map((u, d) => u - opts.lower[d]!);
  for (const s of screened.slice(0, opts.starts ?? 5)) {
    // optimise in unit coordinates so one finite-difference step fits every dimension
    const toX = (z: Float64Array) => Array.from(z, (v, d) => opts.lower[d]! + v * span[d]!);
    const negF = (z: Float64Array) => -f(toX(z));
    const z0 = Float64Array.from(s.x, (v, d) => (span[d]! > 0 ? (v - opts.lower[d]!) / span[d]! : 0));
    const res = minimize((z) => ({ f: negF(z), g: numericGradient(negF, z, 1e-6) }), z0, {
      lower: new Float64Array(D),
      upper: new Float64Array(D).fill(1),
      maxIter: opts.maxIter ?? 50,
      gtol: 1e-9,
      ftol: 1e-9,
    });
    const x = toX(res.x);
    const v = f(x);
    if (v > best.value && (!opts.feasible || opts.feasible(x))) best = { x, value: v };
  }
  return best;
}
