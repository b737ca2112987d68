// Where the neutrons of the moderator toy come from: the event parameters φ_i
// and their distributions g(φ) for the two fidelities of seed 000 §5.1.
//   LF: neutrons started directly (the "simple g_n^ini" of the paper), by
//       default uniformly in the argon outside the inner detector, isotropic,
//       with the evaporation spectrum. LF_SOURCES offers a second LF,
//       'cryostat-log-uniform': uniform in the whole cryostat and log-uniform
//       in energy over all HF makes, so a CNP trained on LF sees every start
//       and energy of an HF event (RESULTS.md moderator-cnp and resum-lf-*
//       measure the trade: the default LF leaves HF neutrons above 10 MeV
//       outside the CNP's training range, the log-uniform one follows HF less
//       closely and holds fewer thermal captures in the array).
//   HF: cosmic muons cross the cryostat and make neutrons along their tracks,
//       in correlated bunches (showers), more in the dense detector array and in
//       the steel cryostat wall, with a harder, forward-peaked spectrum.
// Both fill the same φ row, so a surrogate trained on one can score the other.
import type { Rng } from '../random.ts';

/**
 * φ row layout: start position (cm), unit direction, log10 of the kinetic
 * energy in MeV (φ_ini, drawn here), then the final state (φ_fin: end radius and
 * height in cm, log10 of the energy at absorption; drawn per design by
 * moderator-final-state.ts, NaN until then). Ten numbers, as in seed 000 §5.1.
 */
export const PHI_NAMES = ['x0', 'y0', 'z0', 'ux', 'uy', 'uz', 'log10E', 'rhoEnd', 'zEnd', 'log10Eend'] as const;
export const PHI_DIM = PHI_NAMES.length;
/** the start columns φ_ini; the rest is the final state */
export const PHI_START_DIM = 7;

/** Toy LEGEND-1000 volumes (cm): inner detector (Ge array in underground argon) and the argon cryostat. */
export const VOLUMES = {
  detectorRadius: 60,
  detectorHalfHeight: 60,
  argonRadius: 300,
  argonHalfHeight: 300,
  /** steel cryostat wall outside the argon (muon-induced neutrons start here too in HF) */
  wallThickness: 10,
};

/** Evaporation spectrum E·e^(−E/T) (PHYSICS.md §2) is Gamma(2, T). */
export const EVAPORATION_T_MEV = 1.5;

export interface NeutronSample {
  /** n × PHI_DIM, row-major */
  phi: Float32Array;
  /** which primary made each neutron (the muon index for HF, the neutron itself for LF); for clustered errors */
  cluster: Int32Array;
  /** number of primaries drawn (LF: neutrons, HF: muons, including muons that missed the cryostat) */
  primaries: number;
}

function isotropic(rng: Rng, out: number[]): void {
  const cz = 2 * rng.uniform() - 1;
  const az = 2 * Math.PI * rng.uniform();
  const s = Math.sqrt(Math.max(0, 1 - cz * cz));
  out[0] = s * Math.cos(az);
  out[1] = s * Math.sin(az);
  out[2] = cz;
}

function writeRow(phi: Float32Array, i: number, x: number, y: number, z: number, u: number[], energyMeV: number): void {
  const o = i * PHI_DIM;
  phi[o] = x;
  phi[o + 1] = y;
  phi[o + 2] = z;
  phi[o + 3] = u[0]!;
  phi[o + 4] = u[1]!;
  phi[o + 5] = u[2]!;
  phi[o + 6] = Math.log10(energyMeV);
  for (let k = PHI_START_DIM; k < PHI_DIM; k++) phi[o + k] = Number.NaN;
}

/** The low-fidelity neutron sources (see the header). */
export const LF_SOURCES = ['argon-evaporation', 'cryostat-log-uniform'] as const;
export type LowFidelitySource = (typeof LF_SOURCES)[number];

/** Kinetic energies of 'cryostat-log-uniform' LF neutrons, MeV: log-uniform over what HF makes (evaporation down to keV, knock-out up to a few 100 MeV). */
export const LF_ENERGY_RANGE_MEV: readonly [number, number] = [0.01, 300];

export function checkLowFidelitySource(source: string): LowFidelitySource {
  if (!(LF_SOURCES as readonly string[]).includes(source)) throw new Error(`moderator lfSource: must be one of ${LF_SOURCES.join(', ')} (got ${JSON.stringify(source)})`);
  return source as LowFidelitySource;
}

type StartDraw = (rng: Rng, u: number[]) => { x: number; y: number; z: number; energy: number };

