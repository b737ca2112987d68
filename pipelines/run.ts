// Runs one configured optimisation: builds the pipeline, opens the run
// folder (or resumes one), runs the loop and writes the summary.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../lib/backend.ts';
import { evolutionSvg } from '../lib/plot/evolution.ts';
import { aggregateRuns } from './studies/aggregate.ts';
import { readJson, RunFolder } from '../lib/history.ts';
import { runLoop, type IterationRecord, type LoopHooks } from '../lib/loop.ts';
import type { Pipeline } from './pipeline.ts';
import { buildPipeline } from './registry.ts';
import { parseRunConfig, type RunConfig } from './run-config.ts';
import { runReportHtml } from './run-report.ts';

export interface RunSummary {
  problem: string;
  description: string;
  iterations: number;
  finalTheta: Record<string, number>;
  /**
   * mean of the designs after the last AVERAGED_ITERATIONS iterations (iterate averaging, as in
   * Polyak–Ruppert): where the objective is flat, fixed-length steps make the last design a random
   * walk around the optimum, and the mean cancels it. Feasible, as a mean of feasible designs.
   */
  averagedTheta: Record<string, number> | null;
  /**
   * standard deviation of each parameter over those same designs: how far the design still moves.
   * A parameter whose spread stays near the step length (σ·ε shared over the parameters) is one
   * the objective does not resolve (e.g. lead behind a contained shower in MI-OPT with 3 layers):
   * its final value is set by the surrogate's gradient noise, not by the figure of merit.
   */
  spreadTheta: Record<string, number> | null;
  /** the surrogate's prediction at the final design (objective units) */
  finalPrediction: number | null;
  /** the exact expected objective at the final design, where known */
  finalTruth: number | null;
  knownOptimum: { theta: Record<string, number>; value: number } | null;
  /** (f(start) − f(final)) / (f(start) − f*) where the optimum is known */
  gapClosed: number | null;
  feasible: boolean;
  backend: string;
  seed: number | string;
  wallSeconds: number;
  runDir: string | null;
}

export interface RunOptions {
  /** run folder to create (history, checkpoint, summary); none = keep in memory */
  out?: string;
  hooks?: LoopHooks;
  /** stop after this many iterations in this process (used to test resume) */
  stopAfter?: number;
}

/** Iterations whose designs RunSummary.averagedTheta averages. */
export const AVERAGED_ITERATIONS = 10;

/** Mean of θ after each of the last `k` iterations (not rounded: summarize rounds integer parameters), or null without history. */
export function averagedDesign(history: readonly IterationRecord[], k = AVERAGED_ITERATIONS): number[] | null {
  const tail = history.slice(-k);
  if (tail.length === 0) return null;
  return tail[0]!.thetaNext.map((_, i) => tail.reduce((s, r) => s + r.thetaNext[i]!, 0) / tail.length);
}

/** Sample standard deviation of each parameter of θ after the last `k` iterations; null with fewer than 2. */
export function designSpread(history: readonly IterationRecord[], k = AVERAGED_ITERATIONS): number[] | null {
  const tail = history.slice(-k);
  const mean = averagedDesign(history, k);
  if (tail.length < 2 || !mean) return null;
  return mean.map((m, i) => Math.sqrt(tail.reduce((s, r) => s + (r.thetaNext[i]! - m) ** 2, 0) / (tail.length - 1)));
}

function summarize(p: Pipeline, config: RunConfig, theta: number[], history: readonly IterationRecord[], backend: string, seconds: number, runDir: string | null): RunSummary {
  const last = history[history.length - 1];
  const averaged = averagedDesign(history);
  const spread = designSpread(history);
  const truth = p.optimum ? p.optimum.expected(theta) : null;
  const startTruth = p.optimum ? p.optimum.expected(p.space.start) : null;
  const sign = p.direction === 'minimize' ? 1 : -1;
  return {
    problem: config.problem,
    description: p.description,
    iterations: config.iterations,
    finalTheta: p.space.named(theta),
    averagedTheta: averaged ? p.space.named(p.space.round(averaged)) : null,
    spreadTheta: spread ? p.space.named(spread) : null,
    finalPrediction: last ? last.prediction.atNext : null,
    finalTruth: truth,
    knownOptimum: p.optimum ? { theta: p.space.named(p.optimum.theta), value: p.optimum.value } : null,
    gapClosed: p.optimum && truth !== null && startTruth !== null ? (sign * (startTruth - truth)) / (sign * (startTruth - p.optimum.value)) : null,
    feasible: p.space.isFeasible(theta, 1e-6),
    backend,
    seed: config.seed,
    wallSeconds: seconds,
    runDir,
  };
}

/**
 * evolution.svg (every parameter and the objective vs iteration, seed 002 Fig. 3 style) and
 * report.html (the same plot, the design table and every iteration) in the run folder.
 */
async function writeRunOutputs(folder: RunFolder, p: Pipeline, config: RunConfig, summary: RunSummary, history: IterationRecord[]): Promise<void> {
  if (history.length === 0) return;
  const agg = aggregateRuns([{ seed: 0, parameters: p.space.names, records: history }]);
  const svg = await evolutionSvg(agg, { title: p.description, thicknessTitle: p.space.units[0] ? `θ [${p.space.units[0]}]` : 'θ', objectiveTitle: 'objective' });
  writeFileSync(join(folder.dir, 'evolution.svg'), svg);
  const html = runReportHtml({
    summary,
    config: config as unknown as Record<string, unknown>,
    history,
    names: p.space.names,
    units: p.space.units,
    start: p.space.start,
    evolutionSvg: svg,
    averagedIterations: AVERAGED_ITERATIONS,
  });
  writeFileSync(join(folder.dir, 'report.html'), html);
}

