// Special functions in plain float64: log-gamma, the regularised incomplete
// gamma functions P and Q, erf/erfc, the standard normal CDF Φ and its inverse,
// and the exponential integral E_n. The calorimeter shower model integrates the
// GFlash Gamma profile with P/Q (PHYSICS.md §1); other parts of detopt need Φ.
// Algorithms: Numerical Recipes 3rd ed. §6.1–6.3 (series / modified Lentz
// continued fraction), Lanczos (g = 7, n = 9) for log Γ, Acklam + one Halley
// step for Φ⁻¹.

const LANCZOS_G = 7;
// Lanczos coefficients for g = 7, n = 9 (relative accuracy ≈ 1e-15 for Γ).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** Smallest representable magnitude the Lentz algorithm lets a denominator reach. */
const FPMIN = 1e-300;
/** Default relative tolerance of the series and continued fraction. */
export const GAMMA_EPS = 1e-15;

/** ln Γ(z) for z > 0 (Lanczos). Relative error ≈ 1e-15 in Γ, i.e. ≈ 1e-15 absolute in ln Γ. */
export function logGamma(z: number): number {
  if (!(z > 0) || !Number.isFinite(z)) throw new Error(`logGamma: z must be a finite number > 0 (got ${z})`);
  if (z < 0.5) {
    // Reflection Γ(z)Γ(1−z) = π / sin(πz) keeps the Lanczos sum in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  }
  const x = z - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

function checkGammaArgs(fn: string, a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new Error(`${fn}: shape a must be a finite number > 0 (got ${a})`);
  if (!(x >= 0)) throw new Error(`${fn}: x must be >= 0 (got ${x})`);
}

/** Enough iterations for both expansions: they need O(√a) terms when x ≈ a. */
function maxIterations(a: number): number {
  return 200 + 30 * Math.ceil(Math.sqrt(a));
}

/**
 * Q(a, x) = Γ(a, x)/Γ(a) for a > 0, x ≥ 0, given ln Γ(a) (so a caller that
 * evaluates many x at one a computes it once). Uses the series for P when
 * x < a + 1 (then Q = 1 − P) and the modified-Lentz continued fraction for Q
 * otherwise; both converge fast in their region (NR3 §6.2). No argument checks:
 * this is the calorimeter's inner loop; use gammaQ for checked calls.
 */
export function gammaQWithLogGamma(a: number, x: number, logGammaA: number, eps = GAMMA_EPS): number {
  if (x <= 0) return 1;
  const maxIter = maxIterations(a);
  const logPrefactor = a * Math.log(x) - x - logGammaA;
  if (x < a + 1) {
    // P(a, x) = e^{−x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n))
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < maxIter; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * eps) return 1 - sum * Math.exp(logPrefactor);
    }
    throw new Error(`gammaQ: series did not converge for a = ${a}, x = ${x}`);
  }
  // Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < eps) return Math.exp(logPrefactor) * h;
  }
  throw new Error(`gammaQ: continued fraction did not converge for a = ${a}, x = ${x}`);
}

/**
 * Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0.
 * Accurate to ≈ 1e-14 relative for P and for its complement Q (each is
 * computed directly where it is the small one) for 0.5 ≲ a ≲ 100, the range
 * the shower profiles use (α ∈ (1.5, ~15)). Outside it the error grows: Q for
 * a ≪ 1 and x < a + 1 is 1 − P (3.5e-9 relative at a = 1e-6, x = 1), and at
 * a ~ 1e6 the prefactor a·ln x − x − ln Γ(a) cancels (≈ 2e-9 relative).
 */
export function gammaP(a: number, x: number): number {
  checkGammaArgs('gammaP', a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  const lg = logGamma(a);
  if (x < a + 1) return seriesP(a, x, lg);
  return 1 - gammaQWithLogGamma(a, x, lg);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  checkGammaArgs('gammaQ', a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const lg = logGamma(a);
  if (x < a + 1) return 1 - seriesP(a, x, lg);
  return gammaQWithLogGamma(a, x, lg);
}

/** The series for P itself (not 1 − Q), so tiny P keeps its relative accuracy. */
function seriesP(a: number, x: number, logGammaA: number): number {
  const maxIter = maxIterations(a);
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < maxIter; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * GAMMA_EPS) return sum * Math.exp(a * Math.log(x) - x - logGammaA);
  }
  throw new Error(`gammaP: series did not converge for a = ${a}, x = ${x}`);
}

