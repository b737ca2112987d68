// A fast stochastic toy of the seed-002 calorimeter (Section III): single photons
// hit N pairs of (Pb absorber, PbWO4 scintillator); only the energy in PbWO4 is
// read out. Design θ = thicknesses in cm, ordered abs1, scint1, abs2, scint2, …
//
// Per photon (PHYSICS.md §1): energy E ~ U[eMin, eMax]; conversion depth
// t_c ~ Exp(9/7 X0) with depth counted in each layer's own X0; the photon may
// cross the whole stack unconverted (it then leaks). Otherwise E splits uniformly
// into e+ and e−, each with its own GFlash profile starting at t_c
// (calorimeter-shower.ts). The profile parameters use the material of the layer
// where the photon converts: the early cascade, which sets T and α, develops
// there, and a pure PbWO4 block reproduces the PbWO4 numbers exactly.
// Readout smearing, per scintillator layer with deposit ΔE (GeV):
//   Gamma(shape ΔE/c², scale c²)  × (1 + k z)  [+ noise z']
// The Gamma term is photostatistics: mean ΔE, variance c²ΔE, never negative, and
// sums of layers are again Gamma(E/c², c²), so σ/E = c/√E whether the scintillator
// is one layer or several. c = 0.028 √GeV is the CMS ECAL stochastic term and
// k = 0.3 % its constant term (PHYSICS.md §1). The longitudinal model has no
// intrinsic fluctuations inside one homogeneous layer, so this term also stands
// in for those. Electronic noise is off by default (the paper's Geant4 data has
// no readout simulation); with noise on, the result is clipped at 0.
import type { EventBatch, Simulator, SimulatorRecipe } from '../contracts.ts';
import type { Rng } from '../random.ts';
import * as shower from './calorimeter-shower.ts';
import { ReadoutSmearing } from './calorimeter-readout.ts';
import type { DesignSpaceSpec } from '../space.ts';
import { CONVERSION_MEAN_X0, LEAD, PBWO4, type Material, type SampledProfile } from './calorimeter-shower.ts';

// Read once: per-call access to imported bindings can cost a getter call (see calorimeter-shower.ts).
const depositProfile = shower.depositProfile;
const sampleProfile = shower.sampleProfile;

export interface CalorimeterOptions {
  /** number of (absorber, scintillator) pairs, ≥ 1 */
  layers: number;
  /** photon energy range in GeV (default 1–20, the seed-002 BASE study; ENERGY uses 1–100) */
  eMin?: number;
  eMax?: number;
  /** stochastic term c in √GeV (σ/E = c/√E); 0 turns smearing off. Default 0.028 */
  stochasticTerm?: number;
  /** constant term k, relative, per layer. Default 0.003 */
  constantTerm?: number;
  /** Gaussian electronic noise per layer in GeV. Default 0 */
  noise?: number;
}

type ResolvedOptions = Required<CalorimeterOptions>;

function resolveOptions(opts: CalorimeterOptions): ResolvedOptions {
  const o: ResolvedOptions = {
    layers: opts.layers,
    eMin: opts.eMin ?? 1,
    eMax: opts.eMax ?? 20,
    stochasticTerm: opts.stochasticTerm ?? 0.028,
    constantTerm: opts.constantTerm ?? 0.003,
    noise: opts.noise ?? 0,
  };
  if (!Number.isInteger(o.layers) || o.layers < 1) throw new Error(`calorimeter: layers must be an integer >= 1 (got ${o.layers})`);
  if (!(o.eMin > 0) || !Number.isFinite(o.eMin)) throw new Error(`calorimeter: eMin must be a finite energy > 0 GeV (got ${o.eMin})`);
  if (!(o.eMax >= o.eMin) || !Number.isFinite(o.eMax)) throw new Error(`calorimeter: eMax must be finite and >= eMin = ${o.eMin} GeV (got ${o.eMax})`);
  for (const key of ['stochasticTerm', 'constantTerm', 'noise'] as const) {
    const v = o[key];
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`calorimeter: ${key} must be a finite number >= 0 (got ${v})`);
  }
  return o;
}

