// Worker-thread entry of WorkerPoolExecutor: builds the simulator from its
// recipe once (kept for the following jobs with the same recipe) and runs one
// job per message, with the same failure capture and batch checks as in
// process, so an outcome does not depend on where it ran.
import { parentPort } from 'node:worker_threads';
import type { SimulationJob, SimulationOutcome, Simulator, SimulatorRecipe } from './contracts.ts';
import { jobLabel, runJob } from './executor.ts';

export interface SimulationRequest {
  id: number;
  recipe: SimulatorRecipe;
  job: SimulationJob;
}

export interface SimulationResponse {
  id: number;
  outcome: SimulationOutcome;
}

/** Imports the recipe's module and builds the simulator; errors name the recipe field at fault. */
export async function buildFromRecipe(recipe: SimulatorRecipe): Promise<Simulator> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(recipe.module)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`recipe.module ${recipe.module}: cannot be imported: ${err instanceof Error ? err.message : String(err)}`);
  }
  const exported = mod[recipe.exportName];
  if (typeof exported !== 'function') throw new Error(`recipe.exportName: ${recipe.module} exports no class or function "${recipe.exportName}"`);
  // a class must be called with `new`, a factory without it; the source text tells them apart
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(exported));
  const simulator: unknown = isClass
    ? new (exported as new (options: unknown) => unknown)(recipe.options)
    : await (exported as (options: unknown) => unknown)(recipe.options);
  if (!simulator || typeof (simulator as Simulator).simulate !== 'function') {
    throw new Error(`recipe: ${recipe.exportName}(options) from ${recipe.module} is not a simulator (it has no simulate method)`);
  }
  return simulator as Simulator;
}

if (parentPort) {
  const port = parentPort;
  let built: { key: string; simulator: Promise<Simulator> } | null = null;
  port.on('message', async (req: SimulationRequest) => {
    let outcome: SimulationOutcome;
    try {
      const key = JSON.stringify(req.recipe);
      if (!built || built.key !== key) built = { key, simulator: buildFromRecipe(req.recipe) };
      outcome = await runJob(await built.simulator, req.job);
    } catch (err) {
      outcome = { index: req.job.index, ok: false, error: `${jobLabel(req.job)}: ${err instanceof Error ? err.message : String(err)}`, seconds: 0 };
    }
    const res: SimulationResponse = { id: req.id, outcome };
    // copied, not transferred: a simulator may hand out views of a buffer it reuses
    port.postMessage(res);
  });
}
