// Named, seeded random streams. Every random draw in detopt comes from an Rng
// made here, so a run with the same seed (and backend) repeats exactly, and a
// stream's state can be saved with a run and restored on resume.
import seedrandom from 'seedrandom';

/** The serialisable state of one stream (seedrandom's alea state). */
export type RngState = { c: number; s0: number; s1: number; s2: number };

interface AleaPrng {
  (): number;
  int32(): number;
  double(): number;
  state(): RngState;
}

export class Rng {
  private prng: AleaPrng;

  constructor(seed: string | number, state?: RngState) {
    // alea: fast, 2^116 period, and its state can be saved and restored.
    this.prng = (state
      ? seedrandom.alea('', { state })
      : seedrandom.alea(String(seed), { state: true })) as unknown as AleaPrng;
  }

  static fromState(state: RngState): Rng {
    return new Rng('', state);
  }

  state(): RngState {
    return this.prng.state();
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return this.prng.double();
  }

  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng.double();
  }

  /** A signed 32-bit integer, e.g. a seed for tf.randomNormal. */
  int32(): number {
    return this.prng.int32();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** Standard normal by Box–Muller (no cached spare, so the state is just the prng's). */
  normal(mean = 0, sd = 1): number {
    let u = 0;
    while (u === 0) u = this.prng.double();
    const v = this.prng.double();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean = 1): number {
    let u = 0;
    while (u === 0) u = this.prng.double();
    return -mean * Math.log(u);
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang; shape < 1 via the u^(1/shape) boost. */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0) || !(scale > 0)) throw new Error(`gamma: shape and scale must be > 0 (got ${shape}, ${scale})`);
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = this.prng.double();
      return this.gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.prng.double();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    const s = x + y;
    // Both gammas can underflow to 0 for tiny shapes (e.g. Beta(0.1, 0.1)); fall back on a fair coin.
    if (s === 0) return this.prng.double() < a / (a + b) ? 1 : 0;
    return x / s;
  }

  /** Poisson(λ): multiplication method for small λ, PTRS (Hörmann 1993) for λ ≥ 10. */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new Error(`poisson: lambda must be >= 0 (got ${lambda})`);
    if (lambda === 0) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.prng.double();
      while (p > limit) {
        k += 1;
        p *= this.prng.double();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.prng.double() - 0.5;
      const v = this.prng.double();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }

  /**
   * Binomial(n, p), exact: direct Bernoulli sum for small n, otherwise the
   * beta-splitting recursion (Devroye, ch. X.4), which needs O(log n) beta draws.
   */
  binomial(n: number, p: number): number {
    if (!Number.isInteger(n) || n < 0) throw new Error(`binomial: n must be a non-negative integer (got ${n})`);
    if (!(p >= 0 && p <= 1)) throw new Error(`binomial: p must be in [0, 1] (got ${p})`);
    let count = 0;
    let nn = n;
    let pp = p;
    while (nn > 40) {
      const a = Math.floor(1 + nn / 2);
      const b = nn + 1 - a;
      const x = this.beta(a, b);
      if (x >= pp) {
        nn = a - 1;
        pp = pp / x;
      } else {
        count += a;
        nn = b - 1;
        pp = (pp - x) / (1 - x);
      }
    }
    for (let i = 0; i < nn; i++) if (this.prng.double() < pp) count += 1;
    return count;
  }

  /** N(mean, cov) from the lower Cholesky factor of cov (row-major d × d). */
  multivariateNormal(mean: ArrayLike<number>, cholLower: ArrayLike<number>): Float64Array {
    const d = mean.length;
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) z[i] = this.normal();
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = mean[i]!;
      for (let j = 0; j <= i; j++) s += cholLower[i * d + j]! * z[j]!;
      out[i] = s;
    }
    return out;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(arr: T[] | Int32Array | Float32Array | Float64Array): typeof arr {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  /** Latin hypercube: n points in [0, 1)^d, one per stratum in every dimension. */
  latinHypercube(n: number, d: number): number[][] {
    const pts: number[][] = Array.from({ length: n }, () => new Array<number>(d).fill(0));
    for (let j = 0; j < d; j++) {
      const perm = this.permutation(n);
      for (let i = 0; i < n; i++) pts[i]![j] = (perm[i]! + this.prng.double()) / n;
    }
    return pts;
  }
}

const LOG_FACT_CACHE: number[] = [0];
export function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = LOG_FACT_CACHE.length; i <= k; i++) LOG_FACT_CACHE[i] = LOG_FACT_CACHE[i - 1]! + Math.log(i);
    return LOG_FACT_CACHE[k]!;
  }
  // Stirling series, accurate to ~1e-12 for k ≥ 256.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * A family of named streams derived from one master seed. The same (seed, name)
 * always gives the same stream, so adding a new consumer never shifts the
 * draws of an existing one.
 */
export class RandomStreams {
  private streams = new Map<string, Rng>();

  constructor(readonly seed: number | string) {}

  stream(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = new Rng(`${this.seed}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }

  state(): Record<string, RngState> {
    const out: Record<string, RngState> = {};
    for (const [name, r] of this.streams) out[name] = r.state();
    return out;
  }

  restore(states: Record<string, RngState>): void {
    this.streams.clear();
    for (const [name, st] of Object.entries(states)) this.streams.set(name, Rng.fromState(st));
  }
}
