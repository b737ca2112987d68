// MI-OPT (seed 002): calorimeter → MINE mutual information between the true
// photon energy and the scintillator deposits (K estimators trained as one
// batched network, re-initialised every iteration) → MLP surrogate θ → MI →
// loop maximising MI with Σ thickness ≤ 25 cm.
import { MineObjective, type MineObjectiveOptions } from '../objectives/mine.ts';
import { calorimeterSetup } from './calorimeter-space.ts';
import type { Pipeline } from './pipeline.ts';
import type { RunConfig } from './run-config.ts';
import { mlpForSpace } from './surrogate-factory.ts';

/**
 * The MI-OPT surrogate: a 4-layer MLP (Table 3) with L2 weight decay 1e-2. MINE estimates are
 * noisy (sd ≈ 0.3–0.5 nats per candidate at M = 50); with the generic 1e-4 the fit follows the
 * noise and its gradient at θ agreed with the candidates' own linear trend in only 14–20 of 30
 * recorded iterations, so designs drifted against the data (benchmarks/mi-surrogate-replay.ts).
 */
export const MI_OPT_SURROGATE = { hidden: [64, 64, 64], weightDecay: 1e-2 } as const;

export function buildMiOptPipeline(config: RunConfig): Pipeline {
  // problemOptions is free-form JSON; MineObjective checks every field and names it.
  const objective = new MineObjective(config.problemOptions?.mine as MineObjectiveOptions | undefined, 'problemOptions.mine');
  objective.checkEvents(config.events);
  const setup = calorimeterSetup(config, ['mine']);
  const kind = config.surrogate ?? 'mlp';
  if (kind !== 'mlp') throw new Error(`surrogate: "${kind}" is not available for mi-opt (mlp)`);
  const surrogate = mlpForSpace(setup.space, config, { hidden: [...MI_OPT_SURROGATE.hidden], weightDecay: MI_OPT_SURROGATE.weightDecay });
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
