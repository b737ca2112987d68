// Initial designs for RESuM (seed 000 §6: LF runs on a Latin hypercube):
// an integer-aware, feasibility-aware Latin hypercube. Every dimension is cut
// into N equal strata and each stratum holds exactly one point; an infeasible
// point is repaired by redrawing its coordinates INSIDE its own strata, so the
// stratification survives the constraints. Integer parameters are rounded.
import type { Rng } from '../lib/random.ts';

export interface BoxSpec {
  lower: readonly number[];
  upper: readonly number[];
  integer: readonly boolean[];
  feasible: (theta: readonly number[]) => boolean;
}

/** Rounds the integer coordinates and clips into the box. */
export function roundDesign(box: BoxSpec, theta: readonly number[]): number[] {
  return theta.map((v, d) => {
    const c = Math.min(box.upper[d]!, Math.max(box.lower[d]!, v));
    return box.integer[d] ? Math.round(c) : c;
  });
}

/**
 * N designs, one per stratum in every dimension (strata of width (upper − lower)/N),
 * integer dimensions rounded, all feasible. Repair keeps the stratification:
 * an infeasible point is first redrawn inside its own strata; if that fails,
 * its stratum in one random dimension is swapped with another point's (both
 * redrawn), accepted when the number of feasible points does not drop.
 * A strict Latin hypercube can be impossible under the constraints (moderator:
 * every panel longer than ~75 cm needs n ≲ 22, yet half of the L strata lie
 * above 75 cm), so points still infeasible after `maxSwaps` swaps are replaced
 * by the feasible points of further box Latin hypercubes (rejection); `stats`
 * reports how many. Without binding constraints the result is a strict LHS.
 */
export function feasibleLatinHypercube(box: BoxSpec, N: number, rng: Rng, stats?: { replaced: number }, maxSwaps = Math.min(20 * N, 4000)): number[][] {
  if (!Number.isInteger(N) || N < 1) throw new Error(`latin hypercube size: must be a positive integer (got ${N})`);
  const D = box.lower.length;
  if (box.upper.length !== D || box.integer.length !== D) throw new Error('latin hypercube box: lower, upper and integer must have the same length');
  const strata = Array.from({ length: D }, () => rng.permutation(N));
  const draw = (i: number): number[] =>
    roundDesign(
      box,
      strata.map((perm, d) => box.lower[d]! + ((perm[i]! + rng.uniform()) / N) * (box.upper[d]! - box.lower[d]!)),
    );
  /** up to `tries` draws inside point i's strata; the first feasible one, else the last */
  const tryDraw = (i: number, tries: number): number[] => {
    let x = draw(i);
    for (let t = 1; t < tries && !box.feasible(x); t++) x = draw(i);
    return x;
  };
  const pts = Array.from({ length: N }, (_, i) => tryDraw(i, 100));
  const ok = pts.map((x) => box.feasible(x));
  let bad = ok.filter((v) => !v).length;
  for (let s = 0; bad > 0 && s < maxSwaps; s++) {
    const i = ok.indexOf(false);
    const j = rng.int(N);
    const d = rng.int(D);
    if (i === j) continue;
    const perm = strata[d]!;
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    const xi = tryDraw(i, 20);
    const xj = tryDraw(j, 20);
    const fi = box.feasible(xi);
    const fj = box.feasible(xj);
    const before = (ok[i] ? 1 : 0) + (ok[j] ? 1 : 0);
    if ((fi ? 1 : 0) + (fj ? 1 : 0) >= before && (fi || fj || before === 0)) {
      pts[i] = xi;
      pts[j] = xj;
      bad += before - ((fi ? 1 : 0) + (fj ? 1 : 0));
      ok[i] = fi;
      ok[j] = fj;
    } else {
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
  }
  if (stats) stats.replaced = bad;
  if (bad === 0) return pts;
  // rejection from fresh box hypercubes for the points that could not be repaired
  const extra: number[][] = [];
  for (let round = 0; extra.length < bad; round++) {
    if (round > 1000) throw new Error(`latin hypercube: ${bad} of ${N} points stayed infeasible and rejection found too few feasible points (constraints too tight)`);
    for (const u of rng.latinHypercube(N, D)) {
      const x = roundDesign(
        box,
        u.map((v, d) => box.lower[d]! + v * (box.upper[d]! - box.lower[d]!)),
      );
      if (box.feasible(x)) extra.push(x);
    }
  }
  let k = 0;
  return pts.map((x, i) => (ok[i] ? x : extra[k++]!));
}

/** M uniform feasible points of the box (rejection), integer dimensions rounded. */
export function feasibleUniform(box: BoxSpec, M: number, rng: Rng, maxTries = 1000): number[][] {
  const out: number[][] = [];
  let tries = 0;
  while (out.length < M) {
    if (++tries > maxTries * Math.max(1, M)) throw new Error('feasibleUniform: the feasible region is too small to sample by rejection');
    const x = roundDesign(
      box,
      box.lower.map((lo, d) => rng.uniformRange(lo, box.upper[d]!)),
    );
    if (box.feasible(x)) out.push(x);
  }
  return out;
}

/** Nearest feasible rounding of a continuous design: round, then try n ± k on integer dimensions. */
export function repairDesign(box: BoxSpec, theta: readonly number[], maxShift = 20): number[] | null {
  const x = roundDesign(box, theta);
  if (box.feasible(x)) return x;
  const intDims = box.integer.map((b, d) => (b ? d : -1)).filter((d) => d >= 0);
  for (let k = 1; k <= maxShift; k++) {
    for (const d of intDims) {
      for (const s of [-k, k]) {
        const y = x.slice();
        y[d] = Math.min(box.upper[d]!, Math.max(box.lower[d]!, x[d]! + s));
        if (box.feasible(y)) return y;
      }
    }
  }
  return null;
}
