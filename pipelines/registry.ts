// Built-in problems by name. A new pipeline registers its builder here.
import { ANALYTIC_PROBLEMS } from '../lib/simulators/analytic.ts';
import { buildAnalyticPipeline } from './analytic.ts';
import { buildCommandPipeline } from './command.ts';
import { buildMiOptPipeline } from './mi-opt.ts';
import type { PipelineBuilder } from './pipeline.ts';
import { buildRecoOptPipeline } from './reco-opt.ts';

const BUILDERS: Record<string, PipelineBuilder> = {
  ...Object.fromEntries(ANALYTIC_PROBLEMS.map((name) => [name, buildAnalyticPipeline])),
  'reco-opt': buildRecoOptPipeline,
  'mi-opt': buildMiOptPipeline,
  command: buildCommandPipeline,
};

export function registerPipeline(problem: string, builder: PipelineBuilder): void {
  BUILDERS[problem] = builder;
}

export function problemNames(): string[] {
  return Object.keys(BUILDERS);
}

export function pipelineBuilder(problem: string): PipelineBuilder {
  const b = BUILDERS[problem];
  if (!b) throw new Error(`problem: unknown problem "${problem}" (built-in: ${problemNames().join(', ')})`);
  return b;
}
