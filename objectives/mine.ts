// The MI-OPT objective (seed 002, Sec. IV "MI-OPT", Algorithm 3): one mutual
// information estimate I(A; B) per candidate design, A = the truth x of its
// events (e.g. the photon energy), B = the detector response y (e.g. energy per
// scintillator layer), by the Mutual Information Neural Estimator (MINE,
// Belghazi et al. 2018) with the Donsker–Varadhan bound
//   I(A; B) ≥ sup_T E_{P_AB}[T] − log E_{P_A ⊗ P_B}[e^T],
// evaluated on held-out events (nats). The K estimators of an iteration train
// together (objectives/mine-network.ts), sliced over worker threads
// (objectives/mine-pool.ts). As in the paper, the estimators are re-initialised
// every iteration: only the surrogate carries over.
import { availableParallelism } from 'node:os';
import type { Candidate, Objective, ObjectiveContext, ObjectiveResult } from '../lib/contracts.ts';
import type { Rng } from '../lib/random.ts';
import { backendInfo } from '../lib/backend.ts';
import {
  checkMineEvents,
  resolveMineOptions,
  trainMembers,
  validateDataset,
  type MineDataset,
  type MineEstimate,
  type MineOptions,
} from './mine-train.ts';
import { MineWorkerPool } from './mine-pool.ts';

export { DEFAULT_MINE_OPTIONS, resolveMineOptions, type MineDataset, type MineEstimate, type MineOptions } from './mine-train.ts';
export { logMeanExp, logMeanExpTensor } from './mine-logmeanexp.ts';
export { MineWorkerPool } from './mine-pool.ts';

/** Default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * One seed per dataset, derived from a single draw of rng: dataset i of a call
 * always gets the same seed, however the datasets are later sliced. `ids` (default
 * 0, 1, …) name the datasets, e.g. candidate indices: then candidate 5 keeps its
 * seed when candidate 2's simulation failed and was left out.
 */
export function memberSeeds(rng: Rng, count: number, ids?: readonly number[]): string[] {
  if (ids && ids.length !== count) throw new Error(`ids: ${ids.length} ids for ${count} datasets`);
  if (ids && new Set(ids).size !== ids.length) throw new Error('ids: must be distinct (each names one dataset)');
  const base = rng.int32();
  return Array.from({ length: count }, (_, i) => `mine/${base}/${ids ? ids[i] : i}`);
}

function currentBackend(): string | undefined {
  try {
    return backendInfo().name;
  } catch {
    return undefined; // not initialised: the workers pick the best backend themselves
  }
}

/**
 * MI estimate (nats) for one dataset, trained in this thread.
 * @param a n × aDim row-major, @param b n × bDim row-major
 */
export function estimateMI(
  a: Float32Array,
  aDim: number,
  b: Float32Array,
  bDim: number,
  n: number,
  options: Partial<MineOptions>,
  rng: Rng,
): MineEstimate {
  const o = resolveMineOptions(options, 1);
  const d: MineDataset = { a, aDim, b, bDim, n };
  validateDataset(d, 'dataset', o.evalFraction);
  return trainMembers([d], memberSeeds(rng, 1), o)[0]!;
}

/**
 * MI estimates for many datasets at once: one stacked network per group of
 * equal shape, sliced over `options.workers` threads (default: available
 * cores; 1 = this thread). Pass a pool to reuse its workers across calls.
 * Estimate i depends only on datasets[i], ids?.[i] (default i), the options and
 * rng's state, not on the number of workers.
 */
export async function estimateMIBatched(
  datasets: MineDataset[],
  options: Partial<MineOptions>,
  rng: Rng,
  pool?: MineWorkerPool,
  ids?: readonly number[],
): Promise<MineEstimate[]> {
  if (!Array.isArray(datasets) || datasets.length === 0) throw new Error('datasets: need at least one dataset');
  const o = resolveMineOptions(options, pool?.size ?? defaultWorkers());
  datasets.forEach((d, i) => validateDataset(d, `datasets[${i}]`, o.evalFraction));
  const seeds = memberSeeds(rng, datasets.length, ids);
  const workers = Math.min(o.workers, datasets.length);
  if (workers <= 1) return trainMembers(datasets, seeds, o);
  const ownPool = pool ?? new MineWorkerPool(workers);
  try {
    return await ownPool.train(datasets, seeds, o, currentBackend() ?? '');
  } finally {
    if (!pool) await ownPool.terminate();
  }
}

/** Options of the objective: MINE settings plus which columns of x and y form A and B. */
export interface MineObjectiveOptions extends Partial<MineOptions> {
  /** columns of the truth x used as A (default: all) */
  aColumns?: number[];
  /** columns of the response y used as B (default: all) */
  bColumns?: number[];
}

