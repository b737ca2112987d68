// The trigger probability t(θ, φ) of the moderator toy: the chance that one
// neutron (φ: start, direction, energy) ends up making a ⁷⁷Ge nucleus in the
// inner detector, for the moderator layout θ. Closed form, a few panel tests per
// neutron. It is a toy: every factor has a physical reason and, where one
// exists, a number from PHYSICS.md §2; cFast, cThermal and intrinsicPerCm3 are
// set so rates land at a few 10⁻⁵ per neutron (paper: signal : background ≈
// 1 : 5·10⁴) and the best design lies inside the bounds.
//
// Fast neutrons in argon diffuse (mean free path ≈ 25 cm, little energy lost
// per collision), so every neutron from outside the moderator crosses it on
// its way to the array; the event's direction sets where and how obliquely.
// Ways to make ⁷⁷Ge:
//  1. direct: a fast neutron reaches the array (fastReach of its distance),
//     after e^(−Σ_rem ℓ) through the ℓ cm of PMMA it crossed, and is captured
//     there (cFast, falling with E);
//  2. moderated outside-in: what the PMMA removes is thermalised in it; a
//     thermal neutron leaks through the rest of the panel (½e^(−d/2L_PMMA)) and
//     crosses the argon to the array (thermalReach);
//  3. reflected inside-out: neutrons born inside the moderator that enter its
//     inner face are thermalised and partly sent back (innerFaceAlbedo);
//  4. born in PMMA: cosmogenic neutrons starting inside a panel thermalise on
//     the spot; and the PMMA's own (α,n)/spallation neutrons add a term ∝ its volume.
// The moderator shields outer neutrons but puts thermal neutrons near the
// array (worse the closer it is) and costs material; far out it leaves more
// neutrons inside it unshielded: the best design lies between (seed 000 §5.3,
// "balance between effective neutron capture and material efficiency").
import { PanelLayout } from './moderator-geometry.ts';
import { PHI_DIM, VOLUMES } from './moderator-sources.ts';

export const PHYSICS = {
  /** PMMA hydrogen density, cm⁻³ (PHYSICS.md §2) */
  nH: 5.68e22,
  /** n–p elastic cross-section: 4.26 b at 1 MeV, 0.94 b at 10 MeV → power law, capped at the 20.4 b thermal value */
  sigmaNp1MeV: 4.26,
  sigmaNpSlope: Math.log(4.26 / 0.94) / Math.log(10),
  sigmaNpMax: 20.4,
  /** fraction of n–p collisions that take a neutron off a path to the detector (H scatters ≤ 90°) */
  removalFraction: 0.8,
  /** thermal diffusion length in PMMA, cm (PHYSICS.md §2) */
  pmmaDiffusionLength: 3,
  /** thermal neutrons in argon: absorption mean free path ≈ 70 cm (0.675 b) */
  argonThermalLength: 70,
  /** fast-neutron reach in argon at 1 MeV, cm (elastic mean free path ≈ 25 cm, small energy loss) */
  argonFastLength1MeV: 250,
  /** added to |radial direction| when a neutron crosses the band (cosine weighting; larger = more radial crossings) */
  incidenceBoost: 1,
  /** geometric dilution scale of the fast-neutron reach, cm */
  dilutionLength: 150,
  /** probability that a thermalised neutron reflected by the moderator's inner face leaves it again */
  innerFaceAlbedo: 0.35,
  /**
   * Neutrons the moderator makes itself, per cm³ of PMMA and per cosmogenic
   * neutron: (α,n) on its ²³⁸U/²³²Th and muon spallation on C/O. They do not
   * self-shield (born fast, spread through the panel), so this is the one term
   * that grows linearly with the PMMA mass: the "material efficiency" of §5.3.
   */
  intrinsicPerCm3: 1.2e-5,
  /** ⁷⁷Ge per fast neutron reaching the array at low energy (falls like 1/(1 + E/5 MeV)) */
  cFast: 4e-4,
  /** ⁷⁷Ge per thermal neutron reaching the array (0.16 b on ⁷⁶Ge against Ar, Cu, H captures) */
  cThermal: 1e-3,
};