/** Parameter names for N pairs: abs1, scint1, abs2, scint2, … */
export function calorimeterParameterNames(layers: number): string[] {
  if (!Number.isInteger(layers) || layers < 1) throw new Error(`calorimeterParameterNames: layers must be an integer >= 1 (got ${layers})`);
  const names: string[] = [];
  for (let l = 1; l <= layers; l++) names.push(`abs${l}`, `scint${l}`);
  return names;
}

/**
 * The seed-002 design space for N pairs: every thickness in [0, 25] cm, start 1 cm,
 * candidate spread σ = 1.5 cm, total thickness ≤ 25 cm (≈ 28 X0 of PbWO4, the CMS ECAL depth).
 */
export function calorimeterDesignSpace(
  layers: number,
  opts: { maxTotalCm?: number; startCm?: number; sigmaCm?: number } = {},
): DesignSpaceSpec {
  const { maxTotalCm = 25, startCm = 1, sigmaCm = 1.5 } = opts;
  const names = calorimeterParameterNames(layers);
  return {
    parameters: names.map((name) => ({ name, unit: 'cm', lower: 0, upper: maxTotalCm, start: startCm, kind: 'continuous', sigma: sigmaCm })),
    constraints: [`${names.join(' + ')} <= ${maxTotalCm}`],
  };
}

/** Per-event truth of a simulation, for tests and diagnostics (all energies in GeV). */
export interface CalorimeterBreakdown {
  layers: number;
  n: number;
  /** true photon energy, n */
  energy: Float64Array;
  /** energy deposited in each scintillator layer before smearing, n × layers */
  visible: Float64Array;
  /** energy absorbed in each Pb layer, n × layers */
  absorbed: Float64Array;
  /** energy behind the last layer (incl. unconverted photons), n */
  leaked: Float64Array;
  /** conversion depth in X0 from the front face (beyond the stack when unconverted), n */
  conversionDepth: Float64Array;
  /** the smeared readout, identical to the simulator's y for the same rng state, n × layers */
  smeared: Float32Array;
}

/** Materials and cumulative depths (X0) of the 2N slabs for one design. */
interface Stack {
  materials: Material[];
  boundaries: Float64Array;
}

function buildStack(theta: readonly number[], layers: number): Stack {
  const names = calorimeterParameterNames(layers);
  if (theta.length !== names.length) {
    throw new Error(`calorimeter: theta must have ${names.length} thicknesses (${names.join(', ')}) for ${layers} layer(s), got ${theta.length}`);
  }
  const boundaries = new Float64Array(names.length + 1);
  const materials: Material[] = [];
  for (let j = 0; j < names.length; j++) {
    const d = theta[j]!;
    if (!Number.isFinite(d)) throw new Error(`calorimeter: parameter ${names[j]} must be a finite thickness in cm (got ${d})`);
    if (d < 0) throw new Error(`calorimeter: parameter ${names[j]} must be >= 0 cm (got ${d})`);
    const material = j % 2 === 0 ? LEAD : PBWO4;
    materials.push(material);
    boundaries[j + 1] = boundaries[j]! + d / material.radiationLengthCm; // Δt_j = d_j / X0_j
  }
  return { materials, boundaries };
}

function checkEvents(nEvents: number): void {
  if (!Number.isInteger(nEvents) || nEvents < 0) throw new Error(`calorimeter: nEvents must be an integer >= 0 (got ${nEvents})`);
}

/** Where the optional per-event truth goes; null when only the readout is wanted. */
interface BreakdownSink {
  energy: Float64Array;
  visible: Float64Array;
  absorbed: Float64Array;
  leaked: Float64Array;
  conversionDepth: Float64Array;
}

/**
 * The event loop shared by simulate() and simulateBreakdown(): writes E into
 * x (n) and the smeared readout into y (n × layers), and the truth into `sink`
 * when given. Both callers consume the rng identically.
 */
