// What a study leaves behind besides its run folders: per configuration
// aggregate.json (mean ± std per iteration) and evolution.svg; per study
// summary.json (final mean ± std of every configuration) and the comparison
// panels (BASE overview, TRANSFER TL on/off per M, ENERGY 1–20 vs 1–100 GeV) and report.html
// (all of it on one page).
// Only finished runs (summary.json present) are aggregated.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, RunFolder, writeJsonAtomic } from '../../lib/history.ts';
import { evolutionSvg } from '../../lib/plot/evolution.ts';
import { gridSvg, type GridRow } from '../../lib/plot/grid.ts';
import type { RunSummary } from '../run.ts';
import { studyReportHtml } from './study-report.ts';
import { aggregateRuns, sumIndices, type Aggregate, type FinalAggregate, type SeedRun } from './aggregate.ts';
import { PROBLEM_OF, type EnergyRange, type ObjectiveName, type StudyConfiguration, type StudyName, type StudyPlan } from './study-spec.ts';

export interface ConfigurationAggregate extends Aggregate {
  label: string;
  study: StudyName;
  objective: ObjectiveName;
  problem: string;
  layers: number;
  events: number;
  transferLearning: boolean;
  energy: EnergyRange;
  runDirs: string[];
}

export interface StudySummaryEntry {
  label: string;
  objective: ObjectiveName;
  problem: string;
  layers: number;
  events: number;
  transferLearning: boolean;
  energy: EnergyRange;
  seeds: number[];
  final: FinalAggregate;
}

export interface StudySummary {
  study: StudyName;
  seeds: number[];
  configurations: StudySummaryEntry[];
  /** configurations with no finished run yet */
  missing: string[];
  plots: string[];
}

/** Right-axis title: what the objective is (seed 002 plots MI or the reconstruction loss there). */
export function objectiveTitle(c: Pick<StudyConfiguration, 'objective'> & { problem: string }): string {
  if (c.problem !== PROBLEM_OF[c.objective]) return `objective (${c.problem})`;
  return c.objective === 'mi' ? 'mutual information' : 'reconstruction loss';
}

function energyText(e: EnergyRange): string {
  return `${e.eMin}–${e.eMax} GeV`;
}

/** Loads the finished runs of one configuration and aggregates them; null when none has finished. */
export function aggregateConfiguration(plan: StudyPlan, c: StudyConfiguration, out: string): ConfigurationAggregate | null {
  const runs: SeedRun[] = [];
  const runDirs: string[] = [];
  for (const seed of plan.seeds) {
    const dir = join(out, c.runsFolder, `seed-${seed}`);
    const folder = new RunFolder(dir);
    if (!existsSync(folder.summaryPath)) continue;
    const summary = readJson<RunSummary>(folder.summaryPath, 'study');
    runs.push({ seed, parameters: Object.keys(summary.finalTheta), records: folder.readHistory() });
    runDirs.push(dir);
  }
  if (runs.length === 0) return null;
  return {
    label: c.label,
    study: c.study,
    objective: c.objective,
    problem: c.run.problem,
    layers: c.layers,
    events: c.events,
    transferLearning: c.transferLearning,
    energy: c.energy,
    runDirs,
    ...aggregateRuns(runs),
  };
}

function plotSubtitle(a: ConfigurationAggregate): string {
  const layers = `${a.layers} layer${a.layers > 1 ? 's' : ''}`;
  return `${layers}, M = ${a.events}, TL ${a.transferLearning ? 'on' : 'off'}, ${energyText(a.energy)}; mean ± std over ${a.runDirs.length} seed${a.runDirs.length > 1 ? 's' : ''}`;
}

/** Left-axis title: calorimeter parameters are thicknesses in cm; other problems' are plain values. */
function thicknessTitle(a: ConfigurationAggregate): string {
  return Object.keys(sumIndices(a.parameters)).length ? 'thickness [cm]' : 'parameter value';
}

function axisTitles(a: ConfigurationAggregate): { objectiveTitle: string; thicknessTitle: string } {
  return { objectiveTitle: objectiveTitle(a), thicknessTitle: thicknessTitle(a) };
}

function cell(a: ConfigurationAggregate, title: string): GridRow['cells'][number] {
  return { title, data: a, options: axisTitles(a) };
}

