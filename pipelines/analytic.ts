// Analytic problems (noisy quadratic, stochastic Rosenbrock, three-hump):
// simulator → δ = y per event → surrogate (MLP by default) → loop.
import { analyticProblem } from '../lib/simulators/analytic.ts';
import { DesignSpace, withStart } from '../lib/space.ts';
import { eventValueObjective } from '../objectives/event-value.ts';
import { checkKnownFields } from './config-fields.ts';
import type { Pipeline } from './pipeline.ts';
import { applyConfigSpace, type RunConfig } from './run-config.ts';
import { buildSurrogate } from './surrogate-factory.ts';

export function buildAnalyticPipeline(config: RunConfig): Pipeline {
  const problem = analyticProblem(config.problem, config.dim);
  checkKnownFields(config.problemOptions, [], 'config.problemOptions');
  const spec = structuredClone(problem.space);
  if (config.sigma !== undefined) spec.parameters.forEach((p) => (p.sigma = config.sigma!));
  applyConfigSpace(spec, config);
  const space = new DesignSpace(withStart(spec, config.start, 'config.start'));
  const surrogate = buildSurrogate(config.surrogate ?? 'mlp', space, config);
  return {
    problem: config.problem,
    description: problem.description,
    space,
    simulator: problem.simulator,
    objective: eventValueObjective(),
    surrogate,
    direction: problem.direction,
    optimum: problem.optimum,
    dispose: () => surrogate.dispose(),
  };
}