function runEvents(
  stack: Stack,
  o: ResolvedOptions,
  nEvents: number,
  rng: Rng,
  x: Float32Array | Float64Array,
  y: Float32Array,
  sink: BreakdownSink | null,
): void {
  const { boundaries, materials } = stack;
  const slabs = materials.length;
  const layers = o.layers;
  const depth = boundaries[slabs]!;
  const deposit = new Float64Array(slabs);
  const profile: SampledProfile = { alpha: 0, beta: 0, tmax: 0, logGammaAlpha: 0 };
  const readout = new ReadoutSmearing(o.stochasticTerm, o.constantTerm, o.noise);
  const eSpan = o.eMax - o.eMin;
  for (let i = 0; i < nEvents; i++) {
    const energy = o.eMin + eSpan * rng.uniform();
    const tc = rng.exponential(CONVERSION_MEAN_X0);
    deposit.fill(0);
    let leaked = 0;
    if (tc >= depth) {
      leaked = energy; // crossed the stack unconverted
    } else {
      let first = 0;
      while (boundaries[first + 1]! <= tc) first++; // zero-thickness slabs are skipped here
      const material = materials[first]!;
      const eMinus = energy * rng.uniform(); // uniform pair split (PHYSICS.md §1 toy)
      const ePlus = energy - eMinus;
      if (eMinus > 0) leaked += depositProfile(eMinus, sampleProfile(eMinus, material, rng, profile), tc, first, boundaries, deposit);
      if (ePlus > 0) leaked += depositProfile(ePlus, sampleProfile(ePlus, material, rng, profile), tc, first, boundaries, deposit);
    }
    x[i] = energy;
    for (let l = 0; l < layers; l++) y[i * layers + l] = readout.smear(deposit[2 * l + 1]!, rng);
    if (sink) {
      sink.energy[i] = energy;
      sink.leaked[i] = leaked;
      sink.conversionDepth[i] = tc;
      for (let l = 0; l < layers; l++) {
        sink.absorbed[i * layers + l] = deposit[2 * l]!;
        sink.visible[i * layers + l] = deposit[2 * l + 1]!;
      }
    }
  }
}

/**
 * Simulates nEvents photons and returns the per-event truth: visible energy per
 * scintillator layer before smearing, absorbed energy per Pb layer, the leak, the
 * conversion depth, and the smeared readout. visible + absorbed + leaked = E.
 */
export function simulateBreakdown(theta: readonly number[], nEvents: number, rng: Rng, options: CalorimeterOptions): CalorimeterBreakdown {
  const o = resolveOptions(options);
  const stack = buildStack(theta, o.layers);
  checkEvents(nEvents);
  const sink: BreakdownSink = {
    energy: new Float64Array(nEvents),
    visible: new Float64Array(nEvents * o.layers),
    absorbed: new Float64Array(nEvents * o.layers),
    leaked: new Float64Array(nEvents),
    conversionDepth: new Float64Array(nEvents),
  };
  const smeared = new Float32Array(nEvents * o.layers);
  runEvents(stack, o, nEvents, rng, new Float64Array(nEvents), smeared, sink);
  return { layers: o.layers, n: nEvents, ...sink, smeared };
}

/** The calorimeter as a detopt Simulator: x = true energy (GeV), y = readout per scintillator layer (GeV). */
export class CalorimeterSimulator implements Simulator {
  readonly name: string;
  readonly xNames: readonly string[] = ['energy'];
  readonly yNames: readonly string[];
  readonly recipe: SimulatorRecipe;
  private readonly options: ResolvedOptions;

  constructor(options: CalorimeterOptions) {
    this.options = resolveOptions(options);
    this.name = `calorimeter-${this.options.layers}layer`;
    this.yNames = Array.from({ length: this.options.layers }, (_, l) => `scint${l + 1}`);
    this.recipe = { module: import.meta.url, exportName: 'CalorimeterSimulator', options: { ...this.options } };
  }

  get layers(): number {
    return this.options.layers;
  }

  /** Names of θ's components, in order. */
  parameterNames(): string[] {
    return calorimeterParameterNames(this.options.layers);
  }

  simulate(theta: readonly number[], nEvents: number, rng: Rng): EventBatch {
    const stack = buildStack(theta, this.options.layers);
    checkEvents(nEvents);
    const x = new Float32Array(nEvents);
    const y = new Float32Array(nEvents * this.options.layers);
    runEvents(stack, this.options, nEvents, rng, x, y, null);
    return { theta: [...theta], n: nEvents, x, xDim: 1, y, yDim: this.options.layers };
  }
}
