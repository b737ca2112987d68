// Bound-constrained quasi-Newton minimisation on Float64Array: projected
// L-BFGS (the two-loop recursion of Nocedal & Wright, Algorithm 7.4, applied on
// the variables not held at a bound, with a backtracking Armijo search along
// the projected path). It is a small cousin of L-BFGS-B: no generalised Cauchy
// point, which is fine for the smooth, low-dimensional problems here
// (GP hyperparameters, acquisition functions).

export interface ValueAndGradient {
  f: number;
  g: Float64Array;
}

/** f and its gradient at x. `g` may be a lazy getter: minimize reads it only at accepted points. */
export type Objective = (x: Float64Array) => ValueAndGradient;

export interface MinimizeOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** iterations (default 200) */
  maxIter?: number;
  /** pairs kept in memory (default 10) */
  memory?: number;
  /** stop when the projected gradient's max-norm is below this (default 1e-6) */
  gtol?: number;
  /** stop when the relative decrease of f is below this (default 1e-10, scipy's factr·eps) */
  ftol?: number;
  /**
   * stop when f decreased by less than stallTol·max(|f|, 1) over the last
   * `stallWindow` iterations (creeping along a flat ridge, e.g. a length scale
   * drifting towards its bound); default 10 iterations and 1e-7
   */
  stallWindow?: number;
  stallTol?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
}

function project(x: Float64Array, lo: ArrayLike<number> | undefined, hi: ArrayLike<number> | undefined): void {
  for (let i = 0; i < x.length; i++) {
    if (lo && x[i]! < lo[i]!) x[i] = lo[i]!;
    if (hi && x[i]! > hi[i]!) x[i] = hi[i]!;
  }
}