/** 'argon-evaporation': uniform in the argon outside the inner detector, isotropic, evaporation spectrum. */
const argonEvaporation: StartDraw = (rng, u) => {
  const { argonRadius: R, argonHalfHeight: H, detectorRadius: Rd, detectorHalfHeight: Hd } = VOLUMES;
  let x: number, y: number, z: number;
  do {
    const rho = R * Math.sqrt(rng.uniform());
    const a = 2 * Math.PI * rng.uniform();
    x = rho * Math.cos(a);
    y = rho * Math.sin(a);
    z = H * (2 * rng.uniform() - 1);
  } while (x * x + y * y < Rd * Rd && Math.abs(z) < Hd);
  isotropic(rng, u);
  return { x, y, z, energy: rng.gamma(2, EVAPORATION_T_MEV) };
};

/** 'cryostat-log-uniform': anywhere an HF neutron can start (argon, inner detector, steel wall), isotropic, log-uniform energy. */
const cryostatLogUniform: StartDraw = (rng, u) => {
  const { argonRadius: R, argonHalfHeight: H, wallThickness: W } = VOLUMES;
  const [eLo, eHi] = LF_ENERGY_RANGE_MEV.map(Math.log10) as [number, number];
  const rho = (R + W) * Math.sqrt(rng.uniform());
  const a = 2 * Math.PI * rng.uniform();
  const z = (H + W) * (2 * rng.uniform() - 1);
  isotropic(rng, u);
  return { x: rho * Math.cos(a), y: rho * Math.sin(a), z, energy: 10 ** (eLo + (eHi - eLo) * rng.uniform()) };
};

/** LF g(φ) of the chosen source (default 'argon-evaporation'). */
export function sampleLowFidelity(n: number, rng: Rng, source: LowFidelitySource = 'argon-evaporation'): NeutronSample {
  const draw = checkLowFidelitySource(source) === 'argon-evaporation' ? argonEvaporation : cryostatLogUniform;
  const phi = new Float32Array(n * PHI_DIM);
  const cluster = new Int32Array(n);
  const u = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const { x, y, z, energy } = draw(rng, u);
    writeRow(phi, i, x, y, z, u, energy);
    cluster[i] = i;
  }
  return { phi, cluster, primaries: n };
}

/**
 * Muon-induced neutron production (toy numbers, in the spirit of MUSUN at LNGS
 * depth): downward muons with cos ζ ~ density ∝ cos³ζ, uniform over a disc of
 * radius 400 cm; per muon Poisson(YIELD·length) single neutrons along the track in
 * argon, triple yield per cm in the dense array, a few neutrons where the track
 * crosses the steel wall, and with probability SHOWER_PROB a hadronic shower of
 * Gamma–Poisson multiplicity (mean SHOWER_MEAN) around one vertex.
 */
export const MUON_MODEL = {
  discRadius: 400,
  /** neutrons per cm of muon track in argon */
  yieldPerCm: 0.01,
  /** extra yield factor inside the Ge/copper array */
  arrayYieldFactor: 3,
  /** mean neutrons per wall crossing */
  wallYield: 2,
  showerProb: 0.08,
  showerMean: 40,
  /** Gamma shape of the shower multiplicity (small = heavy-tailed bunches) */
  showerShape: 0.7,
  /** Gaussian spread of shower neutrons around the vertex, cm */
  showerSpread: 25,
  /** lateral spread of single neutrons around the track, cm */
  trackSpread: 8,
  /** fraction of neutrons from the hard (knock-out / spallation) component */
  hardFraction: 0.3,
  /** hard component: E = 2 MeV + Exp(mean) */
  hardMeanMeV: 25,
};

/** Entry/exit parameters of the line p + t·v in the cylinder ρ ≤ R, |z| ≤ H, or null. */
function cylinderInterval(p: number[], v: number[], R: number, H: number): [number, number] | null {
  let lo = -Infinity;
  let hi = Infinity;
  const a = v[0]! * v[0]! + v[1]! * v[1]!;
  const b = p[0]! * v[0]! + p[1]! * v[1]!;
  const c = p[0]! * p[0]! + p[1]! * p[1]! - R * R;
  if (a < 1e-14) {
    if (c > 0) return null;
  } else {
    const disc = b * b - a * c;
    if (disc <= 0) return null;
    const sq = Math.sqrt(disc);
    lo = (-b - sq) / a;
    hi = (-b + sq) / a;
  }
  if (Math.abs(v[2]!) < 1e-14) {
    if (Math.abs(p[2]!) > H) return null;
  } else {
    let t1 = (-H - p[2]!) / v[2]!;
    let t2 = (H - p[2]!) / v[2]!;
    if (t1 > t2) [t1, t2] = [t2, t1];
    lo = Math.max(lo, t1);
    hi = Math.min(hi, t2);
  }
  return hi > lo ? [lo, hi] : null;
}

