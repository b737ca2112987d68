// What a built-in problem provides to a run: the boxes of the loop plus how
// to score the result. Each pipeline file exports a builder of this shape.
import type { Executor, KnownOptimum, Objective, Simulator, Surrogate } from '../lib/contracts.ts';
import type { LoopConfig } from '../lib/loop.ts';
import type { DesignSpace } from '../lib/space.ts';
import type { RunConfig } from './run-config.ts';

export interface Pipeline {
  problem: string;
  description: string;
  space: DesignSpace;
  simulator: Simulator;
  objective: Objective;
  surrogate: Surrogate;
  /** how the simulate calls run (default: in this process, one after another) */
  executor?: Executor;
  direction: LoopConfig['direction'];
  /** exact expected objective and optimum, where the problem knows them */
  optimum?: KnownOptimum;
  dispose(): void;
}

export type PipelineBuilder = (config: RunConfig) => Pipeline;
