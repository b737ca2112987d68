// The design step of Algorithm 1 (lines 10–12): gradient steps on
// surrogate(θ) + penalties + cost from the current θ, inside the trust region
// ‖(θ* − θ)/σ‖ < ε, the bounds and (by projection) the constraints.
//
// Optimisers (all work in σ units, u = (θ − θ0)/σ, so one learning rate suits every parameter):
// - 'ngd' (default): normalised gradient descent with step halving. Scale-free (a loss of 1e−3
//   and an MI of 2 nats step alike), rotation-invariant, and monotone; it steps along the
//   projected gradient, so it slides along active bounds and constraints.
// - 'adam': tf.train.adam. Scale-free per coordinate, but its sign-like steps can point straight
//   into an active constraint, where projection cancels them: prefer 'ngd' with constraints.
// - 'sgd': plain gradient steps; the learning rate then depends on the objective's units.
import { tf } from './tf.ts';
import type { Surrogate } from './contracts.ts';
import { newVariable } from './nn.ts';
import type { DesignSpace } from './space.ts';

export type StepOptimizer = 'ngd' | 'adam' | 'sgd';

export interface StepOptions {
  /** trust-region radius ε in units of σ (Mahalanobis distance) */
  trustRegion: number;
  /** per-parameter fractions of the radius: the trust region becomes the ellipsoid Σ (u_i / (ε s_i))² ≤ 1 */
  trustScales?: readonly number[];
  optimizer: StepOptimizer;
  /** learning rate: step length in σ for 'ngd', Adam/SGD rate otherwise */
  learningRate: number;
  maxSteps: number;
  /** Adam/SGD: stop when the objective has not improved by `tolerance` (relative) for this many steps */
  patience: number;
  tolerance: number;
  direction: 'minimize' | 'maximize';
  /** after each step, move back onto the constraints (hard constraints); the penalty still shapes the path */
  projectConstraints: boolean;
}

export interface StepResult {
  theta: number[];
  steps: number;
  stopReason: 'trust-region' | 'converged' | 'max-steps';
  /** Mahalanobis distance moved, in σ */
  distance: number;
  /** the stepped objective (sign·surrogate + penalty + cost) at the start and at the end */
  startValue: number;
  endValue: number;
}

/** The objective the step minimises, as a function of u (σ units around θ0). */
function steppedObjective(surrogate: Pick<Surrogate, 'predict'>, space: DesignSpace, origin: tf.Tensor1D, sigma: tf.Tensor1D, sign: number, withPenalty: boolean) {
  return (u: tf.Tensor1D): tf.Scalar => {
    const theta = tf.add(origin, tf.mul(u, sigma)) as tf.Tensor1D;
    const objective = tf.add(tf.mul(surrogate.predict(theta), sign), space.costTerm(theta));
    return (withPenalty ? tf.add(objective, space.penalty(theta)) : objective) as tf.Scalar;
  };
}

export function stepDesign(surrogate: Pick<Surrogate, 'predict'>, space: DesignSpace, theta0: readonly number[], opts: StepOptions): StepResult {
  const sign = opts.direction === 'minimize' ? 1 : -1;
  const sigma = tf.tensor1d(space.sigma);
  const origin = tf.tensor1d(theta0 as number[]);
  // Projected NGD keeps every trial feasible, so the penalty has no work left there; worse, at a
  // design left 1e-6 past a constraint by the projection's tolerance its gradient (2w·1e-6 = 2e-3)
  // dwarfs a surrogate gradient of 1e-5–1e-4 and points every step off the face (measured: a
  // 3-layer calorimeter on Σθ = 25 cm stalled for 9 iterations). Adam/SGD keep it to shape their path.
  const withPenalty = !(opts.optimizer === 'ngd' && opts.projectConstraints);
  const f = steppedObjective(surrogate, space, origin, sigma, sign, withPenalty);
  const value = (u: number[]): number => tf.tidy(() => f(tf.tensor1d(u)).dataSync()[0]!);
  /** bounds, constraints, then the trust-region sphere; reports whether the sphere cut the step */
  const feasible = (u: number[]): { u: number[]; atEdge: boolean } => {
    const theta = u.map((v, i) => theta0[i]! + v * space.sigma[i]!);
    const inside = opts.projectConstraints ? space.project(theta) : space.clip(theta);
    let w = inside.map((t, i) => (t - theta0[i]!) / space.sigma[i]!);
    // the step's size relative to the trust region (1 on its edge): a sphere, or an ellipsoid
    const scales = opts.trustScales;
    const size = (scales ? Math.hypot(...w.map((v, i) => v / scales[i]!)) : Math.hypot(...w)) / opts.trustRegion;
    const atEdge = size >= 1;
    if (atEdge) w = w.map((v) => v / size);
    return { u: w, atEdge };
  };
  try {
    const startValue = value(new Array(space.dim).fill(0));
    if (!Number.isFinite(startValue)) {
      space.checkFiniteAt(theta0, 'the current design'); // names a cost or constraint that is NaN there
      throw new Error(`step: the surrogate's prediction is ${startValue} at the current design (${space.names.map((n, i) => `${n} = ${theta0[i]}`).join(', ')})`);
    }
    const run = opts.optimizer === 'ngd' ? normalisedDescent : tfOptimizerDescent;
    const r = run(f, value, feasible, space.dim, startValue, opts);
    const theta = space.clip(r.u.map((v, i) => theta0[i]! + v * space.sigma[i]!));
    return { theta, steps: r.steps, stopReason: r.stopReason, distance: space.distance(theta, theta0), startValue, endValue: r.best };
  } finally {
    sigma.dispose();
    origin.dispose();
  }
}

