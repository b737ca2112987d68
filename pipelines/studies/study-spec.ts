// The calorimeter studies of seed 002, Section V: which configurations each
// study runs. BASE: 1, 2, 3 layers at M = 700. TRANSFER: M = 700, 50, 5 (reco)
// or 700, 50 (mi), transfer learning on and off. ENERGY: photons of 1–100 GeV
// beside the 1–20 GeV baseline. Every configuration runs for S seeds
// (first, first+1, …), one RunConfig per seed (Table 2 gives K and M).
import type { RunConfig } from '../run-config.ts';
import { compileExpression } from '../../lib/expression.ts';
import { calorimeterParameterNames } from '../../lib/simulators/calorimeter.ts';

export const STUDIES = ['base', 'transfer', 'energy'] as const;
export type StudyName = (typeof STUDIES)[number];

export const OBJECTIVES = ['reco', 'mi'] as const;
export type ObjectiveName = (typeof OBJECTIVES)[number];

/** The registered problem that optimises each objective. */
export const PROBLEM_OF: Record<ObjectiveName, string> = { reco: 'reco-opt', mi: 'mi-opt' };

/** K per objective (Table 2 of seed 002: 30 candidates for RECO-OPT, 117 for MI-OPT). */
export const DEFAULT_CANDIDATES: Record<ObjectiveName, number> = { reco: 30, mi: 117 };

/** M of the base and energy studies (Section V, item 1). */
export const BASE_EVENTS = 700;

/** M studied by TRANSFER (Table 2): RECO-OPT goes down to 5 events, MI-OPT to 50. */
export const TRANSFER_EVENTS: Record<ObjectiveName, number[]> = { reco: [700, 50, 5], mi: [700, 50] };

/** Photon energy ranges in GeV: the baseline (Section V, item 1) and the ENERGY study (item 3). */
export const BASELINE_ENERGY = { eMin: 1, eMax: 20 } as const;
export const HIGH_ENERGY = { eMin: 1, eMax: 100 } as const;

export const DEFAULT_LAYERS: Record<StudyName, number[]> = { base: [1, 2, 3], transfer: [1], energy: [1, 3] };

export interface StudyOptions {
  study: StudyName;
  objectives: ObjectiveName[];
  /** calorimeter layers (absorber + scintillator pairs); `dim` of the run */
  layers?: number[];
  /** TRANSFER: the M values studied; BASE/ENERGY: overrides M = 700 (first value) */
  events?: number[];
  /** S: runs per configuration */
  seeds: number;
  /** seed of the first run; the others are first+1, first+2, … */
  firstSeed: number;
  /** iterations per run (default: the problem's, see PROBLEM_DEFAULTS in run-config.ts) */
  iterations?: number;
  /** overrides K (default 30 for reco, 117 for mi) */
  candidates?: number;
  /** run this problem instead of reco-opt / mi-opt (testing with the analytic problems) */
  problem?: string;
  backend?: string;
  /** extra RunConfig fields for every run (e.g. surrogateOptions to make tests fast) */
  runOverrides?: Partial<Omit<RunConfig, 'seed'>>;
}

/** A run's config input minus the seed; unset fields take parseRunConfig's defaults. */
export type StudyRun = Partial<Omit<RunConfig, 'seed'>> & Pick<RunConfig, 'problem' | 'candidates' | 'events' | 'transferLearning'>;

export interface EnergyRange {
  eMin: number;
  eMax: number;
}

/** One configuration of a study: everything but the seed. */
export interface StudyConfiguration {
  /** folder name and plot title key, e.g. `reco-1layer-M50-noTL` */
  label: string;
  study: StudyName;
  objective: ObjectiveName;
  layers: number;
  events: number;
  transferLearning: boolean;
  energy: EnergyRange;
  /** the RunConfig of every seed of this configuration, without the seed (parseRunConfig fills the rest) */
  run: StudyRun;
  /**
   * where its seed folders live, relative to the studies folder: `<study>/<label>`, except the
   * ENERGY study's 1–20 GeV baseline, which is the BASE run of the same settings (`base/<label>`):
   * the same config and seed give the same history, so it is run once and shared.
   */
  runsFolder: string;
}

export interface StudyPlan {
  study: StudyName;
  seeds: number[];
  configurations: StudyConfiguration[];
}

function positiveIntegers(values: readonly number[], flag: string): void {
  if (values.length === 0) throw new Error(`${flag}: give at least one value`);
  for (const v of values) if (!Number.isInteger(v) || v < 1) throw new Error(`${flag}: ${v} is not a positive integer`);
}

function energyTag(e: EnergyRange): string {
  return `E${e.eMin}-${e.eMax}`;
}

