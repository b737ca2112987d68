// Toy LEGEND-1000 neutron moderator for the rare-event design problem of RESuM
// (seed 000 §3, §5.1). One event = one neutron with event parameters φ (start,
// direction, energy, and where and how it was absorbed); its outcome
// X ~ Bernoulli(t(θ, φ)) says whether it made a ⁷⁷Ge nucleus in the inner
// detector. Two fidelities differ in the start distribution g(φ_ini):
//   'lf': neutrons started uniformly in the argon (≈10⁴ per design, fast);
//   'hf': neutrons from simulated muons, in bunches (≈10⁶ per design).
// Geometry: moderator-geometry.ts; g(φ_ini): moderator-sources.ts; fate and
// t(θ, φ_ini): moderator-physics.ts; final state φ_fin and t(φ): moderator-final-state.ts.
import type { EventBatch, Simulator } from '../contracts.ts';
import { Rng } from '../random.ts';
import {
  MODERATOR_BOUNDS,
  MODERATOR_CONSTRAINTS,
  MODERATOR_PARAMETERS,
  PanelLayout,
  closedTube,
  isFeasibleModerator,
  toDesign,
} from './moderator-geometry.ts';
import { outcomeProbability, sampleFinalStates } from './moderator-final-state.ts';
import { meanTrigger } from './moderator-physics.ts';
import { checkLowFidelitySource, PHI_DIM, PHI_NAMES, sampleHighFidelity, sampleLowFidelity, type LowFidelitySource, type NeutronSample } from './moderator-sources.ts';

export { MODERATOR_CONSTRAINTS, MODERATOR_PARAMETERS, PHI_DIM, PHI_NAMES, closedTube, isFeasibleModerator, toDesign };
export { moderatorRadii, panelsCross, PanelLayout } from './moderator-geometry.ts';
export type { LowFidelitySource, NeutronSample } from './moderator-sources.ts';
export { LF_SOURCES } from './moderator-sources.ts';

export type ModeratorFidelity = 'lf' | 'hf';

/** Nominal events per design (seed 000 §5.1: LF ~10⁴ neutrons, HF many muons ≈ 10⁶ neutrons here). */
export const NOMINAL_EVENTS: Record<ModeratorFidelity, number> = { lf: 10_000, hf: 1_000_000 };

/**
 * Baseline design: a thin closed PMMA tube (n = 360 tangent panels, L = 2πr/360)
 * just inside the cryostat wall, r = 240 cm, d = 3 cm. Our choice of baseline
 * (PHYSICS.md §2 only fixes "a closed tube"); benchmarks/moderator-scan.ts
 * reports how much the best design improves on it.
 */
export const MODERATOR_BASELINE: number[] = closedTube(240, 3);

/** Design space of the moderator study, in the DesignSpaceSpec shape lib/space.ts takes. */
export const MODERATOR_SPACE = {
  parameters: [
    { name: 'r', unit: 'cm', lower: MODERATOR_BOUNDS.r[0], upper: MODERATOR_BOUNDS.r[1], start: MODERATOR_BASELINE[0]!, sigma: 15 },
    { name: 'd', unit: 'cm', lower: MODERATOR_BOUNDS.d[0], upper: MODERATOR_BOUNDS.d[1], start: MODERATOR_BASELINE[1]!, sigma: 1.5 },
    { name: 'n', lower: MODERATOR_BOUNDS.n[0], upper: MODERATOR_BOUNDS.n[1], start: MODERATOR_BASELINE[2]!, kind: 'integer' as const, sigma: 20 },
    { name: 'phi', unit: 'deg', lower: MODERATOR_BOUNDS.phi[0], upper: MODERATOR_BOUNDS.phi[1], start: MODERATOR_BASELINE[3]!, sigma: 5 },
    { name: 'L', unit: 'cm', lower: MODERATOR_BOUNDS.L[0], upper: MODERATOR_BOUNDS.L[1], start: MODERATOR_BASELINE[4]!, sigma: 1 },
  ],
  constraints: MODERATOR_CONSTRAINTS,
};

function checkFidelity(f: unknown): ModeratorFidelity {
  if (f !== 'lf' && f !== 'hf') throw new Error(`moderator fidelity: must be 'lf' or 'hf' (got ${JSON.stringify(f)})`);
  return f;
}

/** Draws n neutrons from the fidelity's g(φ) (LF: from lfSource, default 'argon-evaporation'). */
export function sampleNeutrons(fidelity: ModeratorFidelity, n: number, rng: Rng, lfSource: LowFidelitySource = 'argon-evaporation'): NeutronSample {
  if (!Number.isInteger(n) || n < 0) throw new Error(`moderator nEvents: must be a non-negative integer (got ${n})`);
  return checkFidelity(fidelity) === 'lf' ? sampleLowFidelity(n, rng, lfSource) : sampleHighFidelity(n, rng);
}

/**
 * Ground truth t(θ, φ) for one simulated φ row (PHI_DIM numbers, final state
 * included): the event's ⁷⁷Ge probability. θ acts through the final state the
 * simulation drew for it, so θ is only checked here. Never give this to a surrogate.
 */
export function tProbability(theta: readonly number[], phiRow: ArrayLike<number>): number {
  toDesign(theta);
  if (phiRow.length !== PHI_DIM) throw new Error(`tProbability phiRow: expected ${PHI_DIM} values (${PHI_NAMES.join(', ')}), got ${phiRow.length}`);
  return outcomeProbability(phiRow, 0);
}

