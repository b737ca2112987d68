// The design space: named parameters with units, bounds, start values,
// integer or continuous kind and a sampling width σ; constraints and an
// optional cost written as mathjs expressions over the parameter names.
import { tf } from './tf.ts';
import { compileConstraint, compileExpression, type CompiledConstraint, type NumberFn, type TensorFn } from './expression.ts';

export type ParameterKind = 'continuous' | 'integer';

export interface ParameterSpec {
  name: string;
  unit?: string;
  lower: number;
  upper: number;
  start: number;
  kind?: ParameterKind;
  /** width of the candidate sampling N(θ, σ) around the current design */
  sigma: number;
}

export interface DesignSpaceSpec {
  parameters: ParameterSpec[];
  /** e.g. "abs1 + scint1 + abs2 + scint2 <= 25" */
  constraints?: string[];
  /** optional cost added to the objective, e.g. "0.1 * (abs1 + abs2)" */
  cost?: string;
  /** weight w of the penalty w·Σ max(0, violation)² (default 1000) */
  penaltyWeight?: number;
  /** weight of the cost term in the objective (default 1) */
  costWeight?: number;
}

/**
 * A copy of `spec` with start values replaced by name; an unknown name is an
 * error naming it (in `field`).
 */
export function withStart(spec: DesignSpaceSpec, start: Record<string, number> | undefined, field = 'start'): DesignSpaceSpec {
  if (!start) return spec;
  const out = structuredClone(spec);
  for (const [name, value] of Object.entries(start)) {
    const p = out.parameters.find((q) => q.name === name);
    if (!p) throw new Error(`${field}.${name}: unknown parameter (parameters: ${out.parameters.map((q) => q.name).join(', ')})`);
    p.start = value;
  }
  return out;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DesignSpace {
  readonly spec: DesignSpaceSpec;
  readonly names: string[];
  readonly units: string[];
  readonly kinds: ParameterKind[];
  readonly lower: number[];
  readonly upper: number[];
  readonly start: number[];
  readonly sigma: number[];
  readonly constraints: CompiledConstraint[];
  readonly penaltyWeight: number;
  readonly costWeight: number;
  private readonly costNum?: NumberFn;
  private readonly costTensor?: TensorFn;

  constructor(spec: DesignSpaceSpec) {
    if (!spec || !Array.isArray(spec.parameters) || spec.parameters.length === 0) {
      throw new Error('space.parameters: at least one parameter is required');
    }
    const seen = new Set<string>();
    spec.parameters.forEach((p, i) => {
      const f = `space.parameters[${i}]${typeof p?.name === 'string' ? ` (${p.name})` : ''}`;
      if (typeof p?.name !== 'string' || !NAME_RE.test(p.name)) {
        throw new Error(`${f}.name: must be an identifier (letters, digits, _), got ${JSON.stringify(p?.name)}`);
      }
      if (seen.has(p.name)) throw new Error(`${f}.name: duplicate parameter name "${p.name}"`);
      seen.add(p.name);
      for (const key of ['lower', 'upper', 'start', 'sigma'] as const) {
        if (typeof p[key] !== 'number' || !Number.isFinite(p[key])) {
          throw new Error(`${f}.${key}: must be a finite number, got ${JSON.stringify(p[key])}`);
        }
      }
      if (!(p.lower < p.upper)) throw new Error(`${f}: bounds reversed or empty (lower ${p.lower} must be < upper ${p.upper})`);
      if (p.start < p.lower || p.start > p.upper) {
        throw new Error(`${f}.start: ${p.start} is outside the bounds [${p.lower}, ${p.upper}]`);
      }
      if (!(p.sigma > 0)) throw new Error(`${f}.sigma: must be > 0, got ${p.sigma}`);
      if (p.kind !== undefined && p.kind !== 'continuous' && p.kind !== 'integer') {
        throw new Error(`${f}.kind: must be "continuous" or "integer", got ${JSON.stringify(p.kind)}`);
      }
    });
    this.spec = spec;
    this.names = spec.parameters.map((p) => p.name);
    this.units = spec.parameters.map((p) => p.unit ?? '');
    this.kinds = spec.parameters.map((p) => p.kind ?? 'continuous');
    this.lower = spec.parameters.map((p) => p.lower);
    this.upper = spec.parameters.map((p) => p.upper);
    this.start = spec.parameters.map((p) => p.start);
    this.sigma = spec.parameters.map((p) => p.sigma);
    this.constraints = (spec.constraints ?? []).map((c, i) => {
      if (typeof c !== 'string') throw new Error(`space.constraints[${i}]: must be a string expression`);
      return compileConstraint(c, this.names, `space.constraints[${i}]`);
    });
    if (spec.cost !== undefined) {
      const cost = compileExpression(spec.cost, this.names, 'space.cost');
      this.costNum = cost.num;
      this.costTensor = cost.ten;
    }
    this.checkFiniteAt(this.start, 'the start design');
    this.penaltyWeight = spec.penaltyWeight ?? 1000;
    if (!(this.penaltyWeight >= 0)) throw new Error(`space.penaltyWeight: must be >= 0, got ${spec.penaltyWeight}`);
    this.costWeight = spec.costWeight ?? 1;
  }

  /**
   * Throws, naming the expression, where the cost or a constraint is not a number at θ (e.g.
   * log(x) at x ≤ 0): a NaN there makes every step's objective NaN and freezes the design.
   */
  checkFiniteAt(theta: readonly number[], where: string): void {
    const at = this.names.map((n, i) => `${n} = ${theta[i]}`).join(', ');
    const cost = this.cost(theta);
    if (!Number.isFinite(cost)) throw new Error(`space.cost: "${this.spec.cost}" is ${cost} at ${where} (${at})`);
    this.constraints.forEach((c, i) => {
      const v = c.violation(theta);
      if (!Number.isFinite(v)) throw new Error(`space.constraints[${i}]: "${this.spec.constraints![i]}" is not a number at ${where} (${at})`);
    });
  }

  get dim(): number {
    return this.names.length;
  }

  /** Clips to the bounds. */
  clip(theta: readonly number[]): number[] {
    return theta.map((v, i) => Math.min(this.upper[i]!, Math.max(this.lower[i]!, v)));
  }

  /** Rounds integer parameters (for simulation; gradient steps use the relaxed value). */
  round(theta: readonly number[]): number[] {
    return theta.map((v, i) => (this.kinds[i] === 'integer' ? Math.round(v) : v));
  }

  /** Violation of each constraint (0 where satisfied). */
  violations(theta: readonly number[]): number[] {
    return this.constraints.map((c) => c.violation(theta));
  }

  isFeasible(theta: readonly number[], tolerance = 1e-9): boolean {
    return theta.every((v, i) => v >= this.lower[i]! - tolerance && v <= this.upper[i]! + tolerance) && this.violations(theta).every((v) => v <= tolerance);
  }

  cost(theta: readonly number[]): number {
    return this.costNum ? this.costNum(theta) : 0;
  }

  /** w·Σ max(0, violation)² as a tfjs scalar, so its gradient reaches θ. */
  penalty(theta: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (const c of this.constraints) total = tf.add(total, tf.square(c.violationTensor(theta))) as tf.Scalar;
      return tf.mul(total, this.penaltyWeight) as tf.Scalar;
    });
  }

  penaltyValue(theta: readonly number[]): number {
    return this.penaltyWeight * this.violations(theta).reduce((s, v) => s + v * v, 0);
  }

  /** The cost term as a tfjs scalar (0 when no cost is set). */
  costTerm(theta: tf.Tensor1D): tf.Scalar {
    if (!this.costTensor) return tf.scalar(0);
    const f = this.costTensor;
    return tf.tidy(() => tf.mul(f(theta), this.costWeight) as tf.Scalar);
  }

  /** Fixed affine map θ → roughly [−1, 1] from the bounds, so surrogate weights keep their meaning across iterations. */
  normalizer(): { center: number[]; scale: number[] } {
    return {
      center: this.lower.map((l, i) => (l + this.upper[i]!) / 2),
      scale: this.lower.map((l, i) => (this.upper[i]! - l) / 2),
    };
  }

  /**
   * Moves θ onto the feasible set: Newton steps on each violated constraint,
   * θ ← θ − v·Σ∇v / (∇vᵀΣ∇v) with Σ = diag(σ²) (the closest point in the σ metric
   * for a linear constraint, one step), then clips to the bounds. The step uses it
   * after every gradient step, so a design slides along an active constraint
   * instead of bouncing off a stiff penalty.
   */
  project(theta: readonly number[], maxRounds = 20, tolerance = 1e-9): number[] {
    let x = this.clip(theta);
    for (let round = 0; round < maxRounds; round++) {
      const v = this.violations(x);
      if (v.every((vi) => vi <= tolerance)) break;
      for (let c = 0; c < this.constraints.length; c++) {
        const vc = this.constraints[c]!.violation(x);
        if (vc <= tolerance) continue;
        const fn = this.constraints[c]!.violationTensor;
        const g = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => fn(t as tf.Tensor1D))(tf.tensor1d(x)).dataSync()));
        let norm = 0;
        for (let i = 0; i < g.length; i++) norm += g[i]! * g[i]! * this.sigma[i]! ** 2;
        if (!(norm > 0)) continue;
        // a hair past the boundary (1e-9 relative) so float rounding leaves the point feasible
        const step = (vc * (1 + 1e-9) + 1e-12) / norm;
        x = this.clip(x.map((xi, i) => xi - step * g[i]! * this.sigma[i]! ** 2));
      }
    }
    return x;
  }

  /** Mahalanobis distance between two designs in units of σ. */
  distance(a: readonly number[], b: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += ((a[i]! - b[i]!) / this.sigma[i]!) ** 2;
    return Math.sqrt(s);
  }

  /** θ as a name → value record (for reports). */
  named(theta: readonly number[]): Record<string, number> {
    return Object.fromEntries(this.names.map((n, i) => [n, theta[i]!]));
  }
}
