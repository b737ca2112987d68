// Geometry of the toy LEGEND-1000 neutron moderator (RESuM, seed 000 §5.1, Fig. 2 right):
// n flat PMMA panels of length L and thickness d whose centres sit on a circle
// of radius r around the inner detector, each tilted by φ away from the tangent
// (φ = 0: the panels form a polygonal tube; φ = 90°: radial fins, a turbine).
// The panels span the full height of the argon volume, so every path length
// through them is a 2-D chord in the horizontal plane divided by sin(polar angle).
// Everything here is closed form so a ray costs a handful of panel tests.

/** Parameter names in θ order, as the design space and the constraints use them. */
export const MODERATOR_PARAMETERS = ['r', 'd', 'n', 'phi', 'L'] as const;

export interface ModeratorDesign {
  /** radius of the circle through the panel centres (cm) */
  r: number;
  /** panel thickness (cm) */
  d: number;
  /** number of panels (integer) */
  n: number;
  /** tilt of each panel away from the tangent (degrees) */
  phiDeg: number;
  /** panel length (cm) */
  L: number;
}

/** Bounds as the public RESuM code sets them (PHYSICS.md §2). */
export const MODERATOR_BOUNDS: Record<(typeof MODERATOR_PARAMETERS)[number], [number, number]> = {
  r: [90, 265],
  d: [1, 20],
  n: [4, 360],
  phi: [0, 90],
  L: [1, 150],
};

/** Feasibility limits of PHYSICS.md §2 (cm). */
export const MODERATOR_LIMITS = { innerRadiusMin: 90, outerRadiusMax: 265, radialExtentMax: 20 };

/** Turns θ = [r, d, n, φ, L] into a design; n is rounded; bad input names the parameter. */
export function toDesign(theta: readonly number[]): ModeratorDesign {
  if (!Array.isArray(theta) && !ArrayBuffer.isView(theta)) throw new Error('moderator theta: expected an array [r, d, n, phi, L]');
  if (theta.length !== 5) throw new Error(`moderator theta: expected 5 values [r, d, n, phi, L], got ${theta.length}`);
  const tol = 1e-9;
  theta.forEach((v, i) => {
    const name = MODERATOR_PARAMETERS[i]!;
    const [lo, hi] = MODERATOR_BOUNDS[name];
    if (!Number.isFinite(v)) throw new Error(`moderator theta.${name}: must be a finite number (got ${v})`);
    if (v < lo - tol * Math.abs(lo) - tol || v > hi + tol * Math.abs(hi) + tol) {
      throw new Error(`moderator theta.${name}: ${v} is outside its bounds [${lo}, ${hi}]`);
    }
  });
  return { r: theta[0]!, d: theta[1]!, n: Math.round(theta[2]!), phiDeg: theta[3]!, L: theta[4]! };
}

/**
 * Inner and outer radius of the moderator: the closest and farthest point of a
 * panel from the axis. In a frame at the panel centre with axes e (along the
 * panel) and m (its normal), the axis sits at (−r sin φ, −r cos φ); clamping that
 * point onto the rectangle gives the closest point, and the farthest point is a corner.
 */
export function moderatorRadii(des: ModeratorDesign): { inner: number; outer: number } {
  const phi = (des.phiDeg * Math.PI) / 180;
  const s = Math.sin(phi);
  const c = Math.cos(phi);
  const { r, d, L } = des;
  const ae = r * s - Math.min(L / 2, r * s);
  const am = r * c - Math.min(d / 2, r * c);
  const inner = Math.hypot(ae, am);
  let outer = 0;
  for (const se of [-1, 1]) {
    for (const sm of [-1, 1]) {
      // corner radial and tangential coordinates
      const radial = r + se * (L / 2) * s + sm * (d / 2) * c;
      const tangential = se * (L / 2) * c - sm * (d / 2) * s;
      outer = Math.max(outer, Math.hypot(radial, tangential));
    }
  }
  return { inner, outer };
}

/**
 * Adjacent panels must not cross. The mid-line of every panel is tangent to the
 * circle of radius p = r cos φ, and its centre lies r sin φ beyond the tangent
 * point. Two tangents whose tangent points are 2π/n apart meet p·tan(π/n) from
 * each tangent point, so the mid-lines cross iff L/2 ≥ r sin φ + r cos φ tan(π/n);
 * panels further apart meet further out (tan grows), so the neighbour is binding.
 * Thickness is ignored: the closed-tube baseline (n = 360, L = 2πr/360) touches
 * at the joints only through its corners.
 */
export function panelsCross(des: ModeratorDesign): boolean {
  const phi = (des.phiDeg * Math.PI) / 180;
  return des.L / 2 >= des.r * (Math.sin(phi) + Math.cos(phi) * Math.tan(Math.PI / des.n));
}

