// Built-in problems by name. A new pipeline registers its builder here.
import { ANALYTIC_PROBLEMS } from '../lib/simulators/analytic.ts';
import { buildAnalyticPipeline } from './analytic.ts';
import type { PipelineBuilder } from './pipeline.ts';

const BUILDERS: Record<string, PipelineBuilder> = Object.fromEntries(ANALYTIC_PROBLEMS.map((name) => [name, buildAnalyticPipeline]));

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
