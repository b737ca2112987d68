// The calorimeter design space of seed 002 for a run config (layers = dim).
import { calorimeterDesignSpace, CalorimeterSimulator } from '../lib/simulators/calorimeter.ts';
import { DesignSpace, withStart } from '../lib/space.ts';
import { checkKnownFields } from './config-fields.ts';
import { applyConfigSpace, type RunConfig } from './run-config.ts';

export interface CalorimeterSetup {
  layers: number;
  space: DesignSpace;
  simulator: CalorimeterSimulator;
  eMin: number;
  eMax: number;
  bounds: { lower: number[]; upper: number[] };
}

function numberOption(config: RunConfig, key: string, fallback: number): number {
  const v = config.problemOptions?.[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`config.problemOptions.${key}: must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** problemOptions every calorimeter problem reads; `own` adds the problem's own (e.g. mine). */
const CALORIMETER_OPTIONS = ['eMin', 'eMax', 'maxTotalCm', 'startCm'];

export function calorimeterSetup(config: RunConfig, own: readonly string[] = []): CalorimeterSetup {
  checkKnownFields(config.problemOptions, [...CALORIMETER_OPTIONS, ...own], 'config.problemOptions');
  const layers = config.dim ?? 1;
  const eMin = numberOption(config, 'eMin', 1);
  const eMax = numberOption(config, 'eMax', 20);
  const spec = calorimeterDesignSpace(layers, {
    maxTotalCm: numberOption(config, 'maxTotalCm', 25),
    startCm: numberOption(config, 'startCm', 1),
    sigmaCm: config.sigma ?? 1.5,
  });
  applyConfigSpace(spec, config);
  const space = new DesignSpace(withStart(spec, config.start, 'config.start'));
  return { layers, space, simulator: new CalorimeterSimulator({ layers, eMin, eMax }), eMin, eMax, bounds: { lower: space.lower, upper: space.upper } };
}
