// One electromagnetic shower's longitudinal profile (GFlash, Grindhammer–Peters,
// hep-ex/0001020; Geant4 GFlashHomoShowerParameterisation) and how much of it
// lands in each layer of a stack. PHYSICS.md §1 gives every formula used here.
import type { Rng } from '../random.ts';
import { gammaQWithLogGamma as importedGammaQ, logGamma as importedLogGamma } from '../special.ts';

// Module-local aliases: the loaders tsx uses may turn imported bindings into
// getter calls, which cost ~6 % of the event loop's time when read per call.
const gammaQWithLogGamma = importedGammaQ;
const logGamma = importedLogGamma;

export interface Material {
  name: string;
  /** atomic number (Z_eff by mass for compounds) */
  Z: number;
  radiationLengthCm: number;
  /** critical energy as GFlash fits it, Ec = 2.66 (X0[g/cm²] Z/A)^1.1 MeV, here in GeV */
  criticalEnergyGeV: number;
}

/** Lead absorber (PHYSICS.md §1 table: PDG X0 = 0.561 cm, GFlash Ec = 7.36 MeV). */
export const LEAD: Material = { name: 'Pb', Z: 82, radiationLengthCm: 0.561, criticalEnergyGeV: 7.36e-3 };
/** Lead tungstate scintillator (PHYSICS.md §1 table: X0 = 0.890 cm, Z_eff 68.36, Ec = 8.76 MeV). */
export const PBWO4: Material = { name: 'PbWO4', Z: 68.36, radiationLengthCm: 0.89, criticalEnergyGeV: 8.76e-3 };

/** Mean photon conversion depth in X0: the pair-production mean free path is 9/7 X0 (PDG §34.4.2). */
export const CONVERSION_MEAN_X0 = 9 / 7;

/**
 * The Grindhammer–Peters fits hold for showers of ~1 GeV and up; their σ(ln T) and
 * σ(ln α) diverge as ln y → 1.11 and 0.67. Low-energy pair members (a uniform energy
 * split gives some) therefore take the profile shape of y = e³ (≈ 20 Ec, ≈ 0.18 GeV in
 * PbWO4: T ≈ 2.2 X0, σ(ln T) ≈ 0.42, σ(ln α) ≈ 0.50). They carry little energy.
 */
export const MIN_LOG_Y = 3;

export interface ProfileParameters {
  meanLnT: number;
  sigmaLnT: number;
  meanLnAlpha: number;
  sigmaLnAlpha: number;
  /** correlation of ln T and ln α */
  rho: number;
}

/** GFlash homogeneous-medium averages, widths and correlation at energy E (GeV) in a material. */
export function gflashParameters(
  energyGeV: number,
  material: Material,
  out: ProfileParameters = { meanLnT: 0, sigmaLnT: 0, meanLnAlpha: 0, sigmaLnAlpha: 0, rho: 0 },
): ProfileParameters {
  if (!(energyGeV > 0)) throw new Error(`gflashParameters: energyGeV must be > 0 (got ${energyGeV})`);
  const lnY = Math.max(Math.log(energyGeV / material.criticalEnergyGeV), MIN_LOG_Y);
  out.meanLnT = Math.log(lnY - 0.812);
  out.sigmaLnT = 1 / (-1.4 + 1.26 * lnY);
  out.meanLnAlpha = Math.log(0.81 + (0.458 + 2.26 / material.Z) * lnY);
  out.sigmaLnAlpha = 1 / (-0.58 + 0.86 * lnY);
  out.rho = 0.705 - 0.023 * lnY;
  return out;
}

/** One sampled profile: (1/E) dE/dt = (βt)^(α−1) β e^(−βt) / Γ(α), maximum at T = (α−1)/β. */
export interface SampledProfile {
  alpha: number;
  beta: number;
  tmax: number;
  /** ln Γ(α), kept so the layer integrals need not recompute it */
  logGammaAlpha: number;
}

const TWO_POW_M32 = 2 ** -32;
/**
 * A uniform in (0, 1) from one 32-bit draw of the rng (half the cost of
 * rng.uniform()'s 53 bits). Resolution 2.3e-10, so Box–Muller normals built from
 * it reach 6.8 σ: ample for profile fluctuations and readout smearing.
 */
export function uniform32(rng: Rng): number {
  return ((rng.int32() >>> 0) + 0.5) * TWO_POW_M32;
}

const scratch: ProfileParameters = { meanLnT: 0, sigmaLnT: 0, meanLnAlpha: 0, sigmaLnAlpha: 0, rho: 0 };
/**
 * Smallest α kept. The profile's mean depth is αT/(α − 1), which diverges as α → 1;
 * draws below 1.5 come from the fit's extrapolation to low-energy pair members and
 * would spread their energy over tens of X0 (1 GeV photons then leak 0.4 % of their
 * energy out of 28 X0 of PbWO4 instead of 0.1 %). Above ~5 GeV the cut sits ≥ 4.7 σ
 * below ⟨ln α⟩, so it does not touch the showers the fit was made for.
 */