interface Descent {
  u: number[];
  best: number;
  steps: number;
  stopReason: StepResult['stopReason'];
}

type Feasible = (u: number[]) => { u: number[]; atEdge: boolean };

/**
 * The projected steepest-descent direction at u: a tiny step along −g, taken back onto the bounds
 * and constraints. Normalising −g itself would waste the step on components that push into an
 * active bound or constraint (measured: a 3-layer calorimeter on Σθ = 25 cm with abs1 = 0, whose
 * gradient was dominated by "make abs1 negative", halved its step away and stalled for 13
 * iterations while the surrogate still pointed at thinning abs2). Zero when no feasible descent exists.
 */
function feasibleDirection(u: number[], g: number[], feasible: Feasible, probe: number): number[] {
  const norm = Math.hypot(...g);
  if (!(norm > 0)) return g.map(() => 0);
  const moved = feasible(u.map((v, i) => v - (probe * g[i]!) / norm)).u;
  const d = moved.map((v, i) => v - u[i]!);
  // below ~1e-6 of the probe the move is projection round-off, not a direction
  return Math.hypot(...d) > probe * 1e-6 ? d : g.map(() => 0);
}

function normalisedDescent(
  f: (u: tf.Tensor1D) => tf.Scalar,
  value: (u: number[]) => number,
  feasible: Feasible,
  dim: number,
  startValue: number,
  opts: StepOptions,
): Descent {
  const grad = tf.grad((u: tf.Tensor) => f(u as tf.Tensor1D));
  let u = new Array<number>(dim).fill(0);
  let best = startValue;
  let eta = opts.learningRate;
  const minEta = opts.learningRate / 64;
  let steps = 0;
  while (steps < opts.maxSteps) {
    const g = tf.tidy(() => Array.from(grad(tf.tensor1d(u)).dataSync()));
    const d = feasibleDirection(u, g, feasible, minEta / 16);
    const norm = Math.hypot(...d);
    if (!(norm > 0)) return { u, best, steps, stopReason: 'converged' };
    steps += 1;
    const trial = feasible(u.map((v, i) => v + (eta * d[i]!) / norm));
    const v = value(trial.u);
    if (v < best) {
      u = trial.u;
      best = v;
      if (trial.atEdge) return { u, best, steps, stopReason: 'trust-region' };
    } else {
      eta /= 2;
      if (eta < minEta) return { u, best, steps, stopReason: 'converged' };
    }
  }
  return { u, best, steps, stopReason: 'max-steps' };
}

function tfOptimizerDescent(
  f: (u: tf.Tensor1D) => tf.Scalar,
  value: (u: number[]) => number,
  feasible: Feasible,
  dim: number,
  startValue: number,
  opts: StepOptions,
): Descent {
  const u = newVariable(tf.zeros([dim]));
  const optimizer = opts.optimizer === 'adam' ? tf.train.adam(opts.learningRate) : tf.train.sgd(opts.learningRate);
  let best = startValue;
  let bestU = new Array<number>(dim).fill(0);
  let sinceImprovement = 0;
  let steps = 0;
  try {
    while (steps < opts.maxSteps) {
      tf.tidy(() => {
        optimizer.minimize(() => f(u as tf.Tensor1D), false, [u]);
      });
      steps += 1;
      const next = feasible(Array.from(u.dataSync()));
      tf.tidy(() => u.assign(tf.tensor1d(next.u)));
      const v = value(next.u);
      const improved = v < best - opts.tolerance * Math.max(1e-12, Math.abs(best));
      if (v < best) {
        best = v;
        bestU = next.u;
      }
      sinceImprovement = improved ? 0 : sinceImprovement + 1;
      if (next.atEdge) return { u: bestU, best, steps, stopReason: 'trust-region' };
      if (sinceImprovement >= opts.patience) return { u: bestU, best, steps, stopReason: 'converged' };
    }
    return { u: bestU, best, steps, stopReason: 'max-steps' };
  } finally {
    optimizer.dispose();
    u.dispose();
  }
}
