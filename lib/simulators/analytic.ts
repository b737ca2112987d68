// Analytic stochastic problems with known optima, for tests and as built-in
// problems. Each event's response y is the per-event objective (lower is better),
// so the expected objective E[y | θ] is known in closed form.
import type { EventBatch, KnownOptimum, Simulator } from '../contracts.ts';
import type { Rng } from '../random.ts';
import type { DesignSpaceSpec } from '../space.ts';

export interface AnalyticProblem {
  name: string;
  description: string;
  simulator: Simulator;
  space: DesignSpaceSpec;
  optimum: KnownOptimum;
  /** minimise (all built-in analytic problems are minimisation problems) */
  direction: 'minimize';
}

function batchOf(theta: readonly number[], x: Float32Array, y: Float32Array): EventBatch {
  return { theta: theta.slice(), n: y.length, x, xDim: 1, y, yDim: 1 };
}

function checkTheta(name: string, theta: readonly number[], dim: number): void {
  if (theta.length !== dim) throw new Error(`${name}: θ has ${theta.length} parameters, expected ${dim}`);
  theta.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`${name}: parameter ${i} (x${i + 1}) is ${v}`);
  });
}

function params(dim: number, lower: number, upper: number, start: number | number[], sigma: number): DesignSpaceSpec['parameters'] {
  return Array.from({ length: dim }, (_, i) => ({
    name: `x${i + 1}`,
    lower,
    upper,
    start: Array.isArray(start) ? start[i]! : start,
    sigma,
  }));
}

/**
 * Noisy quadratic bowl: y = Σ (θ_i − c_i)² + ε, ε ~ N(0, noise²).
 * Optimum θ = c (c_i = 1 − i/D, so every coordinate differs), value 0.
 */
export function quadraticBowl(dim = 2, noise = 1): AnalyticProblem {
  const center = Array.from({ length: dim }, (_, i) => 1 - i / Math.max(1, dim));
  const expected = (t: readonly number[]) => t.reduce((s, v, i) => s + (v - center[i]!) ** 2, 0);
  const simulator: Simulator = {
    name: `quadratic-${dim}d`,
    xNames: ['noise'],
    yNames: ['loss'],
    simulate(theta: readonly number[], n: number, rng: Rng): EventBatch {
      checkTheta(this.name, theta, dim);
      const f = expected(theta);
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      for (let e = 0; e < n; e++) {
        x[e] = rng.normal(0, noise);
        y[e] = f + x[e]!;
      }
      return batchOf(theta, x, y);
    },
  };
  return {
    name: 'quadratic',
    description: `noisy quadratic bowl in ${dim}-D, minimum 0 at (${center.map((c) => c.toFixed(2)).join(', ')})`,
    simulator,
    space: { parameters: params(dim, -5, 5, -3, 0.5) },
    optimum: { theta: center, value: 0, expected },
    direction: 'minimize',
  };
}

/** The Rosenbrock sum without the factor 100: g(ψ) = Σ (ψ_{i+1} − ψ_i²)² + (1 − ψ_i)². */
export function rosenbrockSum(psi: readonly number[]): number {
  let g = 0;
  for (let i = 0; i + 1 < psi.length; i++) g += (psi[i + 1]! - psi[i]! ** 2) ** 2 + (1 - psi[i]!) ** 2;
  return g;
}

/**
 * Stochastic Rosenbrock of the L-GSO paper (Shirobokov et al. 2020):
 * x ~ U(−10, 10), latent ~ N(x, 1), y ~ N(latent + g(ψ), 0.1 + 0.5·|latent|).
 * E[y] = g(ψ): minimum 0 at ψ = (1, …, 1).
 */
