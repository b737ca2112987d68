// Built-in problems by name. A new pipeline registers its builder here.
import { ANALYTIC_PROBLEMS } from '../lib/simulators/analytic.ts';
import { buildAnalyticPipeline } from './analytic.ts';
import { buildCommandPipeline } from './command.ts';
import { buildMiOptPipeline } from './mi-opt.ts';
import { WorkerPoolExecutor } from '../lib/worker-pool-executor.ts';
import type { Pipeline, PipelineBuilder } from './pipeline.ts';
import { buildRecoOptPipeline } from './reco-opt.ts';
import type { RunConfig } from './run-config.ts';

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

/**
 * Builds the run's pipeline; with `simulationWorkers: N` its simulations run in N worker threads
 * (the simulator must carry a recipe to be rebuilt there; the calorimeter and the analytic problems do). The results are
 * those of an in-process run, bit for bit: every candidate has its own seed.
 */
export function buildPipeline(config: RunConfig): Pipeline {
  const pipeline = pipelineBuilder(config.problem)(config);
  const workers = config.simulationWorkers;
  if (workers === undefined) return pipeline;
  const fail = (why: string): never => {
    pipeline.dispose();
    pipeline.objective.dispose?.();
    throw new Error(`simulationWorkers: ${why}`);
  };
  if (pipeline.executor) fail(`problem "${config.problem}" chooses how its simulations run (${pipeline.executor.name}); leave simulationWorkers out`);
  if (!pipeline.simulator.recipe) fail(`simulator "${pipeline.simulator.name}" has no recipe to be rebuilt in a worker thread`);
  const executor = new WorkerPoolExecutor({ workers });
  return {
    ...pipeline,
    executor,
    dispose: () => {
      void executor.terminate();
      pipeline.dispose();
    },
  };
}