/** Minimises f within [lower, upper] from x0. Non-finite values count as "too far" in the line search. */
export function minimize(fg: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const lo = opts.lower;
  const hi = opts.upper;
  if (lo && lo.length !== n) throw new Error(`minimize: lower has ${lo.length} entries, x0 has ${n}`);
  if (hi && hi.length !== n) throw new Error(`minimize: upper has ${hi.length} entries, x0 has ${n}`);
  for (let i = 0; i < n; i++) {
    if (lo && hi && !(lo[i]! <= hi[i]!)) throw new Error(`minimize: lower[${i}] = ${lo[i]} > upper[${i}] = ${hi[i]}`);
  }
  const maxIter = opts.maxIter ?? 200;
  const m = opts.memory ?? 10;
  const gtol = opts.gtol ?? 1e-6;
  const ftol = opts.ftol ?? 1e-10;
  const stallWindow = opts.stallWindow ?? 10;
  const stallTol = opts.stallTol ?? 1e-7;
  const history: number[] = [];

  let x: Float64Array = Float64Array.from(x0);
  project(x, lo, hi);
  let cur = fg(x);
  let evaluations = 1;
  if (!Number.isFinite(cur.f)) throw new Error('minimize: objective is not finite at the starting point');
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const RHO: number[] = [];
  const atBound = (i: number, gi: number): boolean =>
    (lo !== undefined && x[i]! <= lo[i]! && gi > 0) || (hi !== undefined && x[i]! >= hi[i]! && gi < 0);

  let iter = 0;
  let message = 'maximum iterations reached';
  let converged = false;
  for (; iter < maxIter; iter++) {
    const g = cur.g;
    let pgMax = 0;
    for (let i = 0; i < n; i++) if (!atBound(i, g[i]!)) pgMax = Math.max(pgMax, Math.abs(g[i]!));
    if (pgMax < gtol) {
      converged = true;
      message = 'projected gradient below gtol';
      break;
    }
    // two-loop recursion on the free variables
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = atBound(i, g[i]!) ? 0 : g[i]!;
    const alpha = new Array<number>(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k]![i]! * q[i]!;
      a *= RHO[k]!;
      alpha[k] = a;
      for (let i = 0; i < n; i++) q[i]! -= a * Y[k]![i]!;
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k]![i]! * Y[k]![i]!;
        yy += Y[k]![i]! * Y[k]![i]!;
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) q[i]! *= gamma;
    } else {
      // first step: unit length along the gradient
      let gn = 0;
      for (let i = 0; i < n; i++) gn += q[i]! * q[i]!;
      const sc = 1 / Math.max(1, Math.sqrt(gn));
      for (let i = 0; i < n; i++) q[i]! *= sc;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[k]![i]! * q[i]!;
      b *= RHO[k]!;
      for (let i = 0; i < n; i++) q[i]! += S[k]![i]! * (alpha[k]! - b);
    }
    const d = new Float64Array(n);
    let slope = 0;
    for (let i = 0; i < n; i++) {
      d[i] = atBound(i, g[i]!) ? 0 : -q[i]!;
      slope += d[i]! * g[i]!;
    }
    if (!(slope < 0)) {
      // not a descent direction: forget the curvature pairs, use steepest descent
      S.length = 0;
      Y.length = 0;
      RHO.length = 0;
      let gn = 0;
      for (let i = 0; i < n; i++) {
        d[i] = atBound(i, g[i]!) ? 0 : -g[i]!;
        gn += d[i]! * d[i]!;
      }
      const sc = 1 / Math.max(1, Math.sqrt(gn));
      for (let i = 0; i < n; i++) d[i]! *= sc;
    }
    // backtracking Armijo search along the projected path
    let t = 1;
    let accepted: { x: Float64Array; r: ValueAndGradient } | null = null;
    for (let ls = 0; ls < 40; ls++) {
      const xn = new Float64Array(n);
      for (let i = 0; i < n; i++) xn[i] = x[i]! + t * d[i]!;
      project(xn, lo, hi);
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i]! * (xn[i]! - x[i]!);
      const r = fg(xn);
      evaluations++;
      if (Number.isFinite(r.f) && r.f <= cur.f + 1e-4 * dec) {
        accepted = { x: xn, r };
        break;
      }
      t *= Number.isFinite(r.f) ? 0.5 : 0.1;
    }
    if (!accepted) {
      message = 'line search failed';
      converged = S.length === 0 ? pgMax < Math.sqrt(gtol) : false;
      if (S.length > 0) {
        // retry once from steepest descent
        S.length = 0;
        Y.length = 0;
        RHO.length = 0;
        continue;
      }
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = accepted.x[i]! - x[i]!;
      y[i] = accepted.r.g[i]! - g[i]!;
      sy += s[i]! * y[i]!;
      ss += s[i]! * s[i]!;
      yy += y[i]! * y[i]!;
    }
    const fOld = cur.f;
    x = accepted.x;
    cur = accepted.r;
    if (sy > 1e-10 * Math.sqrt(ss * yy)) {
      S.push(s);
      Y.push(y);
      RHO.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        RHO.shift();
      }
    }
    if ((fOld - cur.f) / Math.max(Math.abs(fOld), Math.abs(cur.f), 1) <= ftol) {
      converged = true;
      message = 'relative decrease below ftol';
      iter++;
      break;
    }
    history.push(cur.f);
    if (history.length > stallWindow) {
      const past = history[history.length - 1 - stallWindow]!;
      if ((past - cur.f) / Math.max(Math.abs(cur.f), 1) < stallTol) {
        converged = true;
        message = `decrease over ${stallWindow} iterations below stallTol`;
        iter++;
        break;
      }
    }
  }
  return { x, f: cur.f, g: cur.g, iterations: iter, evaluations, converged, message };
}

/** Runs `minimize` from every start and returns the best result (and all of them). */
export function multiStart(
  fg: Objective,
  starts: ArrayLike<number>[],
  opts: MinimizeOptions = {},
): { best: MinimizeResult; all: MinimizeResult[] } {
  if (starts.length === 0) throw new Error('multiStart: starts is empty');
  const all: MinimizeResult[] = [];
  for (const s of starts) {
    try {
      all.push(minimize(fg, s, opts));
    } catch (err) {
      // a start where the objective is not finite is skipped; all failing is an error
      if (!(err instanceof Error) || !err.message.includes('not finite')) throw err;
    }
  }
  if (all.length === 0) throw new Error('multiStart: the objective was not finite at any start');
  let best = all[0]!;
  for (const r of all) if (r.f < best.f) best = r;
  return { best, all };
}

/** Central finite-difference gradient, for objectives without an analytic one. */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const xp = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const step = h * Math.max(1, Math.abs(x[i]!));
    xp[i] = x[i]! + step;
    const fp = f(xp);
    xp[i] = x[i]! - step;
    const fm = f(xp);
    xp[i] = x[i]!;
    g[i] = (fp - fm) / (2 * step);
  }
  return g;
}
