// The end of a neutron's life in the moderator toy: where it was absorbed and
// with what energy (φ_fin of seed 000 §5.1, which takes "the neutron's end
// position ... and its energy transfer at termination" into φ). The design θ
// acts on the outcome only through this final state: a neutron absorbed in the
// germanium array makes ⁷⁷Ge with a probability set by its energy there, one
// absorbed anywhere else never does. This is what makes the CNP of RESuM
// useful: the outcome is rare (≈ 10⁻⁵), but the final state it depends on is
// not (a few % of neutrons end in the array), so a classifier of φ can give
// every event a score and the mean score of a run is far less noisy than m/N.
//
// The final state is drawn from the fate probabilities of moderator-physics.ts,
// so integrating it out gives back triggerProbability and the exact rate t̄(θ).
import type { Rng } from '../random.ts';
import type { PanelLayout } from './moderator-geometry.ts';
import { fastCapture, neutronFate, PHYSICS } from './moderator-physics.ts';
import { PHI_DIM, PHI_START_DIM, VOLUMES } from './moderator-sources.ts';

/** log10 of the thermal energy in MeV (0.025 eV) and the spread of the absorbed neutrons' log energy around it */
export const THERMAL_LOG10_MEV = Math.log10(2.5e-8);
const THERMAL_LOG10_SPREAD = 0.2;
/** a final energy below this (10 eV) counts as thermal when the outcome probability is read back */
const THERMAL_CUT_LOG10_MEV = -5;

const END_RHO = PHI_START_DIM;
const END_Z = PHI_START_DIM + 1;
const END_LOG10E = PHI_START_DIM + 2;

function uniformInDetector(rng: Rng): [number, number] {
  const { detectorRadius: Rd, detectorHalfHeight: Hd } = VOLUMES;
  return [Rd * Math.sqrt(rng.uniform()), Hd * (2 * rng.uniform() - 1)];
}

/** Uniform in the argon outside the detector region (where neutrons captured on argon end). */
function uniformInArgon(rng: Rng): [number, number] {
  const { argonRadius: R, argonHalfHeight: H, detectorRadius: Rd, detectorHalfHeight: Hd } = VOLUMES;
  for (;;) {
    const rho = R * Math.sqrt(rng.uniform());
    const z = H * (2 * rng.uniform() - 1);
    if (rho >= Rd || Math.abs(z) >= Hd) return [rho, z];
  }
}

function thermalLog10(rng: Rng): number {
  return THERMAL_LOG10_MEV + rng.normal(0, THERMAL_LOG10_SPREAD);
}

/**
 * Fills the final-state columns (end radius, end height, log10 end energy) of
 * rows [0, n) of phi, whose start columns are already set, for the layout of θ.
 */
export function sampleFinalStates(layout: PanelLayout, phi: Float32Array, n: number, rng: Rng): void {
  const { argonHalfHeight: H } = VOLUMES;
  for (let i = 0; i < n; i++) {
    const o = i * PHI_DIM;
    const fate = neutronFate(layout, phi, o);
    if (fate.fast + fate.thermal > 1 + 1e-9) throw new Error(`moderator final state: fate probabilities sum to ${fate.fast + fate.thermal} > 1 for event ${i}`);
    const u = rng.uniform();
    let rho: number, z: number, log10E: number;
    if (u < fate.fast) {
      // a fast neutron absorbed in the array: it arrives with about its start energy (above the thermal cut)
      [rho, z] = uniformInDetector(rng);
      log10E = Math.max(phi[o + 6]!, THERMAL_CUT_LOG10_MEV + 1);
    } else if (u < fate.fast + fate.thermal) {
      [rho, z] = uniformInDetector(rng);
      log10E = thermalLog10(rng);
    } else if (rng.uniform() < fate.moderated) {
      // thermalised and captured in the PMMA band
      rho = layout.inner + rng.uniform() * (layout.outer - layout.inner);
      z = H * (2 * rng.uniform() - 1);
      log10E = thermalLog10(rng);
    } else {
      // captured on argon (or lost in the cryostat)
      [rho, z] = uniformInArgon(rng);
      log10E = thermalLog10(rng);
    }
    phi[o + END_RHO] = rho;
    phi[o + END_Z] = z;
    phi[o + END_LOG10E] = log10E;
  }
}

/**
 * t(θ, φ) given the whole φ row, final state included: the ⁷⁷Ge probability of
 * a neutron absorbed where and with the energy φ_fin says. Throws if the row
 * has no final state (φ drawn by sampleNeutrons alone: use the exact rate instead).
 */
export function outcomeProbability(phi: ArrayLike<number>, offset = 0): number {
  const rho = phi[offset + END_RHO]!;
  const z = phi[offset + END_Z]!;
  const log10E = phi[offset + END_LOG10E]!;
  if (!Number.isFinite(rho) || !Number.isFinite(z) || !Number.isFinite(log10E)) {
    throw new Error('moderator phi: the final-state columns (rhoEnd, zEnd, log10Eend) are not set; simulate the run, or use exactRate for t̄');
  }
  const { detectorRadius: Rd, detectorHalfHeight: Hd } = VOLUMES;
  if (rho >= Rd || Math.abs(z) >= Hd) return 0;
  return log10E < THERMAL_CUT_LOG10_MEV ? PHYSICS.cThermal : fastCapture(Math.pow(10, log10E));
}
