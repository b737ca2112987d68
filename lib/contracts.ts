// The boxes of the loop (see DESIGN.md): Simulator → Objective → Surrogate → step.
// A pipeline is one implementation per box. Keep these small: everything else
// in detopt plugs into them.
import type { tf } from './tf.ts';
import type { Rng } from './random.ts';

/** Events simulated at one design. Arrays are row-major (n × dim). */
export interface EventBatch {
  /** the design actually simulated (integer parameters already rounded) */
  theta: number[];
  n: number;
  /** truth per event, n × xDim (e.g. the photon energy) */
  x: Float32Array;
  xDim: number;
  /** detector response per event, n × yDim (e.g. energy per scintillator layer) */
  y: Float32Array;
  yDim: number;
  /** event parameters for rare-event problems, n × phiDim */
  phi?: Float32Array;
  phiDim?: number;
  /** binary outcome per event for rare-event problems */
  outcome?: Uint8Array;
  /** which fidelity produced the batch, where a problem has several */
  fidelity?: string;
}

export interface Simulator {
  readonly name: string;
  /** names of the truth columns (x) and response columns (y) */
  readonly xNames: readonly string[];
  readonly yNames: readonly string[];
  simulate(theta: readonly number[], nEvents: number, rng: Rng): EventBatch | Promise<EventBatch>;
  /** how to build the same simulator in a worker thread; needed only by WorkerPoolExecutor */
  readonly recipe?: SimulatorRecipe;
}

/**
 * A simulator rebuilt in another thread: `module` (a file URL, or a path taken from the current folder; .ts works)
 * exports `exportName`, a class constructed as `new C(options)` or a function returning the
 * simulator (or a promise of it). `options` must survive structured cloning (plain data).
 */
export interface SimulatorRecipe {
  module: string;
  exportName: string;
  options?: unknown;
}

/** A simulator whose expected objective is known exactly (analytic test problems). */
export interface KnownOptimum {
  /** the minimiser (or maximiser) of the expected objective, in design units */
  theta: number[];
  /** the expected objective there */
  value: number;
  /** expected objective at any design, for scoring a run */
  expected(theta: readonly number[]): number;
}

/** One candidate's simulated events, as the objective sees them. */
export interface Candidate {
  index: number;
  theta: number[];
  batch: EventBatch;
}

export interface ObjectiveResult {
  /** δ per candidate (the mean over events for per-event objectives), same order as the input */
  perCandidate: number[];
  /** δ per event, one array per candidate, for per-event objectives */
  perEvent?: Float32Array[];
  /** numbers worth recording (training losses, held-out scores, …) */
  info?: Record<string, number>;
}

export interface ObjectiveContext {
  rng: Rng;
  /** keep what the objective model learned last iteration (transfer learning) */
  warmStart: boolean;
  iteration: number;
}

export interface Objective {
  readonly name: string;
  /** per-event δ (reconstruction loss) or one δ per candidate (MI, rate) */
  readonly kind: 'per-event' | 'per-candidate';
  evaluate(candidates: Candidate[], ctx: ObjectiveContext): Promise<ObjectiveResult>;
  /** serialisable state (e.g. weights of a reconstruction model kept across iterations) */
  state?(): Promise<unknown>;
  load?(state: unknown): Promise<void>;
  dispose?(): void;
}

/** What a surrogate learns from: K candidates with their δ, and optionally the per-event δ. */
export interface SurrogateData {
  /** K × F designs */
  theta: number[][];
  /** δ per candidate (K) */
  target: number[];
  /** per-event data for conditional surrogates (e.g. the 1-D flow) */
  events?: {
    /** candidate index of every event */
    candidate: Int32Array;
    /** truth per event, n × xDim */
    x: Float32Array;
    xDim: number;
    /** δ per event */
    delta: Float32Array;
  };
}

export interface FitOptions {
  /** start from the current weights (transfer learning) instead of re-initialising */
  warmStart: boolean;
  rng: Rng;
}

export interface FitReport {
  /** training loss at the end of the fit (surrogate-specific units) */
  loss: number;
  epochs: number;
  /** loss on held-out candidates, when the surrogate holds some out */
  validationLoss?: number;
}

export interface Surrogate {
  readonly name: string;
  fit(data: SurrogateData, opts: FitOptions): Promise<FitReport>;
  /**
   * Differentiable prediction of the expected objective at θ (shape [F]) as a
   * scalar tensor. Called inside tf.tidy / tf.grad by the loop.
   */
  predict(theta: tf.Tensor1D): tf.Scalar;
  /** predictive variance where the surrogate has one (GPs) */
  predictVariance?(theta: readonly number[]): number;
  state(): Promise<unknown>;
  load(state: unknown): Promise<void>;
  dispose(): void;
}

/** One simulate call the executor runs. */
export interface SimulationJob {
  index: number;
  theta: number[];
  nEvents: number;
  /** seed of the job's own random stream, so results do not depend on execution order */
  seed: string;
}

export type SimulationOutcome =
  | { index: number; ok: true; batch: EventBatch; seconds: number }
  | { index: number; ok: false; error: string; seconds: number };

/**
 * Runs many simulate calls: in process (lib/executor.ts; external programs and cluster jobs overlap
 * there) or in worker threads (lib/worker-pool-executor.ts).
 */
export interface Executor {
  readonly name: string;
  run(simulator: Simulator, jobs: SimulationJob[]): Promise<SimulationOutcome[]>;
}
