// The local-surrogate optimisation loop (Algorithm 1 of seed 002):
// sample K candidates around θ → simulate M events each → objective δ →
// fit the surrogate (warm start = transfer learning) → step on the surrogate.
import { tf } from './tf.ts';
import type { Candidate, Executor, FitReport, Objective, Simulator, Surrogate } from './contracts.ts';
import { InProcessExecutor } from './executor.ts';
import { surrogateData } from './surrogate-data.ts';
import { normalRadius, ReplayBuffer, type ReplayState } from './replay.ts';
import { RandomStreams, type RngState } from './random.ts';
import type { DesignSpace } from './space.ts';
import { stepDesign, type StepOptimizer, type StepOptions, type StepResult } from './step.ts';
import { candidatePlane, planePredictor, planeStepLength, planeThreshold, stepEvidence, type StepEvidence } from './step-evidence.ts';

export interface LoopConfig {
  iterations: number;
  /** K: candidates per iteration */
  candidates: number;
  /** M: events simulated per candidate */
  events: number;
  /** ε: trust-region radius in units of σ */
  trustRegion: number;
  /**
   * shrink the radius (×½, down to ε/8) when a step reverses the previous one and grow it
   * back (×1.5, up to ε) when it continues it: on a plateau where the surrogate's gradient is
   * noise, fixed-length steps make the design a random walk of ε per iteration; this lets
   * it settle there and still travel at full speed along a real slope (Rprop's rule, per iteration).
   * 'per-parameter': Rprop's rule per coordinate, on an ellipsoidal trust region whose semi-axis
   * for each parameter halves when that parameter's step reverses and grows back when it continues,
   * so a parameter the objective cannot resolve stops walking while the others keep climbing
   */
  adaptiveTrustRegion: TrustAdaptation;
  /**
   * R: also fit the surrogate on the candidates of the last R iterations that lie where
   * this iteration's could have been drawn (inside the 95 % ball of N(θ, σ)); 0 = this
   * iteration's only (seed 002). Sample reuse for few events per candidate (lib/replay.ts).
   */
  replayIterations: number;
  /**
   * z: take the surrogate's step only when the candidates near θ support it, i.e. their
   * least-squares plane predicts an improvement along the step of at least z standard errors
   * (lib/step-evidence.ts); otherwise step along the plane's own slope if that clears
   * planeThreshold(z, dim), else stay at θ. While the design is held the plane pools the
   * candidates of up to GATE_POOL_ITERATIONS iterations drawn around this same θ, so the
   * evidence grows; a move empties the pool, because candidates drawn around another
   * design bias the plane's slope at θ by the curvature. 0 = always take the surrogate's
   * step (seed 002).
   */
  stepGate: number;
  stepOptimizer: StepOptimizer;
  stepLearningRate: number;
  maxSteps: number;
  /** keep surrogate (and objective-model) weights across iterations */
  transferLearning: boolean;
  direction: 'minimize' | 'maximize';
  seed: number | string;
}

export const DEFAULT_LOOP: Omit<LoopConfig, 'seed'> = {
  iterations: 20,
  candidates: 30,
  events: 700,
  trustRegion: 1,
  adaptiveTrustRegion: false,
  replayIterations: 0,
  stepGate: 0,
  stepOptimizer: 'ngd',
  stepLearningRate: 0.25,
  maxSteps: 100,
  transferLearning: true,
  direction: 'minimize',
};

export interface LoopParts {
  space: DesignSpace;
  simulator: Simulator;
  objective: Objective;
  surrogate: Surrogate;
  executor?: Executor;
  /** the exact expected objective, where the problem knows it (recorded, never used to optimise) */
  truth?: (theta: readonly number[]) => number;
  backend: string;
}

export interface IterationRecord {
  iteration: number;
  theta: number[];
  thetaNext: number[];
  candidates: number[][];
  failed: { index: number; error: string }[];
  delta: { perCandidate: number[]; mean: number; std: number; min: number; max: number };
  prediction: { atTheta: number; atNext: number };
  truth?: { atTheta: number; atNext: number };
  penaltyAtNext: number;
  feasibleNext: boolean;
  objectiveInfo: Record<string, number>;
  surrogateFit: FitReport;
  /** with replayIterations > 0: past candidates added to the surrogate's data, and from how many iterations */
  replay?: { candidates: number; iterations: number };
  /**
   * the surrogate's step, with the trust-region radius it was given (σ units), the candidates'
   * evidence for it, and the gate's outcome (thetaNext = theta when it held the design)
   */
  step: Omit<StepResult, 'theta'> & {
    radius: number;
    /** adaptiveTrustRegion 'per-parameter': each parameter's semi-axis as a fraction of the radius */
    trustScales?: number[];
    evidence: StepEvidence;
    /** with stepGate > 0: 'step' (the surrogate's), 'plane' (along the candidates' plane) or 'stay'; 'off' without the gate */
    gate: GateOutcome;
    /** the surrogate's design when its step was not taken */
    proposed?: number[];
    /** the evidence for the plane's step, when it was tried */
    planeEvidence?: StepEvidence;
  };
  timings: { simulation: number; objective: number; surrogate: number; step: number; total: number };
  backend: string;
  seed: number | string;
}

