// The run configuration (config.json, CLI flags): validated with zod so a
// mistake is reported with the field it is in.
import { z } from 'zod';
import { DEFAULT_LOOP } from '../lib/loop.ts';
import type { DesignSpaceSpec } from '../lib/space.ts';
import { compileConstraint, compileExpression } from '../lib/expression.ts';

export const SURROGATES = ['mlp', 'gp', 'flow1d'] as const;

export const RunConfigSchema = z
  .object({
    /** built-in problem: quadratic | rosenbrock | three-hump | reco-opt | mi-opt */
    problem: z.string().min(1),
    /** dimension of the analytic problems, or number of calorimeter layers */
    dim: z.number().int().min(1).max(100).optional(),
    iterations: z.number().int().min(0).max(100000),
    candidates: z.number().int().min(2).max(100000),
    events: z.number().int().min(1).max(100000000),
    /** start values by parameter name, overriding the problem's (e.g. { "abs1": 4, "scint1": 20 }) */
    start: z.record(z.string(), z.number()).optional(),
    /** overrides every parameter's σ (sampling width) */
    sigma: z.number().positive().optional(),
    trustRegion: z.number().positive(),
    /** shrink the trust region when steps reverse, grow it back when they continue; 'per-parameter': per coordinate (lib/loop.ts) */
    adaptiveTrustRegion: z.union([z.boolean(), z.literal('per-parameter')]),
    /** fit the surrogate on the nearby candidates of the last N iterations too (lib/replay.ts); 0 = off */
    replayIterations: z.number().int().min(0).max(1000),
    /** step only when the candidates' plane predicts a gain of ≥ z standard errors along it (lib/step-evidence.ts); 0 = off */
    stepGate: z.number().min(0),
    stepOptimizer: z.enum(['ngd', 'adam', 'sgd']),
    stepLearningRate: z.number().positive(),
    maxSteps: z.number().int().min(1),
    transferLearning: z.boolean(),
    surrogate: z.enum(SURROGATES).optional(),
    /** surrogate-specific options (epochs, hidden sizes, …) */
    surrogateOptions: z.record(z.string(), z.unknown()).optional(),
    /** problem-specific options (energy range, …) */
    problemOptions: z.record(z.string(), z.unknown()).optional(),
    /** extra constraints appended to the problem's own (mathjs expressions) */
    constraints: z.array(z.string()).optional(),
    /**
     * a cost added to what the step minimises (mathjs over the parameter names, in the
     * objective's units; a penalty for maximised objectives too), e.g. "0.03 * (abs1 + abs2)"
     */
    cost: z.string().min(1).optional(),
    seed: z.union([z.number().int(), z.string().min(1)]),
    backend: z.string().optional(),
    /** run the simulations in N worker threads (lib/worker-pool-executor.ts); absent: in this process */
    simulationWorkers: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

export type RunConfig = z.infer<typeof RunConfigSchema>;

// The loop's own defaults, plus the built-in problem and seed; `direction` comes from the problem.
const { direction: _direction, ...LOOP_DEFAULTS } = DEFAULT_LOOP;
export const DEFAULT_RUN: RunConfig = { problem: 'quadratic', ...LOOP_DEFAULTS, seed: 1 };

/** Defaults that differ by problem (seed 002 Table 2: K = 30 for RECO-OPT, 117 for MI-OPT). */
export const PROBLEM_DEFAULTS: Record<string, Partial<RunConfig>> = {
  'reco-opt': { candidates: 30, events: 700, iterations: 30 },
  'mi-opt': { candidates: 117, events: 700, iterations: 30 },
};

/**
 * RECO-OPT fits its flow on the nearby candidates of the last 3 iterations too
 * when every candidate has at least 50 events. Measured (RESULTS.md
 * `studies-replay3`): BASE 3 layers then ends with every absorber ≤ 1 cm in 3/3
 * seeds (1/3 without). At M = 5 (`studies-replay`) replay slowed the climb, so
 * below 50 events it stays off.
 */
export const RECO_REPLAY = { iterations: 3, minEvents: 50 };

/** Defaults that depend on other fields of the run (applied only where the input leaves the field unset). */
function dependentDefaults(problem: unknown, events: unknown): Partial<RunConfig> {
  if (problem === 'reco-opt' && typeof events === 'number' && events >= RECO_REPLAY.minEvents) return { replayIterations: RECO_REPLAY.iterations };
  return {};
}

/** Merges user input over the defaults and validates; errors name the field (e.g. `config.events`). */
export function parseRunConfig(input: unknown, where = 'config'): RunConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error(`${where}: must be a JSON object`);
  const problem = (input as { problem?: unknown }).problem;
  const perProblem = typeof problem === 'string' ? PROBLEM_DEFAULTS[problem] : undefined;
  const events = (input as { events?: unknown }).events ?? perProblem?.events;
  const merged = { ...DEFAULT_RUN, ...perProblem, ...dependentDefaults(problem, events), ...(input as Record<string, unknown>) };
  const r = RunConfigSchema.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      throw new Error(`${where}.${keys[0]}: unknown field (known fields: ${Object.keys(RunConfigSchema.shape).join(', ')})`);
    }
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    throw new Error(`${where}.${path}: ${issue.message}`);
  }
  return r.data;
}

/** The config's extra constraints and cost added to a problem's design-space spec (in place). */
export function applyConfigSpace(spec: DesignSpaceSpec, config: RunConfig): DesignSpaceSpec {
  if (config.constraints) {
    // compiled here first so a mistake is reported as config.constraints[i], not by its index among the problem's own
    config.constraints.forEach((c, i) => compileConstraint(c, spec.parameters.map((p) => p.name), `config.constraints[${i}]`));
    spec.constraints = [...(spec.constraints ?? []), ...config.constraints];
  }
  if (config.cost) {
    // compiled here first so a mistake is reported as config.cost, not as the combined space.cost
    compileExpression(config.cost, spec.parameters.map((p) => p.name), 'config.cost');
    spec.cost = spec.cost ? `(${spec.cost}) + (${config.cost})` : config.cost;
  }
  return spec;
}