export const ALPHA_MIN = 1.5;
/** Draws after which a profile with α ≤ ALPHA_MIN is clamped instead of redrawn (practically never). */
const MAX_REDRAWS = 64;

/**
 * Samples (α, T) for one e± of energy E (GeV) with correlated ln T, ln α (PHYSICS.md §1)
 * and writes them into `out` (reused: no allocation per particle). Draws with
 * α ≤ ALPHA_MIN are redrawn (both normals), i.e. the lognormal is truncated there.
 */
export function sampleProfile(energyGeV: number, material: Material, rng: Rng, out: SampledProfile): SampledProfile {
  const { meanLnT, sigmaLnT, meanLnAlpha, sigmaLnAlpha, rho } = gflashParameters(energyGeV, material, scratch);
  const c1 = Math.sqrt((1 + rho) / 2);
  const c2 = Math.sqrt((1 - rho) / 2);
  let alpha = 0;
  let tmax = 0;
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    // Box–Muller pair: both normals from one pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(uniform32(rng)));
    const phi = 2 * Math.PI * uniform32(rng);
    const z1 = r * Math.cos(phi);
    const z2 = r * Math.sin(phi);
    tmax = Math.exp(meanLnT + sigmaLnT * (c1 * z1 + c2 * z2));
    alpha = Math.exp(meanLnAlpha + sigmaLnAlpha * (c1 * z1 - c2 * z2));
    if (alpha > ALPHA_MIN) break;
  }
  if (!(alpha > ALPHA_MIN)) alpha = ALPHA_MIN;
  out.alpha = alpha;
  out.tmax = tmax;
  out.beta = (alpha - 1) / tmax;
  out.logGammaAlpha = logGamma(alpha);
  return out;
}

/** Below this remaining fraction the rest of the profile is left to the leak term. */
const NEGLIGIBLE_TAIL = 1e-13;
/** Relative accuracy of Q in the layer integrals (float32 output needs far less). */
const LAYER_EPS = 1e-8;
/**
 * Series coefficients 1/(α(α+1)…(α+n)) of the current particle. They do not depend
 * on x, so the layer edges of one particle share them and the series costs one
 * multiply per term instead of a divide (this loop is a third of the simulator's time).
 */
const SERIES_TERMS = 256;
const seriesCoefficients = new Float64Array(SERIES_TERMS);
/** How many of seriesCoefficients belong to the current particle (reset by depositProfile). */
const seriesState = { known: 0 };

/**
 * Q(α, x) for the current particle: the series for P of special.ts with cached
 * coefficients when x < α + 1, the continued fraction otherwise.
 */
function profileQ(alpha: number, x: number, logGammaAlpha: number): number {
  if (x >= alpha + 1) return gammaQWithLogGamma(alpha, x, logGammaAlpha, LAYER_EPS);
  let known = seriesState.known;
  let sum = 0;
  let power = 1;
  for (let n = 0; n < SERIES_TERMS; n++) {
    if (n === known) {
      seriesCoefficients[n] = n === 0 ? 1 / alpha : seriesCoefficients[n - 1]! / (alpha + n);
      known++;
    }
    const term = seriesCoefficients[n]! * power;
    sum += term;
    if (term < sum * LAYER_EPS) {
      seriesState.known = known;
      return 1 - sum * Math.exp(alpha * Math.log(x) - x - logGammaAlpha);
    }
    power *= x;
  }
  seriesState.known = known;
  return gammaQWithLogGamma(alpha, x, logGammaAlpha, LAYER_EPS); // very large α: let the general routine iterate
}

/**
 * Adds energy × (fraction of the profile inside layer j) to deposit[j] for every
 * layer j ≥ firstLayer and returns the energy that passes the last layer.
 * The fraction in [t_a, t_b] is Q(α, β(t_a − t0)) − Q(α, β(t_b − t0)) (= the P
 * difference of PHYSICS.md §1; Q keeps the deep tail's digits), so layer deposits
 * and the leak telescope to exactly `energy`.
 * @param boundaries cumulative depth in X0 of the layer edges, length layers + 1, boundaries[0] = 0
 * @param t0 depth where the particle starts (the conversion point), inside layer firstLayer
 */
export function depositProfile(
  energy: number,
  profile: SampledProfile,
  t0: number,
  firstLayer: number,
  boundaries: Float64Array,
  deposit: Float64Array,
): number {
  const { alpha, beta, logGammaAlpha } = profile;
  const layers = boundaries.length - 1;
  seriesState.known = 0; // new particle, new α
  let qPrev = 1;
  for (let j = firstLayer; j < layers; j++) {
    const end = boundaries[j + 1];
    if (end === boundaries[j]) continue; // zero thickness: nothing to integrate
    const q = profileQ(alpha, beta * (end - t0), logGammaAlpha);
    deposit[j] += energy * (qPrev - q);
    qPrev = q;
    if (qPrev < NEGLIGIBLE_TAIL) break;
  }
  return energy * qPrev;
}
