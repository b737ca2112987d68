// Runs every (configuration, seed) of a study into its own run folder
// `<out>/<study>/<label>/seed-<s>/`, so each run can be resumed with
// `detopt run --resume DIR`. A run whose summary.json exists is skipped and a
// run killed half-way is resumed, so re-invoking a killed study continues it.
// Afterwards: aggregate.json + evolution.svg per configuration, the study's
// summary.json and its comparison panels.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatIteration } from '../../lib/cli/progress.ts';
import { readJson, RunFolder } from '../../lib/history.ts';
import type { LoopHooks } from '../../lib/loop.ts';
import { parseRunConfig, type RunConfig } from '../run-config.ts';
import { resumePipeline, runPipeline, type RunSummary } from '../run.ts';
import { pipelineBuilder } from '../registry.ts';
import { runInput, type StudyConfiguration, type StudyPlan } from './study-spec.ts';
import { writeStudyOutputs, type StudySummary } from './study-output.ts';

export interface StudyRunOptions {
  /** studies root, e.g. `runs/studies`; runs go to `<out>/<study>/<label>/seed-<s>/` */
  out: string;
  /** one line per run and one per iteration on stderr (default true) */
  progress?: boolean;
  /** where progress lines go (default stderr) */
  log?: (line: string) => void;
}

export interface RunOutcome {
  label: string;
  seed: number;
  dir: string;
  status: 'ran' | 'resumed' | 'skipped';
  summary: RunSummary;
}

export interface StudyResult {
  plan: StudyPlan;
  runs: RunOutcome[];
  summary: StudySummary;
  /** `<out>/<study>` */
  dir: string;
}

/** `<out>/<runsFolder>/seed-<s>`; runsFolder is `<study>/<label>` (or a shared one, see StudyConfiguration). */
export function runDir(out: string, runsFolder: string, seed: number): string {
  return join(out, runsFolder, `seed-${seed}`);
}

/**
 * The run settings that decide its results: the config without the backend and without MINE's
 * worker count, which only splits the same estimators across threads (same seeds, same numbers:
 * test/mine.test.ts), so a run made with fewer workers to share the cores is the same run.
 */
function resultSettings(config: RunConfig): Record<string, unknown> {
  const { backend: _backend, problemOptions, ...rest } = config;
  const { mine, ...options } = (problemOptions ?? {}) as Record<string, unknown>;
  if (mine !== null && typeof mine === 'object') {
    const { workers: _workers, ...mineRest } = mine as Record<string, unknown>;
    if (Object.keys(mineRest).length > 0) options['mine'] = mineRest;
  } else if (mine !== undefined) {
    options['mine'] = mine;
  }
  // options left empty (e.g. only workers was set) say the same as none
  return Object.keys(options).length > 0 ? { ...rest, problemOptions: options } : rest;
}

/** The first field that differs between a folder's config.json and the wanted run, in the settings that decide results. */
function differingField(existing: RunConfig, wanted: RunConfig): keyof RunConfig | null {
  const a = resultSettings(existing);
  const b = resultSettings(wanted);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return key as keyof RunConfig;
  }
  return null;
}

function checkSameConfig(dir: string, wanted: RunConfig): void {
  const folder = new RunFolder(dir);
  if (!existsSync(folder.configPath)) return;
  const existing = parseRunConfig(folder.readConfig<unknown>(), `${dir}/config.json`);
  const field = differingField(existing, wanted);
  if (field !== null) {
    throw new Error(
      `study: ${dir} holds a run with ${field} = ${JSON.stringify(existing[field])}, this study asks for ${JSON.stringify(wanted[field])}; choose another --out or remove that folder`,
    );
  }
}

function describe(s: RunSummary): string {
  const theta = Object.entries(s.finalTheta).map(([k, v]) => `${k}=${v.toPrecision(3)}`).join(' ');
  const pred = s.finalPrediction !== null ? ` pred=${s.finalPrediction.toPrecision(4)}` : '';
  return `${theta}${pred}`;
}

async function runOne(c: StudyConfiguration, seed: number, dir: string, hooks: LoopHooks): Promise<Omit<RunOutcome, 'label' | 'seed' | 'dir'>> {
  const config = parseRunConfig(runInput(c, seed), `study ${c.label} seed ${seed}`);
  checkSameConfig(dir, config);
  const folder = new RunFolder(dir);
  if (existsSync(folder.summaryPath)) {
    return { status: 'skipped', summary: readJson<RunSummary>(folder.summaryPath, 'study') };
  }
  if (existsSync(folder.historyPath) || existsSync(folder.checkpointPath)) {
    return { status: 'resumed', summary: await resumePipeline(dir, { hooks }) };
  }
  return { status: 'ran', summary: await runPipeline(config, { out: dir, hooks }) };
}

/** Runs (or skips, or resumes) every run of the plan, then aggregates and plots. */
export async function runStudy(plan: StudyPlan, o: StudyRunOptions): Promise<StudyResult> {
  const log = o.progress === false ? () => {} : (o.log ?? ((line: string) => void process.stderr.write(line + '\n')));
  // Unknown problems fail before anything is written.
  for (const c of plan.configurations) pipelineBuilder(c.run.problem);
  const total = plan.configurations.length * plan.seeds.length;
  const runs: RunOutcome[] = [];
  let index = 0;
  for (const c of plan.configurations) {
    for (const seed of plan.seeds) {
      index++;
      const dir = runDir(o.out, c.runsFolder, seed);
      const t0 = performance.now();
      // A calorimeter run can take hours: one line per iteration shows it is alive.
      const hooks: LoopHooks = { onIteration: (rec) => log(`  ${c.label} seed ${seed} ${formatIteration(rec)}`) };
      const r = await runOne(c, seed, dir, hooks);
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      const how = r.status === 'skipped' ? 'skipped (finished earlier)' : `${r.status} in ${secs} s`;
      log(`study ${plan.study} [${index}/${total}] ${c.label} seed ${seed} ${how}: ${describe(r.summary)}`);
      runs.push({ label: c.label, seed, dir, ...r });
    }
  }
  const summary = await writeStudyOutputs(plan, o.out);
  return { plan, runs, summary, dir: join(o.out, plan.study) };
}