/** Macroscopic removal cross-section of PMMA for a neutron of energy E (MeV), cm⁻¹. */
export function removalCrossSection(energyMeV: number): number {
  const sigmaB = Math.min(PHYSICS.sigmaNpMax, PHYSICS.sigmaNp1MeV * Math.pow(Math.max(energyMeV, 1e-6), -PHYSICS.sigmaNpSlope));
  return PHYSICS.removalFraction * PHYSICS.nH * sigmaB * 1e-24;
}

/**
 * Chance that a thermal neutron released at the moderator's inner face
 * (radius rIn, height z) reaches the array: cylindrical dilution R_det/r times
 * absorption in argon over the distance to the detector.
 */
function thermalReach(rIn: number, z: number): number {
  const { detectorRadius: Rd, detectorHalfHeight: Hd } = VOLUMES;
  const dist = Math.hypot(Math.max(0, rIn - Rd), Math.max(0, Math.abs(z) - Hd));
  return (Rd / Math.max(rIn, Rd)) * Math.exp(-dist / PHYSICS.argonThermalLength);
}

/**
 * Chance that a fast neutron diffusing through argon covers `dist` cm: fast
 * neutrons in argon scatter every ≈ 25 cm but lose only ~5 % of their lethargy
 * per collision, so they wander metres before thermalising; a slowly falling
 * kernel (geometric dilution and escape, longer reach for harder neutrons).
 */
function fastReach(dist: number, energyMeV: number): number {
  const reach = PHYSICS.argonFastLength1MeV * Math.pow(energyMeV, 0.3);
  return Math.exp(-dist / reach) / (1 + dist / PHYSICS.dilutionLength);
}

/**
 * PMMA path length (cm) of a neutron crossing the moderator band at the
 * azimuth of (x, y), arriving from outside (inward = true) or inside. The event's
 * direction sets the incidence: diffusing neutrons cross a surface with a
 * cosine-weighted direction, so the radial component is made to point across the
 * band and raised by PHYSICS.incidenceBoost (no grazing paths that never leave the band).
 */
function crossingChord(layout: PanelLayout, x: number, y: number, ux: number, uy: number, uz: number, inward: boolean): number {
  const rho = Math.hypot(x, y) || 1;
  const rx = x / rho;
  const ry = y / rho;
  const radial = ux * rx + uy * ry;
  const tangential = -ux * ry + uy * rx;
  const across = Math.abs(radial) + PHYSICS.incidenceBoost;
  const norm = Math.hypot(across, tangential);
  const sign = inward ? -1 : 1;
  const wr = (sign * across) / norm;
  const wt = tangential / norm;
  const vx = wr * rx - wt * ry;
  const vy = wr * ry + wt * rx;
  // start just outside (or inside) the band at the same azimuth
  const startR = inward ? layout.outer + 1 : Math.max(0, layout.inner - 1);
  const chord2d = layout.chord(startR * rx, startR * ry, vx, vy, 4 * VOLUMES.argonRadius);
  // steep neutrons cross more PMMA; cap the 1/sin(polar) growth (panels are not infinitely tall)
  const sinp = Math.max(0.33, Math.sqrt(Math.max(0, 1 - uz * uz)));
  return chord2d / sinp;
}

/**
 * The moderator's own neutrons (design only, the same for every event): PMMA
 * volume per cm of height n·d·L times the yield, half of them head inwards and
 * reach the array like thermal neutrons released at mid-height of the inner face.
 */
export function intrinsicRate(layout: PanelLayout): number {
  const des = layout.design;
  const volume = des.n * des.d * des.L;
  return PHYSICS.intrinsicPerCm3 * volume * 0.5 * PHYSICS.cThermal * thermalReach(layout.inner, 0);
}

/**
 * Where one neutron can end up, for the layout of θ: the chance that it (or a
 * thermal neutron the moderator releases because of it) is absorbed in the
 * array as a fast neutron (`fast`) or as a thermal one (`thermal`), and the
 * chance that, if it ends elsewhere, it was thermalised in the PMMA
 * (`moderated`, else in the argon). fast + thermal ≤ 1.
 */
export interface NeutronFate {
  fast: number;
  thermal: number;
  moderated: number;
}

