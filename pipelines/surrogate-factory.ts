// Builds the surrogate a run asks for, with input scaling taken from the design space.
import type { Surrogate } from '../lib/contracts.ts';
import type { DesignSpace } from '../lib/space.ts';
import { createGpSurrogate, type GpSurrogateOptions } from '../surrogates/gp/surrogate.ts';
import { MlpSurrogate, type MlpSurrogateOptions } from '../surrogates/mlp.ts';
import { checkSurrogateOptions } from './config-fields.ts';
import type { RunConfig } from './run-config.ts';

export function mlpForSpace(space: DesignSpace, config: RunConfig, defaults: Partial<MlpSurrogateOptions> = {}): MlpSurrogate {
  checkSurrogateOptions('mlp', config.surrogateOptions);
  // Fixed input map centred on the start, in units of 3σ: the local region spans ~[−1/3, 1/3]
  // and warm-started weights keep their meaning as θ moves.
  return new MlpSurrogate({
    center: space.start,
    scale: space.sigma.map((s) => 3 * s),
    seed: `${config.seed}/surrogate-init`,
    ...defaults,
    ...(config.surrogateOptions as Partial<MlpSurrogateOptions> | undefined),
  });
}

export function buildSurrogate(kind: string, space: DesignSpace, config: RunConfig): Surrogate {
  switch (kind) {
    case 'mlp':
      return mlpForSpace(space, config);
    case 'gp':
      // Exact GP on the candidates' mean δ: its posterior mean is the differentiable prediction.
      checkSurrogateOptions('gp', config.surrogateOptions);
      return createGpSurrogate(config.surrogateOptions as GpSurrogateOptions | undefined);
    default:
      throw new Error(`surrogate: "${kind}" is not available for problem "${config.problem}" (available: mlp, gp)`);
  }
}