/**
 * Writes evolution.svg and report.html again from a finished run folder's files (e.g. for a
 * run made before report.html existed). Returns the report's path.
 */
export async function rewriteRunReport(dir: string): Promise<string> {
  const folder = new RunFolder(dir);
  if (!existsSync(folder.configPath) && existsSync(folder.summaryPath) && 'configurations' in readJson<object>(folder.summaryPath, 'report')) {
    throw new Error(`report: ${dir} is a study folder; run its study command again (finished runs are skipped) to refresh its report.html`);
  }
  const raw = readJson<Record<string, unknown>>(folder.configPath, 'report');
  if (raw && raw.command === 'resum') throw new Error(`report: ${dir} is a RESuM search (detopt resum): its results are summary.json and history.jsonl; report.html is written for optimisation runs and studies`);
  const config = parseRunConfig(raw, `${dir}/config.json`);
  const summary = readJson<RunSummary>(folder.summaryPath, 'report (only a finished run has a summary; resume it first)');
  const history = folder.readHistory();
  if (history.length === 0) throw new Error(`report: ${folder.historyPath} holds no completed iteration`);
  await initBackend(config.backend, { quiet: true });
  const pipeline = buildPipeline(config);
  try {
    await writeRunOutputs(folder, pipeline, config, summary, history);
  } finally {
    pipeline.dispose();
    pipeline.objective.dispose?.();
  }
  return join(dir, 'report.html');
}

async function execute(config: RunConfig, folder: RunFolder | null, opts: RunOptions, resumeFolder: boolean, built?: Pipeline): Promise<RunSummary> {
  const backend = await initBackend(config.backend, { quiet: true });
  const pipeline = built ?? buildPipeline(config);
  const started = performance.now();
  try {
    const checkpoint = resumeFolder && folder ? folder.readCheckpoint() : null;
    if (resumeFolder && folder) folder.truncateHistory(checkpoint?.completed ?? 0);
    const iterations = opts.stopAfter !== undefined ? Math.min(config.iterations, opts.stopAfter) : config.iterations;
    const hooks: LoopHooks = {
      ...opts.hooks,
      onCheckpoint: async (cp, record) => {
        // History line first, then the checkpoint: a kill in between re-runs that iteration on resume.
        folder?.appendIteration(record);
        folder?.writeCheckpoint(cp);
        await opts.hooks?.onCheckpoint?.(cp, record);
      },
    };
    const result = await runLoop(
      {
        space: pipeline.space,
        simulator: pipeline.simulator,
        objective: pipeline.objective,
        surrogate: pipeline.surrogate,
        ...(pipeline.executor ? { executor: pipeline.executor } : {}),
        ...(pipeline.optimum ? { truth: pipeline.optimum.expected } : {}),
        backend: backend.name,
      },
      { ...config, iterations, direction: pipeline.direction },
      hooks,
      checkpoint ?? undefined,
    );
    const history = folder ? folder.readHistory() : result.records;
    const summary = summarize(pipeline, config, result.theta, history, backend.name, (performance.now() - started) / 1000, folder?.dir ?? null);
    if (folder && iterations === config.iterations) {
      folder.writeSummary(summary);
      await writeRunOutputs(folder, pipeline, config, summary, history);
    }
    return summary;
  } finally {
    pipeline.dispose();
    pipeline.objective.dispose?.();
  }
}

/** Starts a new run from a (partial) config; unspecified fields take the defaults. */
export async function runPipeline(input: unknown, opts: RunOptions = {}): Promise<RunSummary> {
  const config = parseRunConfig(input);
  // built before the folder is written, so a mistake in the problem's options leaves no empty run behind
  await initBackend(config.backend, { quiet: true });
  const pipeline = buildPipeline(config);
  let folder: RunFolder | null = null;
  try {
    folder = opts.out ? RunFolder.create(opts.out, config) : null;
  } catch (err) {
    pipeline.dispose();
    pipeline.objective.dispose?.();
    throw err;
  }
  return execute(config, folder, opts, false, pipeline);
}

/** Continues the run in `dir` from its last complete iteration. */
export async function resumePipeline(dir: string, opts: Omit<RunOptions, 'out'> & { iterations?: number } = {}): Promise<RunSummary> {
  const folder = new RunFolder(dir);
  let config = parseRunConfig(folder.readConfig<unknown>(), `${dir}/config.json`);
  if (opts.iterations !== undefined && opts.iterations !== config.iterations) {
    // Extending a run: the iteration count changes nothing in the iterations already run,
    // so the extended history equals that of a run configured this long from the start.
    const done = folder.readCheckpoint()?.completed ?? 0;
    if (opts.iterations < done) throw new Error(`--iterations: ${dir} has already completed ${done} iterations`);
    config = parseRunConfig({ ...config, iterations: opts.iterations }, `${dir}/config.json`);
    folder.rewriteConfig(config);
  }
  return execute(config, folder, opts, true);
}