/** ⁷⁷Ge per fast neutron absorbed in the array, for its energy in MeV. */
export function fastCapture(energyMeV: number): number {
  return PHYSICS.cFast / (1 + energyMeV / 5);
}

/** The fate of the neutron in a φ row (only its start columns are read); phi points at a PHI_DIM row. */
export function neutronFate(layout: PanelLayout, phi: ArrayLike<number>, offset = 0): NeutronFate {
  const x0 = phi[offset]!;
  const y0 = phi[offset + 1]!;
  const z0 = phi[offset + 2]!;
  const ux = phi[offset + 3]!;
  const uy = phi[offset + 4]!;
  const uz = phi[offset + 5]!;
  const energy = Math.pow(10, phi[offset + 6]!);
  const P = PHYSICS;
  const { detectorRadius: Rd, detectorHalfHeight: Hd, argonHalfHeight: H } = VOLUMES;
  const des = layout.design;
  const rho0 = Math.hypot(x0, y0);
  const zIn = Math.max(-H, Math.min(H, z0));
  const toArray = thermalReach(layout.inner, zIn);
  const own = intrinsicRate(layout) / P.cThermal;

  // born inside the detector region: no moderator in the way (the moderator's own thermal neutron takes precedence)
  if (rho0 < Rd && Math.abs(z0) < Hd) return { fast: 1 - own, thermal: own, moderated: 0 };
  // born inside a panel (muons hit PMMA too): thermalised on the spot, diffuses to the inner face
  if (Math.abs(z0) <= H) {
    const depth = layout.insidePanel(x0, y0);
    if (depth >= 0) return { fast: 0, thermal: own + toArray * 0.5 * Math.exp(-depth / P.pmmaDiffusionLength), moderated: 1 };
  }
  const toDetector = Math.hypot(Math.max(0, rho0 - Rd), Math.max(0, Math.abs(z0) - Hd));
  const direct = fastReach(toDetector, energy);
  const toPanel = Math.hypot(Math.abs(rho0 - des.r), Math.max(0, Math.abs(z0) - H));
  const sigmaRem = removalCrossSection(energy);
  if (rho0 > layout.inner) {
    // outside: every path to the array crosses the moderator band once
    const transmitted = Math.exp(-sigmaRem * crossingChord(layout, x0, y0, ux, uy, uz, true));
    const leakThrough = 0.5 * Math.exp(-des.d / (2 * P.pmmaDiffusionLength));
    return normalised(direct * transmitted, own + fastReach(toPanel, energy) * (1 - transmitted) * leakThrough * toArray, 1 - transmitted);
  }
  // inside the moderator: unshielded, and what reaches the inner face is partly reflected as thermal neutrons
  const absorbed = 1 - Math.exp(-sigmaRem * crossingChord(layout, x0, y0, ux, uy, uz, false));
  const reach = fastReach(toPanel, energy);
  return normalised(direct, own + reach * absorbed * P.innerFaceAlbedo * toArray, reach * absorbed);
}

/** The two array fates are exclusive: a neutron born next to the array cannot exceed certainty (rare, near the array). */
function normalised(fast: number, thermal: number, moderated: number): NeutronFate {
  const sum = fast + thermal;
  return sum > 1 ? { fast: fast / sum, thermal: thermal / sum, moderated } : { fast, thermal, moderated };
}

/**
 * t(θ, φ_start): the chance that the neutron makes ⁷⁷Ge, its final state
 * integrated out (fast·c_fast(E) + thermal·c_thermal). Averaged over g(φ) this is
 * the exact rate t̄(θ); phi points at a PHI_DIM row.
 */
export function triggerProbability(layout: PanelLayout, phi: ArrayLike<number>, offset = 0): number {
  const fate = neutronFate(layout, phi, offset);
  return fate.fast * fastCapture(Math.pow(10, phi[offset + 6]!)) + fate.thermal * PHYSICS.cThermal;
}

/** Mean of t over the rows of a φ sample (no Bernoulli noise). */
export function meanTrigger(layout: PanelLayout, phi: Float32Array, n: number): { mean: number; perEvent: Float64Array } {
  const perEvent = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = triggerProbability(layout, phi, i * PHI_DIM);
    perEvent[i] = t;
    s += t;
  }
  return { mean: s / Math.max(1, n), perEvent };
}
