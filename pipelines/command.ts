// problem "command": the user's own simulator, an external program (lib/simulators/external-command.ts),
// optimised with the same loop. The config names the program, the design parameters and the figure
// of merit:
//   "problemOptions": {
//     "command": ["python3", "my_sim.py"],
//     "parameters": [{ "name": "thickness", "unit": "cm", "lower": 0, "upper": 10, "start": 8, "sigma": 1 }],
//     "objective": "mean",          // δ = the mean of one response column per candidate (default), or
//                                   // "mi": the mutual information between x and y (MINE, as MI-OPT)
//     "column": 0, "direction": "minimize", "concurrency": 2, "timeoutSeconds": 3600, "cwd": "."
//   }
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { Objective } from '../lib/contracts.ts';
import { InProcessExecutor } from '../lib/executor.ts';
import { ExternalCommandSimulator } from '../lib/simulators/external-command.ts';
import { DesignSpace, withStart } from '../lib/space.ts';
import { eventValueObjective } from '../objectives/event-value.ts';
import { MineObjective, type MineObjectiveOptions } from '../objectives/mine.ts';
import { MI_OPT_SURROGATE } from './mi-opt.ts';
import type { Pipeline } from './pipeline.ts';
import { applyConfigSpace, type RunConfig } from './run-config.ts';
import { buildSurrogate, mlpForSpace } from './surrogate-factory.ts';

const ParameterSchema = z
  .object({
    name: z.string().min(1),
    unit: z.string().optional(),
    lower: z.number(),
    upper: z.number(),
    start: z.number(),
    sigma: z.number().positive(),
    kind: z.enum(['continuous', 'integer']).optional(),
  })
  .strict();

export const CommandOptionsSchema = z
  .object({
    command: z.array(z.string().min(1)).min(1),
    parameters: z.array(ParameterSchema).min(1),
    objective: z.enum(['mean', 'mi']).default('mean'),
    /** the response column whose mean is δ (objective "mean") */
    column: z.number().int().min(0).default(0),
    /** default: minimise a mean, maximise MI */
    direction: z.enum(['minimize', 'maximize']).optional(),
    /** programs running at once (default: the cores of this machine) */
    concurrency: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().positive().optional(),
    cwd: z.string().optional(),
    xNames: z.array(z.string()).optional(),
    yNames: z.array(z.string()).optional(),
    /** MINE settings for objective "mi" (as problemOptions.mine of mi-opt) */
    mine: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type CommandOptions = z.infer<typeof CommandOptionsSchema>;

const REQUIRED_HINTS: Record<string, string> = {
  command: 'the program and its arguments, e.g. ["python3", "my_sim.py"]',
  parameters: 'the design parameters, e.g. [{"name": "thickness", "unit": "cm", "lower": 0, "upper": 10, "start": 5, "sigma": 1}]',
};

/** problemOptions → validated options; a mistake names its field, e.g. problemOptions.parameters.0.sigma. */
export function parseCommandOptions(input: unknown): CommandOptions {
  const r = CommandOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = ['problemOptions', ...issue.path].join('.');
    if (issue.code === 'unrecognized_keys') {
      // inside parameters[i] the known fields are a parameter's, not the top level's
      const shape = issue.path[0] === 'parameters' ? ParameterSchema.shape : CommandOptionsSchema.shape;
      throw new Error(`${path}.${(issue as { keys: string[] }).keys[0]}: unknown field (known: ${Object.keys(shape).join(', ')})`);
    }
    const field = issue.path[0];
    if (issue.path.length === 1 && typeof field === 'string' && field in REQUIRED_HINTS && (input as Record<string, unknown> | undefined)?.[field] === undefined) {
      throw new Error(`${path}: required: ${REQUIRED_HINTS[field]} (README, "Your own simulator")`);
    }
    throw new Error(`${path}: ${issue.message}`);
  }
  return r.data;
}

export function buildCommandPipeline(config: RunConfig): Pipeline {
  const o = parseCommandOptions(config.problemOptions);
  const spec = applyConfigSpace({ parameters: o.parameters.map((p) => ({ ...p, sigma: config.sigma ?? p.sigma })) }, config);
  const space = new DesignSpace(withStart(spec, config.start, 'config.start'));
  const simulator = new ExternalCommandSimulator({
    command: o.command,
    parameterNames: space.names,
    ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
    ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
    ...(o.xNames ? { xNames: o.xNames } : {}),
    ...(o.yNames ? { yNames: o.yNames } : {}),
  });
  const mi = o.objective === 'mi';
  let objective: Objective;
  if (mi) {
    const mine = new MineObjective(o.mine as MineObjectiveOptions | undefined, 'problemOptions.mine');
    mine.checkEvents(config.events);
    objective = mine;
  } else {
    objective = eventValueObjective(o.column);
  }
  const surrogate = mi
    ? mlpForSpace(space, config, { hidden: [...MI_OPT_SURROGATE.hidden], weightDecay: MI_OPT_SURROGATE.weightDecay })
    : buildSurrogate(config.surrogate ?? 'mlp', space, config);
  const what = mi ? 'maximise MI(x; y) by MINE' : `${o.direction === 'maximize' ? 'maximise' : 'minimise'} the mean of y${o.column}`;
  return {
    problem: config.problem,
    description: `external simulator "${o.command.join(' ')}" over ${space.names.join(', ')}: ${what}`,
    space,
    simulator,
    objective,
    surrogate,
    executor: new InProcessExecutor({ concurrency: o.concurrency ?? Math.max(1, availableParallelism()) }),
    direction: o.direction ?? (mi ? 'maximize' : 'minimize'),
    dispose: () => surrogate.dispose(),
  };
}
