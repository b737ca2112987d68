// Thickness evolution plot in the style of seed 002, Figures 3–9: each
// parameter's mean over seeds vs iteration with a ±std band (left axis), the
// objective (measured: solid, surrogate: dashed, truth: dotted) in gray on a
// second, independent y axis (right).
import type { LayerSpec } from 'vega-lite/types_unstable/spec/layer.js';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import { renderSvg, type TopLevelSpec } from './render.ts';

export interface Band {
  mean: number;
  std: number;
}

export interface EvolutionPoint {
  iteration: number;
  theta: Record<string, Band>;
  objective?: Band | null;
  prediction?: Band | null;
  truth?: Band | null;
}

/** Structurally what pipelines/studies/aggregate.ts produces for one configuration. */
export interface EvolutionData {
  parameters: string[];
  iterations: EvolutionPoint[];
}

export interface EvolutionOptions {
  title?: string;
  /** second title line (settings of the configuration) */
  subtitle?: string;
  /** left axis title (default `thickness [cm]`) */
  thicknessTitle?: string;
  /** right axis title, e.g. `reconstruction loss` or `mutual information` (default `objective`) */
  objectiveTitle?: string;
  /** also draw the exact expected objective where present (default true) */
  showTruth?: boolean;
  width?: number;
  height?: number;
}

export const OBJECTIVE_SERIES = ['measured', 'surrogate', 'truth'] as const;
export type ObjectiveSeries = (typeof OBJECTIVE_SERIES)[number];

interface ThicknessRow {
  iteration: number;
  parameter: string;
  mean: number;
  lo: number;
  hi: number;
}

interface ObjectiveRow {
  iteration: number;
  series: ObjectiveSeries;
  mean: number;
  lo: number;
  hi: number;
}

function checkBand(b: Band, what: string): void {
  if (!Number.isFinite(b.mean) || !Number.isFinite(b.std) || b.std < 0) throw new Error(`${what}: mean ${b.mean} ± ${b.std} is not a finite band`);
}

export function thicknessRows(data: EvolutionData): ThicknessRow[] {
  if (data.parameters.length === 0) throw new Error('plot: parameters is empty');
  const rows: ThicknessRow[] = [];
  for (const p of data.iterations) {
    for (const name of data.parameters) {
      const b = p.theta[name];
      if (!b) throw new Error(`plot: iteration ${p.iteration} has no value for parameter ${name}`);
      checkBand(b, `plot: iteration ${p.iteration} ${name}`);
      rows.push({ iteration: p.iteration, parameter: name, mean: b.mean, lo: b.mean - b.std, hi: b.mean + b.std });
    }
  }
  return rows;
}

export function objectiveRows(data: EvolutionData, showTruth = true): ObjectiveRow[] {
  const rows: ObjectiveRow[] = [];
  const bands: [ObjectiveSeries, (p: EvolutionPoint) => Band | null | undefined][] = [
    ['measured', (p) => p.objective],
    ['surrogate', (p) => p.prediction],
    ['truth', (p) => (showTruth ? p.truth : null)],
  ];
  for (const [series, get] of bands) {
    for (const p of data.iterations) {
      const b = get(p);
      if (!b) continue;
      checkBand(b, `plot: iteration ${p.iteration} ${series} objective`);
      rows.push({ iteration: p.iteration, series, mean: b.mean, lo: b.mean - b.std, hi: b.mean + b.std });
    }
  }
  return rows;
}

/** The layered (two y axes) chart of one configuration, to render alone or to place in a grid. */
export function evolutionLayer(data: EvolutionData, o: EvolutionOptions = {}): LayerSpec<Field> {
  const thicknessTitle = o.thicknessTitle ?? 'thickness [cm]';
  const objectiveTitle = o.objectiveTitle ?? 'objective';
  const x = { field: 'iteration', type: 'quantitative', title: 'iteration', axis: { tickMinStep: 1 } } as const;
  const thickness: LayerSpec<Field> = {
    data: { values: thicknessRows(data) },
    layer: [
      {
        mark: { type: 'area', fillOpacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: thicknessTitle },
          y2: { field: 'hi' },
          color: { field: 'parameter', type: 'nominal', title: 'parameter', sort: data.parameters },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: thicknessTitle },
          // Legend symbols drawn as opaque lines (the band layer would make them pale).
          color: { field: 'parameter', type: 'nominal', title: 'parameter', sort: data.parameters, legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 } },
        },
      },
    ],
  };
  const objRows = objectiveRows(data, o.showTruth ?? true);
  const series = OBJECTIVE_SERIES.filter((s) => objRows.some((r) => r.series === s));
  const dash = { measured: [1, 0], surrogate: [6, 4], truth: [2, 2] } satisfies Record<ObjectiveSeries, number[]>;
  const objective: LayerSpec<Field> = {
    data: { values: objRows },
    layer: [
      {
        mark: { type: 'area', fillOpacity: 0.1, color: 'gray' },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: objectiveTitle, scale: { zero: false }, axis: { orient: 'right' } },
          y2: { field: 'hi' },
          detail: { field: 'series', type: 'nominal' },
        },
      },
      {
        mark: { type: 'line', color: 'gray', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: objectiveTitle, scale: { zero: false }, axis: { orient: 'right' } },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'objective',
            scale: { domain: series, range: series.map((s) => dash[s]) },
          },
        },
      },
    ],
  };
  return {
    ...(o.title ? { title: { text: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}) } } : {}),
    width: o.width ?? 360,
    height: o.height ?? 220,
    layer: objRows.length ? [thickness, objective] : [thickness],
    resolve: { scale: { y: 'independent' } },
  };
}

/** SVG text of the evolution plot of one configuration. */
export function evolutionSvg(data: EvolutionData, o: EvolutionOptions = {}): Promise<string> {
  const spec: TopLevelSpec = evolutionLayer(data, o);
  return renderSvg(spec);
}