/** The constraints of PHYSICS.md §2 as mathjs strings over r, d, n, phi (degrees), L. */
export const MODERATOR_CONSTRAINTS: string[] = (() => {
  const s = 'sin(phi * pi / 180)';
  const c = 'cos(phi * pi / 180)';
  const inner = `sqrt((r * ${s} - min(L / 2, r * ${s}))^2 + (r * ${c} - min(d / 2, r * ${c}))^2)`;
  // corner (±L/2, ±d/2): radial r + se·L/2·sin φ + sm·d/2·cos φ, tangential se·L/2·cos φ − sm·d/2·sin φ
  const corner = (se: string, sm: string) =>
    `(r ${se} L / 2 * ${s} ${sm} d / 2 * ${c})^2 + (L / 2 * ${c} ${se === sm ? '-' : '+'} d / 2 * ${s})^2`;
  const outer = `sqrt(max(${corner('+', '+')}, ${corner('+', '-')}, ${corner('-', '+')}, ${corner('-', '-')}))`;
  return [
    `${inner} >= ${MODERATOR_LIMITS.innerRadiusMin}`,
    `${outer} <= ${MODERATOR_LIMITS.outerRadiusMax}`,
    `${outer} - ${inner} <= ${MODERATOR_LIMITS.radialExtentMax}`,
    `n * d * L <= pi * (${outer}^2 - ${inner}^2)`,
    `L / 2 <= r * (${s} + ${c} * tan(pi / n))`,
  ];
})();

/** All feasibility conditions of PHYSICS.md §2, evaluated directly (same as MODERATOR_CONSTRAINTS). */
export function isFeasibleModerator(theta: readonly number[]): boolean {
  let des: ModeratorDesign;
  try {
    des = toDesign(theta);
  } catch {
    return false;
  }
  const { inner, outer } = moderatorRadii(des);
  const eps = 1e-9;
  return (
    inner >= MODERATOR_LIMITS.innerRadiusMin - eps &&
    outer <= MODERATOR_LIMITS.outerRadiusMax + eps &&
    outer - inner <= MODERATOR_LIMITS.radialExtentMax + eps &&
    des.n * des.d * des.L <= Math.PI * (outer * outer - inner * inner) + eps &&
    !panelsCross(des)
  );
}

/** Closed PMMA tube of the given radius and thickness: n = 360 tangent panels of length 2πr/360. */
export function closedTube(r: number, d: number): number[] {
  return [r, d, 360, 0, (2 * Math.PI * r) / 360];
}

/**
 * Precomputed panel layout for fast ray tests. Panel j has centre
 * r(cos α_j, sin α_j), α_j = 2πj/n, long axis e_j = cos φ t̂ + sin φ r̂ and normal
 * m_j = −sin φ t̂ + cos φ r̂ (r̂, t̂ radial and tangential at α_j).
 */
export class PanelLayout {
  readonly design: ModeratorDesign;
  readonly inner: number;
  readonly outer: number;
  private readonly cx: Float64Array;
  private readonly cy: Float64Array;
  private readonly ex: Float64Array;
  private readonly ey: Float64Array;
  private readonly mx: Float64Array;
  private readonly my: Float64Array;
  /** radius of the disc around a panel centre that contains the panel */
  private readonly halfDiagonal: number;
  /** half the azimuthal width (seen from the axis) of that disc */
  private readonly halfAngle: number;
  private readonly step: number;

  constructor(design: ModeratorDesign) {
    this.design = design;
    const { inner, outer } = moderatorRadii(design);
    this.inner = inner;
    this.outer = outer;
    const n = design.n;
    const phi = (design.phiDeg * Math.PI) / 180;
    this.cx = new Float64Array(n);
    this.cy = new Float64Array(n);
    this.ex = new Float64Array(n);
    this.ey = new Float64Array(n);
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    this.step = (2 * Math.PI) / n;
    for (let j = 0; j < n; j++) {
      const a = j * this.step;
      const ca = Math.cos(a);
      const sa = Math.sin(a);
      // r̂ = (ca, sa), t̂ = (−sa, ca)
      this.cx[j] = design.r * ca;
      this.cy[j] = design.r * sa;
      this.ex[j] = Math.cos(phi) * -sa + Math.sin(phi) * ca;
      this.ey[j] = Math.cos(phi) * ca + Math.sin(phi) * sa;
      this.mx[j] = -Math.sin(phi) * -sa + Math.cos(phi) * ca;
      this.my[j] = -Math.sin(phi) * ca + Math.cos(phi) * sa;
    }
    this.halfDiagonal = Math.hypot(design.L / 2, design.d / 2);
    this.halfAngle = Math.asin(Math.min(1, this.halfDiagonal / design.r));
  }