/** Everything needed to continue after a completed iteration. */
export interface LoopCheckpoint {
  /** number of completed iterations */
  completed: number;
  theta: number[];
  streams: Record<string, RngState>;
  surrogate: unknown;
  objective?: unknown;
  /** the adaptive trust region's radius and last step (σ units); absent: start from ε */
  trust?: TrustState;
  /** the replay buffer (replayIterations > 0) */
  replay?: ReplayState;
  /** the step gate's pool of past candidates (stepGate > 0) */
  gatePool?: ReplayState;
}

/** false: fixed radius ε; true: one adaptive radius; 'per-parameter': one adaptive semi-axis per parameter */
export type TrustAdaptation = boolean | 'per-parameter';

/** State of the adaptive trust region between iterations. */
export interface TrustState {
  radius: number;
  lastStep: number[] | null;
  /** 'per-parameter': each parameter's semi-axis as a fraction of the radius */
  scales?: number[];
}

export type GateOutcome = 'off' | 'step' | 'plane' | 'stay';

/** iterations at a held design whose candidates the step gate's plane pools (LoopConfig.stepGate) */
export const GATE_POOL_ITERATIONS = 4;

export const TRUST_SHRINK = 0.5;
export const TRUST_GROW = 1.5;
export const TRUST_MIN_FRACTION = 1 / 8;
/**
 * Per-parameter growth: Rprop's η+ (Riedmiller & Braun 1993). With η− = ½, a coordinate whose
 * step sign is a coin flip shrinks by e^(½ ln 0.6) ≈ 0.77 per iteration on average (with ×1.5,
 * which suits the one-radius rule, it would shrink only by 0.87).
 */
export const TRUST_GROW_PER_PARAMETER = 1.2;

/** The radius for the next iteration after a step of `step` (σ units), given the previous step. */
export function adaptTrust(state: TrustState, step: readonly number[], maxRadius: number): TrustState {
  const norm = Math.hypot(...step);
  // no move (converged on the surrogate): nothing to compare the next step with
  if (!(norm > 1e-12)) return { radius: state.radius, lastStep: state.lastStep };
  let radius = state.radius;
  if (state.lastStep) {
    const prev = state.lastStep;
    const cos = step.reduce((s, v, i) => s + v * prev[i]!, 0) / (norm * Math.hypot(...prev));
    radius = cos < 0 ? Math.max(TRUST_MIN_FRACTION * maxRadius, radius * TRUST_SHRINK) : Math.min(maxRadius, radius * TRUST_GROW);
  }
  return { radius, lastStep: step.slice() };
}

/**
 * Per-parameter Rprop: a parameter whose step reversed the previous one gets half its semi-axis
 * (down to TRUST_MIN_FRACTION), one that continued it ×1.2 (up to 1); a parameter that did not move
 * (at a bound, or a held design) keeps its semi-axis and its last direction.
 */
export function adaptTrustPerParameter(state: TrustState, step: readonly number[]): TrustState {
  const scales = state.scales?.slice() ?? step.map(() => 1);
  const last = state.lastStep?.slice() ?? step.map(() => 0);
  for (const [i, v] of step.entries()) {
    if (!(Math.abs(v) > 1e-9)) continue;
    if (last[i]! * v < 0) scales[i] = Math.max(TRUST_MIN_FRACTION, scales[i]! * TRUST_SHRINK);
    else if (last[i]! * v > 0) scales[i] = Math.min(1, scales[i]! * TRUST_GROW_PER_PARAMETER);
    last[i] = v;
  }
  return { radius: state.radius, lastStep: last, scales };
}

export type Stage = 'sample' | 'simulate' | 'objective' | 'surrogate' | 'step';

export interface LoopHooks {
  onStage?(iteration: number, stage: Stage): void;
  onIteration?(record: IterationRecord): void | Promise<void>;
  /** called after each iteration with the state to save (history writes it atomically) */
  onCheckpoint?(checkpoint: LoopCheckpoint, record: IterationRecord): void | Promise<void>;
}

export interface LoopResult {
  theta: number[];
  records: IterationRecord[];
}

