// The rare-event design problems RESuM runs on, behind one small interface:
// the toy LEGEND-1000 moderator (the paper's problem, seed 000 §5) and the
// probit toy (PHYSICS.md §3, exact rates; small and fast, for tests).
// exactRates is ground truth for REPORTING only; no surrogate ever sees it.
import type { EventBatch } from '../lib/contracts.ts';
import type { Rng } from '../lib/random.ts';
import type { CnpOptions } from '../surrogates/cnp.ts';
import {
  exactRates as moderatorExactRates,
  isFeasibleModerator,
  MODERATOR_BASELINE,
  MODERATOR_SPACE,
  ModeratorSimulator,
  NOMINAL_EVENTS,
  type LowFidelitySource,
} from '../lib/simulators/moderator.ts';
import { ProbitProblem, ProbitSimulator } from '../lib/simulators/probit.ts';
import { PHI_DIM, PHI_START_DIM } from '../lib/simulators/moderator-sources.ts';

export type Fidelity = 'lf' | 'hf';

export interface RareEventProblem {
  name: string;
  names: string[];
  lower: number[];
  upper: number[];
  /** true where the parameter takes integer values (rounded before simulating) */
  integer: boolean[];
  feasible(theta: readonly number[]): boolean;
  baseline: number[];
  nominalEvents: Record<Fidelity, number>;
  simulate(theta: readonly number[], fidelity: Fidelity, nEvents: number, rng: Rng): EventBatch;
  /** exact t̄ at HF (ground truth, reporting only) */
  exactRates(thetas: readonly (readonly number[])[]): number[];
  /** CNP options this problem's events call for (under the pipeline's and the user's) */
  cnp?: CnpOptions;
}

/**
 * CNP settings for the moderator toy's events.
 * - φ holds each neutron's final state, through which θ acts
 *   (moderator-final-state.ts): the CNP does without θ.
 * - Thermal captures inside the germanium array are a small box in (ρ, z, E)
 *   amid millions of captures in argon and PMMA: Fourier features of the
 *   final-state columns let the networks draw its edges, and the rate is read
 *   from the prior-shifted odds, since β saturates for those high-t events
 *   (RESULTS.md, moderator-cnp).
 */
export const MODERATOR_CNP: CnpOptions = {
  useTheta: false,
  fourierFeatures: 16,
  fourierScale: 1.5,
  fourierColumns: Array.from({ length: PHI_DIM - PHI_START_DIM }, (_, j) => PHI_START_DIM + j),
  rateFrom: 'odds',
};

/** exactQuad: φ samples of the exact t̄ (default 200 000); lfSource: where LF neutrons come from (LF_SOURCES, default 'argon-evaporation'). */
export function moderatorProblem(opts: { exactQuad?: number; lfSource?: LowFidelitySource } = {}): RareEventProblem {
  const sims = { lf: new ModeratorSimulator('lf', { lfSource: opts.lfSource }), hf: new ModeratorSimulator('hf') };
  const p = MODERATOR_SPACE.parameters;
  return {
    name: 'moderator',
    names: p.map((q) => q.name),
    lower: p.map((q) => q.lower),
    upper: p.map((q) => q.upper),
    integer: p.map((q) => (q as { kind?: string }).kind === 'integer'),
    feasible: isFeasibleModerator,
    baseline: MODERATOR_BASELINE.slice(),
    nominalEvents: { ...NOMINAL_EVENTS },
    simulate: (theta, fidelity, n, rng) => sims[fidelity].simulate(theta, n, rng),
    // one shared φ sample for all designs (common random numbers, fixed stream)
    exactRates: (thetas) => moderatorExactRates(thetas, 'hf', { nQuad: opts.exactQuad ?? 200_000 }).map((r) => r.rate),
    cnp: MODERATOR_CNP,
  };
}

/**
 * The probit toy on a 2-D design box; default b0 = −4.5 so a few thousand
 * events per design hold some signal (tests). The LF shifts b0 and widens g(φ).
 */
export function probitProblem(opts: { b0?: number; kappa?: number } = {}): RareEventProblem {
  const problem = new ProbitProblem({ b0: opts.b0 ?? -4.5, kappa: opts.kappa ?? 0.45 });
  const sims = { lf: new ProbitSimulator(problem, 'lf'), hf: new ProbitSimulator(problem, 'hf') };
  const D = problem.dim;
  return {
    name: 'probit',
    names: Array.from({ length: D }, (_, j) => `x${j}`),
    lower: new Array<number>(D).fill(problem.lower),
    upper: new Array<number>(D).fill(problem.upper),
    integer: new Array<boolean>(D).fill(false),
    // a disc-shaped corner cut out, so feasibility handling is exercised
    feasible: (t) => t.every((v) => v >= problem.lower && v <= problem.upper) && !(t[0]! < -1.2 && t[1]! < -1.2),
    baseline: new Array<number>(D).fill(1.6),
    nominalEvents: { lf: 2000, hf: 20_000 },
    simulate: (theta, fidelity, n, rng) => sims[fidelity].simulate(theta, n, rng),
    exactRates: (thetas) => thetas.map((t) => problem.exactRate(t, 'hf')),
  };
}