function pickColumns(src: Float32Array, n: number, dim: number, cols: number[] | undefined, field: string): { data: Float32Array; dim: number } {
  if (!cols) return { data: src, dim };
  cols.forEach((c) => {
    if (!Number.isInteger(c) || c < 0 || c >= dim) throw new Error(`${field}: column ${c} out of range 0..${dim - 1}`);
  });
  const out = new Float32Array(n * cols.length);
  for (let i = 0; i < n; i++) cols.forEach((c, j) => (out[i * cols.length + j] = src[i * dim + c]!));
  return { data: out, dim: cols.length };
}

/** MI-OPT's objective: δ_k = MI(x_k; y_k) per candidate (to be maximised). */
export class MineObjective implements Objective {
  readonly name = 'mine';
  readonly kind = 'per-candidate' as const;
  private readonly options: MineOptions;
  private readonly aColumns: number[] | undefined;
  private readonly bColumns: number[] | undefined;
  private pool: MineWorkerPool | null = null;

  /** @param field names the options in errors, e.g. "problemOptions.mine" */
  constructor(options: MineObjectiveOptions = {}, field = 'mine options') {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new Error(`${field}: must be an object of MINE settings`);
    const { aColumns, bColumns, ...mine } = options;
    for (const [name, cols] of [['aColumns', aColumns], ['bColumns', bColumns]] as const) {
      if (cols !== undefined && (!Array.isArray(cols) || cols.length === 0)) throw new Error(`${field}.${name}: must be a non-empty list of column indices`);
    }
    this.options = resolveMineOptions(mine, defaultWorkers(), field);
    this.aColumns = aColumns;
    this.bColumns = bColumns;
  }

  /** For a run's config: throws unless `events` per candidate are enough for this objective's split. */
  checkEvents(events: number): void {
    checkMineEvents(events, this.options.evalFraction);
  }

  async evaluate(candidates: Candidate[], ctx: ObjectiveContext): Promise<ObjectiveResult> {
    if (candidates.length === 0) throw new Error('candidates: need at least one candidate');
    const datasets = candidates.map((c, i): MineDataset => {
      const bt = c.batch;
      const field = `candidates[${i}].batch`;
      if (!bt) throw new Error(`${field}: missing`);
      if (bt.x.length !== bt.n * bt.xDim) throw new Error(`${field}.x: length ${bt.x.length} ≠ n × xDim = ${bt.n} × ${bt.xDim}`);
      if (bt.y.length !== bt.n * bt.yDim) throw new Error(`${field}.y: length ${bt.y.length} ≠ n × yDim = ${bt.n} × ${bt.yDim}`);
      for (const [name, arr] of [['x', bt.x], ['y', bt.y]] as const) {
        const bad = arr.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) throw new Error(`${field}.${name}: value ${arr[bad]} at index ${bad} (event ${Math.floor(bad / (name === 'x' ? bt.xDim : bt.yDim))}) is not finite`);
      }
      const A = pickColumns(bt.x, bt.n, bt.xDim, this.aColumns, `${field}.x (aColumns)`);
      const B = pickColumns(bt.y, bt.n, bt.yDim, this.bColumns, `${field}.y (bColumns)`);
      const d = { a: A.data, aDim: A.dim, b: B.data, bDim: B.dim, n: bt.n };
      validateDataset(d, field, this.options.evalFraction);
      return d;
    });
    if (this.options.workers > 1 && !this.pool) this.pool = new MineWorkerPool(this.options.workers);
    const t0 = performance.now();
    // Fresh estimators every iteration (ctx.warmStart is deliberately ignored: the paper transfers only the surrogate).
    // Seeded by candidate index, so a failed simulation leaves the others' estimates unchanged.
    const est = await estimateMIBatched(datasets, this.options, ctx.rng, this.pool ?? undefined, candidates.map((c) => c.index));
    const seconds = (performance.now() - t0) / 1000;
    const mean = (f: (e: MineEstimate) => number) => est.reduce((s, e) => s + f(e), 0) / est.length;
    return {
      perCandidate: est.map((e) => e.mi),
      info: {
        mineSeconds: seconds,
        mineSecondsPerCandidate: seconds / est.length,
        mineMeanEpochs: mean((e) => e.epochs),
        mineMaxEpochs: Math.max(...est.map((e) => e.epochs)),
        mineMeanTrainBound: mean((e) => e.trainBound),
        mineMeanHeldOut: mean((e) => e.mi),
        mineWorkers: Math.min(this.options.workers, est.length),
      },
    };
  }

  dispose(): void {
    const p = this.pool;
    this.pool = null;
    if (p) void p.terminate();
  }
}