/** The study-level comparison panels: rows of configurations that differ in one setting. */
function panels(study: StudyName, aggs: ConfigurationAggregate[]): { file: string; title: string; rows: GridRow[] }[] {
  const groups = new Map<string, ConfigurationAggregate[]>();
  const keyed = (key: string, a: ConfigurationAggregate): void => void groups.set(key, [...(groups.get(key) ?? []), a]);
  if (study === 'base') {
    // Figure 3: rows = layers, columns = objectives.
    for (const a of aggs) keyed(`${a.layers}`, a);
    const rows = [...groups.values()].map((g) => ({ cells: g.map((a) => cell(a, `${a.objective}, ${a.layers} layer${a.layers > 1 ? 's' : ''}`)) }));
    return [{ file: 'base-overview.svg', title: 'BASE: thickness evolution, mean ± std over seeds', rows }];
  }
  if (study === 'transfer') {
    // Figures 6–8: per (objective, layers, M) a row, TL on | TL off side by side.
    for (const a of aggs) keyed(`${a.objective}/${a.layers}/${a.events}`, a);
    const rows = [...groups.values()].map((g) => ({
      cells: [...g].sort((a, b) => Number(b.transferLearning) - Number(a.transferLearning)).map((a) => cell(a, `${a.objective}, ${a.layers} layer${a.layers > 1 ? 's' : ''}, M = ${a.events}, ${a.transferLearning ? 'TL' : 'no TL'}`)),
    }));
    return [{ file: 'transfer-panel.svg', title: 'TRANSFER: with and without transfer learning per M', rows }];
  }
  // Figure 9 beside the baseline: per (objective, layers) a row, 1–20 GeV | 1–100 GeV.
  for (const a of aggs) keyed(`${a.objective}/${a.layers}`, a);
  const rows = [...groups.values()].map((g) => ({
    cells: [...g].sort((a, b) => a.energy.eMax - b.energy.eMax).map((a) => cell(a, `${a.objective}, ${a.layers} layer${a.layers > 1 ? 's' : ''}, ${energyText(a.energy)}`)),
  }));
  return [{ file: 'energy-comparison.svg', title: 'ENERGY: photons of 1–20 GeV vs 1–100 GeV', rows }];
}

/** Aggregates every configuration of the plan found under `out`, writes the JSON and SVG files. */
export async function writeStudyOutputs(plan: StudyPlan, out: string): Promise<StudySummary> {
  const studyDir = join(out, plan.study);
  const aggs: ConfigurationAggregate[] = [];
  const missing: string[] = [];
  const plots: string[] = [];
  const figures: { title: string; svg: string }[] = [];
  for (const c of plan.configurations) {
    const a = aggregateConfiguration(plan, c, out);
    if (!a) {
      missing.push(c.label);
      continue;
    }
    const dir = join(studyDir, c.label);
    mkdirSync(dir, { recursive: true }); // a shared baseline's runs live elsewhere, its summary here
    writeJsonAtomic(join(dir, 'aggregate.json'), a);
    const svgPath = join(dir, 'evolution.svg');
    const svg = await evolutionSvg(a, { title: a.label, subtitle: plotSubtitle(a), ...axisTitles(a) });
    writeFileSync(svgPath, svg);
    plots.push(svgPath);
    figures.push({ title: `${a.label}: ${plotSubtitle(a)}`, svg });
    aggs.push(a);
  }
  if (aggs.length) {
    for (const p of panels(plan.study, aggs)) {
      const path = join(studyDir, p.file);
      const svg = await gridSvg(p.rows, { title: p.title });
      writeFileSync(path, svg);
      plots.push(path);
      figures.unshift({ title: p.title, svg }); // the comparison first, then each configuration
    }
  }
  const summary: StudySummary = {
    study: plan.study,
    seeds: plan.seeds,
    configurations: aggs.map((a) => ({
      label: a.label,
      objective: a.objective,
      problem: a.problem,
      layers: a.layers,
      events: a.events,
      transferLearning: a.transferLearning,
      energy: a.energy,
      seeds: a.seeds,
      final: a.final,
    })),
    missing,
    plots,
  };
  if (existsSync(studyDir)) {
    writeJsonAtomic(join(studyDir, 'summary.json'), summary);
    writeFileSync(join(studyDir, 'report.html'), studyReportHtml({ summary, figures }));
  }
  return summary;
}