/** HF g(φ): neutrons from muon tracks, bunched; `n` neutrons in total (the last muon may be cut short). */
export function sampleHighFidelity(n: number, rng: Rng): NeutronSample {
  const phi = new Float32Array(n * PHI_DIM);
  const cluster = new Int32Array(n);
  const M = MUON_MODEL;
  const { argonRadius: R, argonHalfHeight: H, detectorRadius: Rd, detectorHalfHeight: Hd, wallThickness: W } = VOLUMES;
  const mu = [0, 0, 0];
  const start = [0, 0, 0];
  const u = [0, 0, 0];
  let count = 0;
  let muons = 0;
  const emit = (x: number, y: number, z: number): void => {
    if (count >= n) return;
    let energy: number;
    if (rng.uniform() < M.hardFraction) {
      energy = 2 + rng.exponential(M.hardMeanMeV);
      // knock-out neutrons follow the muon: forward-peaked directions
      isotropic(rng, u);
      const fx = mu[0]! + u[0]!;
      const fy = mu[1]! + u[1]!;
      const fz = mu[2]! + u[2]!;
      const norm = Math.hypot(fx, fy, fz) || 1;
      u[0] = fx / norm;
      u[1] = fy / norm;
      u[2] = fz / norm;
    } else {
      energy = rng.gamma(2, EVAPORATION_T_MEV);
      isotropic(rng, u);
    }
    writeRow(phi, count, x, y, z, u, Math.max(1e-3, energy));
    cluster[count] = muons;
    count += 1;
  };
  const alongTrack = (t: number, spread: number): void => {
    emit(start[0]! + t * mu[0]! + rng.normal(0, spread), start[1]! + t * mu[1]! + rng.normal(0, spread), start[2]! + t * mu[2]! + rng.normal(0, spread));
  };
  while (count < n) {
    // muon direction (downward) and a point on the entry disc above the cryostat
    const cz = Math.pow(rng.uniform(), 0.25);
    const az = 2 * Math.PI * rng.uniform();
    const sz = Math.sqrt(1 - cz * cz);
    mu[0] = sz * Math.cos(az);
    mu[1] = sz * Math.sin(az);
    mu[2] = -cz;
    const rho = M.discRadius * Math.sqrt(rng.uniform());
    const a = 2 * Math.PI * rng.uniform();
    // place the disc in the plane through the cryostat centre perpendicular to the muon
    const e1 = Math.abs(mu[2]!) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const dot = e1[0]! * mu[0]! + e1[1]! * mu[1]! + e1[2]! * mu[2]!;
    const p1 = [e1[0]! - dot * mu[0]!, e1[1]! - dot * mu[1]!, e1[2]! - dot * mu[2]!];
    const n1 = Math.hypot(p1[0]!, p1[1]!, p1[2]!);
    p1[0]! /= n1;
    p1[1]! /= n1;
    p1[2]! /= n1;
    const p2 = [mu[1]! * p1[2]! - mu[2]! * p1[1]!, mu[2]! * p1[0]! - mu[0]! * p1[2]!, mu[0]! * p1[1]! - mu[1]! * p1[0]!];
    for (let k = 0; k < 3; k++) start[k] = rho * (Math.cos(a) * p1[k]! + Math.sin(a) * p2[k]!);
    const outer = cylinderInterval(start, mu, R + W, H + W);
    if (outer) {
      const argon = cylinderInterval(start, mu, R, H);
      // wall crossings: where the track enters and leaves the argon through the steel
      if (argon) {
        for (const [t0, t1] of [
          [outer[0], argon[0]],
          [argon[1], outer[1]],
        ] as const) {
          const k = rng.poisson(M.wallYield);
          for (let i = 0; i < k; i++) alongTrack(t0 + rng.uniform() * (t1 - t0), 2);
        }
        const len = argon[1] - argon[0];
        const k = rng.poisson(M.yieldPerCm * len);
        for (let i = 0; i < k; i++) alongTrack(argon[0] + rng.uniform() * len, M.trackSpread);
        const det = cylinderInterval(start, mu, Rd, Hd);
        if (det) {
          const dl = det[1] - det[0];
          const kd = rng.poisson(M.yieldPerCm * (M.arrayYieldFactor - 1) * dl);
          for (let i = 0; i < kd; i++) alongTrack(det[0] + rng.uniform() * dl, 1);
        }
        if (rng.uniform() < M.showerProb) {
          const tv = argon[0] + rng.uniform() * len;
          const ks = rng.poisson(rng.gamma(M.showerShape, M.showerMean / M.showerShape));
          for (let i = 0; i < ks; i++) alongTrack(tv, M.showerSpread);
        }
      } else {
        // grazes the wall only
        const k = rng.poisson(M.wallYield);
        for (let i = 0; i < k; i++) alongTrack(outer[0] + rng.uniform() * (outer[1] - outer[0]), 2);
      }
    }
    muons += 1;
  }
  return { phi, cluster, primaries: muons };
}