/** Ground truth t for every row of a simulated φ sample (n × PHI_DIM). */
export function tProbabilities(theta: readonly number[], phi: Float32Array, n = phi.length / PHI_DIM): Float64Array {
  toDesign(theta);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = outcomeProbability(phi, i * PHI_DIM);
  return out;
}

/** t(θ, φ_ini) for every row: the final state integrated out (what the exact rate averages). */
export function startProbabilities(theta: readonly number[], phi: Float32Array, n = phi.length / PHI_DIM): Float64Array {
  return meanTrigger(new PanelLayout(toDesign(theta)), phi, n).perEvent;
}

export interface ExactRateOptions {
  /** φ samples averaged (default 200 000) */
  nQuad?: number;
  /** stream for the φ sample; the default is fixed, so every design sees the same φ (common random numbers) */
  rng?: Rng;
  /** a φ sample to reuse (from sampleNeutrons of the same fidelity); overrides nQuad and rng */
  sample?: NeutronSample;
  /** the LF source (LF_SOURCES, default 'argon-evaporation') */
  lfSource?: LowFidelitySource;
}

export interface ExactRate {
  /** t̄(θ) = ∫ t(θ, φ) g(φ) dφ estimated by averaging t(θ, φ_ini), the final state integrated out exactly (no Bernoulli noise) */
  rate: number;
  /** standard error of `rate` from the φ sampling (clustered by muon for HF) */
  stdError: number;
  nQuad: number;
}

/** Standard error of a mean of per-event values whose events come in clusters (muon bunches). */
function clusteredStdError(values: Float64Array, cluster: Int32Array, mean: number): number {
  const n = values.length;
  if (n < 2) return NaN;
  let s2 = 0;
  let i = 0;
  let groups = 0;
  while (i < n) {
    const c = cluster[i]!;
    let sum = 0;
    while (i < n && cluster[i] === c) {
      sum += values[i]! - mean;
      i += 1;
    }
    s2 += sum * sum;
    groups += 1;
  }
  return Math.sqrt((s2 * groups) / Math.max(1, groups - 1)) / n;
}

/** t̄ at several designs from one shared φ sample (cheaper and smoother for scans). */
export function exactRates(thetas: readonly (readonly number[])[], fidelity: ModeratorFidelity, opts: ExactRateOptions = {}): ExactRate[] {
  checkFidelity(fidelity);
  const nQuad = opts.sample ? opts.sample.cluster.length : (opts.nQuad ?? 200_000);
  if (!Number.isInteger(nQuad) || nQuad < 2) throw new Error(`exactRate nQuad: must be an integer ≥ 2 (got ${nQuad})`);
  const sample = opts.sample ?? sampleNeutrons(fidelity, nQuad, opts.rng ?? new Rng(`moderator-exact-${fidelity}`), opts.lfSource);
  return thetas.map((theta) => {
    const { mean, perEvent } = meanTrigger(new PanelLayout(toDesign(theta)), sample.phi, nQuad);
    return { rate: mean, stdError: clusteredStdError(perEvent, sample.cluster, mean), nQuad };
  });
}

/** t̄(θ) for one design and fidelity, with its own precision. */
export function exactRate(theta: readonly number[], fidelity: ModeratorFidelity, opts: ExactRateOptions = {}): ExactRate {
  return exactRates([theta], fidelity, opts)[0]!;
}

/**
 * The moderator simulator at one fidelity. simulate() draws nEvents neutrons from
 * g(φ_ini), their final states for the design, and their outcomes
 * X ~ Bernoulli(t(θ, φ)). The batch carries φ (also as x) and X (also as y, 0/1).
 */
export class ModeratorSimulator implements Simulator {
  readonly name: string;
  readonly fidelity: ModeratorFidelity;
  readonly xNames: readonly string[] = PHI_NAMES;
  readonly yNames: readonly string[] = ['ge77'];
  /** where LF neutrons come from (LF_SOURCES); HF ignores it */
  readonly lfSource: LowFidelitySource;
  /** primaries drawn by the last simulate call (muons for HF), for cost accounting */
  lastPrimaries = 0;

  constructor(fidelity: ModeratorFidelity, opts: { lfSource?: LowFidelitySource } = {}) {
    this.fidelity = checkFidelity(fidelity);
    this.lfSource = checkLowFidelitySource(opts.lfSource ?? 'argon-evaporation');
    this.name = `moderator-${fidelity}`;
  }

  simulate(theta: readonly number[], nEvents: number, rng: Rng): EventBatch {
    const design = toDesign(theta);
    const layout = new PanelLayout(design);
    const sample = sampleNeutrons(this.fidelity, nEvents, rng, this.lfSource);
    this.lastPrimaries = sample.primaries;
    sampleFinalStates(layout, sample.phi, nEvents, rng);
    const outcome = new Uint8Array(nEvents);
    const y = new Float32Array(nEvents);
    for (let i = 0; i < nEvents; i++) {
      const t = outcomeProbability(sample.phi, i * PHI_DIM);
      if (rng.uniform() < t) {
        outcome[i] = 1;
        y[i] = 1;
      }
    }
    return {
      theta: [design.r, design.d, design.n, design.phiDeg, design.L],
      n: nEvents,
      x: sample.phi,
      xDim: PHI_DIM,
      y,
      yDim: 1,
      phi: sample.phi,
      phiDim: PHI_DIM,
      outcome,
      fidelity: this.fidelity,
    };
  }
}

export function createModeratorSimulator(fidelity: ModeratorFidelity): ModeratorSimulator {
  return new ModeratorSimulator(fidelity);
}