/** erf(x) = sign(x) P(½, x²). */
export function erf(x: number): number {
  if (Number.isNaN(x)) throw new Error('erf: x is NaN');
  if (x === 0) return 0;
  const v = gammaP(0.5, x * x);
  return x < 0 ? -v : v;
}

/** erfc(x) = 1 − erf(x), accurate in the far tail (Q(½, x²) for x > 0). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new Error('erfc: x is NaN');
  if (x >= 0) return gammaQ(0.5, x * x);
  return 1 + gammaP(0.5, x * x);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Standard normal CDF Φ(x), relative accuracy ≈ 1e-14 in both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new Error('normalCdf: x is NaN');
  // Use erfc on the side where Φ is small so the lower tail keeps its digits.
  return x < 0 ? 0.5 * erfc(-x / SQRT2) : 1 - 0.5 * erfc(x / SQRT2);
}

// Acklam's rational approximation to Φ⁻¹ (relative error < 1.15e-9), refined below.
const ACK_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACK_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACK_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACK_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse standard normal CDF Φ⁻¹(p) for p in (0, 1); ±Infinity at p = 0 or 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`normalQuantile: p must be in [0, 1] (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const [c0, c1, c2, c3, c4, c5] = ACK_C as [number, number, number, number, number, number];
    const [d0, d1, d2, d3] = ACK_D as [number, number, number, number];
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
    if (p > 1 - P_LOW) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    const [a0, a1, a2, a3, a4, a5] = ACK_A as [number, number, number, number, number, number];
    const [b0, b1, b2, b3, b4] = ACK_B as [number, number, number, number, number];
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  }
  // One Halley step on Φ(x) − p (cubic convergence) brings 1e-9 to ≈ 1e-15.
  // In the upper tail work with the complement so 1 − p keeps its digits.
  // (Φ(x) − p = (1 − p) − Φ(−x) there.)
  const e = x > 0 ? 1 - p - 0.5 * erfc(x / SQRT2) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * Exponential integral E_n(x) = ∫₁^∞ e^{−xt} t^{−n} dt for integer n ≥ 0, x ≥ 0
 * (x > 0 when n ≤ 1). NR3 §6.3: continued fraction for x > 1, series otherwise.
 * E.g. the slab rare-event benchmark (PHYSICS.md §3) needs E_2.
 */
export function expint(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`expint: n must be an integer >= 0 (got ${n})`);
  if (!(x >= 0) || (x === 0 && n <= 1)) throw new Error(`expint: x must be ${n <= 1 ? '> 0' : '>= 0'} for n = ${n} (got ${x})`);
  const EULER = 0.5772156649015329;
  const MAXIT = 1000;
  const nm1 = n - 1;
  if (n === 0) return Math.exp(-x) / x;
  if (x === 0) return 1 / nm1;
  if (x > 1) {
    let b = x + n;
    let c = 1 / FPMIN;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i <= MAXIT; i++) {
      const an = -i * (nm1 + i);
      b += 2;
      d = 1 / (an * d + b);
      c = b + an / c;
      const del = c * d;
      h *= del;
      if (Math.abs(del - 1) <= GAMMA_EPS) return h * Math.exp(-x);
    }
    throw new Error(`expint: continued fraction did not converge for n = ${n}, x = ${x}`);
  }
  let ans = nm1 !== 0 ? 1 / nm1 : -Math.log(x) - EULER;
  let fact = 1;
  for (let i = 1; i <= MAXIT; i++) {
    fact *= -x / i;
    let del: number;
    if (i !== nm1) {
      del = -fact / (i - nm1);
    } else {
      let psi = -EULER;
      for (let ii = 1; ii <= nm1; ii++) psi += 1 / ii;
      del = fact * (-Math.log(x) + psi);
    }
    ans += del;
    if (Math.abs(del) < Math.abs(ans) * GAMMA_EPS) return ans;
  }
  throw new Error(`expint: series did not converge for n = ${n}, x = ${x}`);
}