function summary(values: number[]): IterationRecord['delta'] {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  return { perCandidate: values, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

function predictAt(surrogate: Surrogate, theta: readonly number[]): number {
  return tf.tidy(() => surrogate.predict(tf.tensor1d(theta as number[])).dataSync()[0]!);
}

function validateConfig(c: LoopConfig): void {
  const positiveInt = ['iterations', 'candidates', 'events', 'maxSteps'] as const;
  for (const k of positiveInt) {
    if (!Number.isInteger(c[k]) || c[k] < (k === 'iterations' ? 0 : 1)) throw new Error(`${k}: must be a positive integer, got ${c[k]}`);
  }
  if (!(c.trustRegion > 0)) throw new Error(`trustRegion: must be > 0, got ${c.trustRegion}`);
  if (!(c.stepGate >= 0)) throw new Error(`stepGate: must be ≥ 0 (0 = off), got ${c.stepGate}`);
  if (!(c.stepLearningRate > 0)) throw new Error(`stepLearningRate: must be > 0, got ${c.stepLearningRate}`);
}

export async function runLoop(parts: LoopParts, config: LoopConfig, hooks: LoopHooks = {}, resume?: LoopCheckpoint): Promise<LoopResult> {
  validateConfig(config);
  const { space, simulator, objective, surrogate } = parts;
  const executor = parts.executor ?? new InProcessExecutor();
  const streams = new RandomStreams(config.seed);
  let theta = space.start.slice();
  let first = 0;
  let trust: TrustState = { radius: config.trustRegion, lastStep: null };
  const replay = new ReplayBuffer(config.replayIterations);
  const replayRadius = normalRadius(space.dim);
  const gatePool = new ReplayBuffer(config.stepGate > 0 ? GATE_POOL_ITERATIONS : 0);
  if (resume) {
    streams.restore(resume.streams);
    theta = resume.theta.slice();
    first = resume.completed;
    if (config.adaptiveTrustRegion && resume.trust) {
      const t = resume.trust;
      trust = { radius: t.radius, lastStep: t.lastStep?.slice() ?? null, ...(t.scales ? { scales: t.scales.slice() } : {}) };
    }
    if (config.replayIterations > 0 && resume.replay) replay.load(resume.replay);
    if (config.stepGate > 0 && resume.gatePool) gatePool.load(resume.gatePool);
    await surrogate.load(resume.surrogate);
    if (resume.objective !== undefined && objective.load) await objective.load(resume.objective);
  }
  const stepOpts: StepOptions = {
    trustRegion: config.trustRegion,
    optimizer: config.stepOptimizer,
    learningRate: config.stepLearningRate,
    maxSteps: config.maxSteps,
    patience: 25,
    tolerance: 1e-4,
    direction: config.direction,
    projectConstraints: true,
  };
  const records: IterationRecord[] = [];
  for (let it = first; it < config.iterations; it++) {
    const t0 = performance.now();
    // 1. candidates θk ~ N(θ, σ), clipped to the bounds, integers rounded for simulation.
    hooks.onStage?.(it, 'sample');
    const rngCand = streams.stream('candidates');
    const candidates = Array.from({ length: config.candidates }, () =>
      space.round(space.clip(theta.map((v, i) => rngCand.normal(v, space.sigma[i]!)))),
    );
    // 2. simulate; each job has its own seed so results do not depend on execution order.
    hooks.onStage?.(it, 'simulate');
    const outcomes = await executor.run(
      simulator,
      candidates.map((c, k) => ({ index: k, theta: c, nEvents: config.events, seed: `${config.seed}/sim/${it}/${k}` })),
    );
    const failed = outcomes.filter((o) => !o.ok).map((o) => ({ index: o.index, error: (o as { error: string }).error }));
    const good: Candidate[] = [];
    for (const o of outcomes) if (o.ok) good.push({ index: o.index, theta: candidates[o.index]!, batch: o.batch });
    if (good.length < 2) {
      throw new Error(`iteration ${it}: only ${good.length} of ${candidates.length} simulations succeeded; first failure: ${failed[0]?.error ?? 'none'}`);
    }
    const t1 = performance.now();
    // 3. objective δ per candidate (and per event).
    hooks.onStage?.(it, 'objective');
    const objResult = await objective.evaluate(good, { rng: streams.stream('objective'), warmStart: config.transferLearning, iteration: it });
    objResult.perCandidate.forEach((d, i) => {
      if (!Number.isFinite(d)) throw new Error(`iteration ${it}: objective of candidate ${good[i]!.index} is ${d}`);
    });
    const t2 = performance.now();
    // 4. surrogate fit, warm-started when transfer learning is on.
    hooks.onStage?.(it, 'surrogate');
    const data = surrogateData(good, objResult);
    const replayed = config.replayIterations > 0 ? replay.select(data, theta, replayRadius, (a, b) => space.distance(a, b)) : null;
    replay.push(it, data);
    const fit = await surrogate.fit(replayed?.data ?? data, { warmStart: config.transferLearning && it > 0, rng: streams.stream('surrogate') });
    const t3 = performance.now();
    // 5. gradient steps on the surrogate inside the trust region.
    hooks.onStage?.(it, 'step');
    const radius = config.adaptiveTrustRegion ? trust.radius : config.trustRegion;
    const trustOpts: StepOptions = { ...stepOpts, trustRegion: radius, ...(trust.scales ? { trustScales: trust.scales } : {}) };
    const { theta: proposed, ...step } = stepDesign(surrogate, space, theta, trustOpts);
    // the gate's evidence: this iteration's candidates plus those of the last few iterations
    // held at this θ (the pool is emptied on every move, so all of it was drawn around θ)
    const own = { theta: data.theta, target: data.target };
    const pooled = gatePool.select(own, theta, Infinity, (a, b) => space.distance(a, b)).data;
    gatePool.push(it, own);
    const evidence = stepEvidence(pooled.theta, pooled.target, theta, proposed, space.sigma, config.direction);
    // NaN evidence (too few candidates for a plane) never opens the gate; no move needs none
    let gate: GateOutcome = config.stepGate === 0 ? 'off' : !(step.distance > 0) || evidence.t >= config.stepGate ? 'step' : 'stay';
    let next = gate === 'stay' ? theta.slice() : proposed;
    let planeEvidence: StepEvidence | undefined;
    const plane = gate === 'stay' ? candidatePlane(pooled.theta, pooled.target, theta, space.sigma) : null;
    if (plane) {
      // a plane has no optimum: how far to go comes from the candidates' curvature along its slope
      const length = planeStepLength(pooled.theta, pooled.target, theta, space.sigma, plane.slope, config.direction);
      const alongPlane = stepDesign(planePredictor(plane.slope, theta, space.sigma), space, theta, { ...trustOpts, trustRegion: Math.min(radius, length) }).theta;
      planeEvidence = stepEvidence(pooled.theta, pooled.target, theta, alongPlane, space.sigma, config.direction);
      if (planeEvidence.t >= planeThreshold(config.stepGate, space.dim)) {
        gate = 'plane';
        next = alongPlane;
      }
    }
    if (next.some((v, i) => v !== theta[i])) gatePool.clear();
    if (config.adaptiveTrustRegion) {
      const moved = next.map((v, i) => (v - theta[i]!) / space.sigma[i]!);
      trust = config.adaptiveTrustRegion === 'per-parameter' ? adaptTrustPerParameter(trust, moved) : adaptTrust(trust, moved, config.trustRegion);
    }
    const t4 = performance.now();
    const record: IterationRecord = {
      iteration: it,
      theta: theta.slice(),
      thetaNext: next,
      candidates,
      failed,
      delta: summary(objResult.perCandidate),
      prediction: { atTheta: predictAt(surrogate, theta), atNext: predictAt(surrogate, next) },
      ...(parts.truth ? { truth: { atTheta: parts.truth(theta), atNext: parts.truth(next) } } : {}),
      penaltyAtNext: space.penaltyValue(next),
      feasibleNext: space.isFeasible(next, 1e-6),
      objectiveInfo: objResult.info ?? {},
      surrogateFit: fit,
      ...(replayed ? { replay: { candidates: replayed.candidates, iterations: replayed.iterations } } : {}),
      step: { ...step, radius, ...(trust.scales ? { trustScales: trust.scales.slice() } : {}), evidence, gate, ...(gate === 'stay' || gate === 'plane' ? { proposed } : {}), ...(planeEvidence ? { planeEvidence } : {}) },
      timings: {
        simulation: (t1 - t0) / 1000,
        objective: (t2 - t1) / 1000,
        surrogate: (t3 - t2) / 1000,
        step: (t4 - t3) / 1000,
        total: (t4 - t0) / 1000,
      },
      backend: parts.backend,
      seed: config.seed,
    };
    theta = next;
    records.push(record);
    await hooks.onIteration?.(record);
    if (hooks.onCheckpoint) {
      await hooks.onCheckpoint(
        {
          completed: it + 1,
          theta: theta.slice(),
          streams: streams.state(),
          surrogate: await surrogate.state(),
          ...(objective.state ? { objective: await objective.state() } : {}),
          ...(config.adaptiveTrustRegion ? { trust: { radius: trust.radius, lastStep: trust.lastStep, ...(trust.scales ? { scales: trust.scales } : {}) } } : {}),
          ...(config.replayIterations > 0 ? { replay: replay.state() } : {}),
          ...(config.stepGate > 0 ? { gatePool: gatePool.state() } : {}),
        },
        record,
      );
    }
  }
  return { theta, records };
}