export function stochasticRosenbrock(dim = 2): AnalyticProblem {
  if (dim < 2) throw new Error('rosenbrock: dim must be >= 2');
  const simulator: Simulator = {
    name: `rosenbrock-${dim}d`,
    xNames: ['x'],
    yNames: ['y'],
    simulate(theta: readonly number[], n: number, rng: Rng): EventBatch {
      checkTheta(this.name, theta, dim);
      const g = rosenbrockSum(theta);
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      for (let e = 0; e < n; e++) {
        const xe = rng.uniformRange(-10, 10);
        const latent = rng.normal(xe, 1);
        x[e] = xe;
        y[e] = rng.normal(latent + g, 0.1 + 0.5 * Math.abs(latent));
      }
      return batchOf(theta, x, y);
    },
  };
  return {
    name: 'rosenbrock',
    description: `stochastic Rosenbrock (L-GSO) in ${dim}-D, minimum 0 at (1, …, 1)`,
    simulator,
    space: { parameters: params(dim, -2, 2, -1, 0.25) },
    optimum: { theta: new Array(dim).fill(1), value: 0, expected: rosenbrockSum },
    direction: 'minimize',
  };
}

/** Three-hump camel: h(ψ) = 2ψ1² − 1.05ψ1⁴ + ψ1⁶/6 + ψ1ψ2 + ψ2², global minimum 0 at (0, 0). */
export function threeHumpCamel(psi: readonly number[]): number {
  const [a, b] = psi as [number, number];
  return 2 * a * a - 1.05 * a ** 4 + a ** 6 / 6 + a * b + b * b;
}

/**
 * Stochastic three-hump problem in the spirit of L-GSO: x ~ U(−2, 2),
 * latent ~ N(x, 1), y ~ N(latent + h(ψ), 1), so E[y] = h(ψ); global minimum 0
 * at (0, 0), two local minima of 0.2986 at ±(1.7476, −0.8738).
 */
export function stochasticThreeHump(): AnalyticProblem {
  const simulator: Simulator = {
    name: 'three-hump',
    xNames: ['x'],
    yNames: ['y'],
    simulate(theta: readonly number[], n: number, rng: Rng): EventBatch {
      checkTheta(this.name, theta, 2);
      const h = threeHumpCamel(theta);
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      for (let e = 0; e < n; e++) {
        const xe = rng.uniformRange(-2, 2);
        x[e] = xe;
        y[e] = rng.normal(rng.normal(xe, 1) + h, 1);
      }
      return batchOf(theta, x, y);
    },
  };
  return {
    name: 'three-hump',
    description: 'stochastic three-hump camel in 2-D, minimum 0 at (0, 0)',
    simulator,
    space: { parameters: params(2, -3, 3, [1, 1], 0.3) },
    optimum: { theta: [0, 0], value: 0, expected: threeHumpCamel },
    direction: 'minimize',
  };
}

export const ANALYTIC_PROBLEMS = ['quadratic', 'rosenbrock', 'three-hump'] as const;
export type AnalyticProblemName = (typeof ANALYTIC_PROBLEMS)[number];

function builtAnalyticProblem(name: string, dim?: number): AnalyticProblem {
  switch (name) {
    case 'quadratic':
      return quadraticBowl(dim ?? 2);
    case 'rosenbrock':
      return stochasticRosenbrock(dim ?? 2);
    case 'three-hump':
      if (dim !== undefined && dim !== 2) throw new Error('dim: the three-hump problem is 2-D only');
      return stochasticThreeHump();
    default:
      throw new Error(`problem: unknown analytic problem "${name}" (choose one of ${ANALYTIC_PROBLEMS.join(', ')})`);
  }
}

export function analyticProblem(name: string, dim?: number): AnalyticProblem {
  const problem = builtAnalyticProblem(name, dim);
  // the recipe lets WorkerPoolExecutor rebuild the same simulator in a worker thread
  const recipe = { module: import.meta.url, exportName: 'analyticSimulator', options: { name, ...(dim !== undefined ? { dim } : {}) } };
  return { ...problem, simulator: { ...problem.simulator, recipe } };
}

/** The simulator of a built-in analytic problem (the recipe's factory). */
export function analyticSimulator(options: { name: string; dim?: number }): Simulator {
  return builtAnalyticProblem(options.name, options.dim).simulator;
}
