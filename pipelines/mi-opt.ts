// MI-OPT (seed 002): calorimeter → MINE mutual information between the true
// photon energy and the scintillator deposits (K estimators trained as one
// batched network, re-initialised every iteration) → MLP surrogate θ → MI →
// loop maximising MI with Σ thickness ≤ 25 cm.
import { MineObjective, type MineObjectiveOptions } from '../objectives/mine.ts';
import { calorimeterSetup } from './calorimeter-space.ts';
import type { Pipeline } from './pipeline.ts';
import type { RunConfig } from './run-config.ts';
import { mlpForSpace } from './surrogate-factory.ts';

export function buildMiOptPipeline(config: RunConfig): Pipeline {
  const setup = calorimeterSetup(config);
  const objective = new MineObjective(config.problemOptions?.mine as MineObjectiveOptions | undefined);
  const kind = config.surrogate ?? 'mlp';
  if (kind !== 'mlp') throw new Error(`surrogate: "${kind}" is not available for mi-opt (mlp)`);
  // Table 3: the MI-OPT surrogate is a 4-layer MLP.
  const surrogate = mlpForSpace(setup.space, config, { hidden: [64, 64, 64] });
  return {
    problem: 'mi-opt',
    description: `MI-OPT: ${setup.layers}-layer Pb/PbWO4 calorimeter, photons ${setup.eMin}–${setup.eMax} GeV, maximise MI(E; deposits)`,
    space: setup.space,
    simulator: setup.simulator,
    objective,
    surrogate,
    direction: 'maximize',
    dispose: () => surrogate.dispose(),
  };
}