  /** Chord (2-D length) of the segment p0 + s·v, s ∈ [s0, s1], inside panel j (slab method). */
  private panelChord(j: number, px: number, py: number, vx: number, vy: number, s0: number, s1: number): number {
    const dx = px - this.cx[j]!;
    const dy = py - this.cy[j]!;
    let lo = s0;
    let hi = s1;
    // along the panel: |a0 + s·va| ≤ L/2
    const a0 = dx * this.ex[j]! + dy * this.ey[j]!;
    const va = vx * this.ex[j]! + vy * this.ey[j]!;
    const hl = this.design.L / 2;
    if (Math.abs(va) < 1e-12) {
      if (Math.abs(a0) > hl) return 0;
    } else {
      let t1 = (-hl - a0) / va;
      let t2 = (hl - a0) / va;
      if (t1 > t2) [t1, t2] = [t2, t1];
      if (t1 > lo) lo = t1;
      if (t2 < hi) hi = t2;
      if (hi <= lo) return 0;
    }
    // across the panel: |b0 + s·vb| ≤ d/2
    const b0 = dx * this.mx[j]! + dy * this.my[j]!;
    const vb = vx * this.mx[j]! + vy * this.my[j]!;
    const hd = this.design.d / 2;
    if (Math.abs(vb) < 1e-12) {
      if (Math.abs(b0) > hd) return 0;
    } else {
      let t1 = (-hd - b0) / vb;
      let t2 = (hd - b0) / vb;
      if (t1 > t2) [t1, t2] = [t2, t1];
      if (t1 > lo) lo = t1;
      if (t2 < hi) hi = t2;
    }
    return hi > lo ? hi - lo : 0;
  }

  /** Sum of panel chords for s ∈ [s0, s1] of one interval that lies inside the panel band. */
  private intervalChord(px: number, py: number, vx: number, vy: number, s0: number, s1: number): number {
    if (s1 <= s0) return 0;
    // The azimuth seen from the axis changes monotonically along a straight line,
    // so the panels the interval can touch lie between the end azimuths ± halfAngle.
    const az0 = Math.atan2(py + s0 * vy, px + s0 * vx);
    const az1 = Math.atan2(py + s1 * vy, px + s1 * vx);
    let sweep = az1 - az0;
    if (sweep > Math.PI) sweep -= 2 * Math.PI;
    if (sweep < -Math.PI) sweep += 2 * Math.PI;
    const lo = Math.min(az0, az0 + sweep) - this.halfAngle;
    const hi = Math.max(az0, az0 + sweep) + this.halfAngle;
    const n = this.design.n;
    const kLo = Math.ceil(lo / this.step);
    let kHi = Math.floor(hi / this.step);
    if (kHi - kLo + 1 > n) kHi = kLo + n - 1;
    let sum = 0;
    for (let k = kLo; k <= kHi; k++) {
      const j = ((k % n) + n) % n;
      sum += this.panelChord(j, px, py, vx, vy, s0, s1);
    }
    return sum;
  }

  /**
   * Total 2-D path length inside PMMA of the segment p0 + s·v (v a unit vector
   * in the plane), s ∈ [0, sMax]. Only the part of the segment inside the annulus
   * [r − halfDiagonal, r + halfDiagonal] can touch a panel; a line meets an
   * annulus in at most two intervals.
   */
  chord(px: number, py: number, vx: number, vy: number, sMax: number): number {
    const rLo = Math.max(0, this.design.r - this.halfDiagonal);
    const rHi = this.design.r + this.halfDiagonal;
    // |p0 + s v|² = s² + 2 s (p0·v) + |p0|²
    const pv = px * vx + py * vy;
    const pp = px * px + py * py;
    const discHi = pv * pv - (pp - rHi * rHi);
    if (discHi <= 0) return 0;
    const sqHi = Math.sqrt(discHi);
    const outA = Math.max(0, -pv - sqHi);
    const outB = Math.min(sMax, -pv + sqHi);
    if (outB <= outA) return 0;
    const discLo = pv * pv - (pp - rLo * rLo);
    if (discLo <= 0) return this.intervalChord(px, py, vx, vy, outA, outB);
    const sqLo = Math.sqrt(discLo);
    const inA = -pv - sqLo;
    const inB = -pv + sqLo;
    return (
      this.intervalChord(px, py, vx, vy, outA, Math.min(outB, inA)) + this.intervalChord(px, py, vx, vy, Math.max(outA, inB), outB)
    );
  }

  /** Depth of the point below the panel's inner face if it lies inside a panel, else −1. */
  insidePanel(px: number, py: number): number {
    const rho = Math.hypot(px, py);
    if (rho < this.design.r - this.halfDiagonal || rho > this.design.r + this.halfDiagonal) return -1;
    const az = Math.atan2(py, px);
    const n = this.design.n;
    const kLo = Math.ceil((az - this.halfAngle) / this.step);
    let kHi = Math.floor((az + this.halfAngle) / this.step);
    if (kHi - kLo + 1 > n) kHi = kLo + n - 1;
    for (let k = kLo; k <= kHi; k++) {
      const j = ((k % n) + n) % n;
      const dx = px - this.cx[j]!;
      const dy = py - this.cy[j]!;
      const a = dx * this.ex[j]! + dy * this.ey[j]!;
      const b = dx * this.mx[j]! + dy * this.my[j]!;
      // m points outward (cos φ r̂ component), so the inner face is at b = −d/2
      if (Math.abs(a) <= this.design.L / 2 && Math.abs(b) <= this.design.d / 2) return b + this.design.d / 2;
    }
    return -1;
  }
}