/** `reco-3layer`, `reco-1layer-M50-TL`, `mi-3layer-E1-100`: unique within a study. */
export function configurationLabel(study: StudyName, objective: ObjectiveName, layers: number, events: number, tl: boolean, energy: EnergyRange): string {
  const base = `${objective}-${layers}layer`;
  if (study === 'transfer') return `${base}-M${events}-${tl ? 'TL' : 'noTL'}`;
  if (study === 'energy') return `${base}-${energyTag(energy)}`;
  return base;
}

/** Checks the options and lists every configuration of the study. Errors name the flag. */
export function planStudy(o: StudyOptions): StudyPlan {
  if (!(STUDIES as readonly string[]).includes(o.study)) throw new Error(`study: unknown study "${o.study}" (choose one of ${STUDIES.join(', ')})`);
  if (o.objectives.length === 0) throw new Error('--objective: give at least one of reco, mi');
  for (const obj of o.objectives) {
    if (!(OBJECTIVES as readonly string[]).includes(obj)) throw new Error(`--objective: unknown objective "${obj}" (choose from ${OBJECTIVES.join(', ')})`);
  }
  // Repeated values would send two configurations into one folder.
  const layersList = [...new Set(o.layers ?? DEFAULT_LAYERS[o.study])];
  positiveIntegers(layersList, '--layers');
  const eventsList = o.events ? [...new Set(o.events)] : undefined;
  if (eventsList) positiveIntegers(eventsList, '--events');
  if (!Number.isInteger(o.seeds) || o.seeds < 1) throw new Error(`--seeds: must be a positive integer, got ${o.seeds}`);
  if (!Number.isInteger(o.firstSeed)) throw new Error(`--seed: must be an integer, got ${o.firstSeed}`);
  if (o.iterations !== undefined && (!Number.isInteger(o.iterations) || o.iterations < 1)) throw new Error(`--iterations: must be a positive integer, got ${o.iterations}`);
  if (o.candidates !== undefined && (!Number.isInteger(o.candidates) || o.candidates < 2)) throw new Error(`--candidates: must be an integer >= 2, got ${o.candidates}`);
  if (o.problem !== undefined && o.problem.trim() === '') throw new Error('--problem: must not be empty');
  // Checked for every layer count before any run starts (a 1-layer calorimeter has no abs2).
  const cost = o.runOverrides?.cost;
  if (cost !== undefined && o.problem === undefined) {
    for (const layers of layersList) compileExpression(cost, calorimeterParameterNames(layers), `--cost (${layers} layer${layers === 1 ? '' : 's'})`);
  }

  const configurations: StudyConfiguration[] = [];
  const add = (objective: ObjectiveName, layers: number, events: number, transferLearning: boolean, energy: EnergyRange): void => {
    const label = configurationLabel(o.study, objective, layers, events, transferLearning, energy);
    const problem = o.problem ?? PROBLEM_OF[objective];
    // the photon energy range is the calorimeter's; a stand-in problem (tests) takes no problemOptions
    const calorimeter = problem === 'reco-opt' || problem === 'mi-opt';
    const problemOptions = calorimeter ? { ...o.runOverrides?.problemOptions, eMin: energy.eMin, eMax: energy.eMax } : o.runOverrides?.problemOptions;
    const run: StudyRun = {
      ...o.runOverrides,
      problem,
      dim: layers,
      // Unset: the problem's default (PROBLEM_DEFAULTS of run-config.ts, 30 for reco-opt and mi-opt).
      ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
      candidates: o.candidates ?? DEFAULT_CANDIDATES[objective],
      events,
      transferLearning,
      ...(problemOptions !== undefined ? { problemOptions } : {}),
      ...(o.backend !== undefined ? { backend: o.backend } : {}),
    };
    const sharedWithBase = o.study === 'energy' && energy.eMin === BASELINE_ENERGY.eMin && energy.eMax === BASELINE_ENERGY.eMax;
    const runsFolder = sharedWithBase ? `base/${configurationLabel('base', objective, layers, events, transferLearning, energy)}` : `${o.study}/${label}`;
    configurations.push({ label, study: o.study, objective, layers, events, transferLearning, energy, run, runsFolder });
  };

  for (const objective of o.objectives) {
    for (const layers of layersList) {
      if (o.study === 'base') {
        add(objective, layers, eventsList?.[0] ?? BASE_EVENTS, true, BASELINE_ENERGY);
      } else if (o.study === 'transfer') {
        for (const events of eventsList ?? TRANSFER_EVENTS[objective]) {
          add(objective, layers, events, true, BASELINE_ENERGY);
          add(objective, layers, events, false, BASELINE_ENERGY);
        }
      } else {
        const events = eventsList?.[0] ?? BASE_EVENTS;
        add(objective, layers, events, true, BASELINE_ENERGY);
        add(objective, layers, events, true, HIGH_ENERGY);
      }
    }
  }
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.firstSeed + i);
  return { study: o.study, seeds, configurations };
}

/** The complete RunConfig input of one (configuration, seed) run. */
export function runInput(c: StudyConfiguration, seed: number): StudyRun & { seed: number } {
  return { ...c.run, seed };
}
