// Per-design energy-scale calibration of RECO-OPT's reconstruction.
//
// One network reconstructs E for every candidate design, and it is most
// accurate where it has trained most: at the current design θ. Away from it
// its energy scale drifts (benchmarks/energy-scale-drift.ts, a network trained
// around 20 cm of PbWO4: off by 1.7 % at 22 cm, 3.4 % at 24, 5.9 % at 25). A 2 %
// scale error alone adds 4e-4 to δ, more than the resolution difference between
// a 20 and a 25 cm calorimeter (2.5e-4 vs 1.4e-4), so the raw δ has a spurious
// minimum near the current design (19 cm there) and the optimisation stalls.
// A real calorimeter is calibrated to its energy scale; its figure of merit is
// the resolution after calibration. So δ is taken after one scale factor per
// candidate, fitted to that candidate's own events by the same relative loss:
//     a = Σ r / Σ r²,  r = Ê/E,   δ_i = (a r_i − 1)².
// Leave-one-out (event i is not used for its own a), so δ is not optimistic,
// and n0 pseudo-events at r = 1 shrink a toward 1 when a candidate has few
// events (M = 5 in the TRANSFER study): a = (Σ_{j≠i} r_j + n0)/(Σ_{j≠i} r_j² + n0).

import { cholesky, cholSolve, dot } from '../lib/linalg.ts';

/** Calibrated per-event δ for the events of one candidate, given r_i = Ê_i / E_i. */
export function calibratedDeltas(ratios: ArrayLike<number>, priorEvents: number): Float32Array {
  if (!(priorEvents >= 0)) throw new Error(`calibrationPriorEvents: must be ≥ 0 (got ${priorEvents})`);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < ratios.length; i++) {
    s1 += ratios[i]!;
    s2 += ratios[i]! ** 2;
  }
  const out = new Float32Array(ratios.length);
  for (let i = 0; i < ratios.length; i++) {
    const r = ratios[i]!;
    const den = s2 - r * r + priorEvents;
    // one event and no prior: nothing to calibrate with, keep the raw error
    const a = den > 0 ? (s1 - r + priorEvents) / den : 1;
    out[i] = (a * r - 1) ** 2;
  }
  return out;
}

/** The fitted scale a = (Σ r + n0)/(Σ r² + n0) of a candidate (all its events), for reporting. */
export function calibrationScale(ratios: ArrayLike<number>, priorEvents: number): number {
  let s1 = priorEvents;
  let s2 = priorEvents;
  for (let i = 0; i < ratios.length; i++) {
    s1 += ratios[i]!;
    s2 += ratios[i]! ** 2;
  }
  return s2 > 0 ? s1 / s2 : 1;
}

/**
 * Calibrated per-event δ with layer weights ("intercalibration"): besides the
 * network's Ê, every scintillator layer's deposit y_l and a constant offset get
 * a per-candidate weight, fitted like the scale above (relative loss, leave-one-out):
 *     Ê'_i = β_0 Ê_i + Σ_l β_l y_il + β_c,   δ_i = ((Ê'_i − E_i)/E_i)².
 * Why: with several layers one network for all candidates interpolates the
 * sampling fractions between designs, and its error then swamps the differences
 * between designs (benchmarks/reco-calibration.ts: with one scale, δ is a median
 * 1.4–2.9× the per-design least-squares floor and ranks the candidates as the floor
 * does with Spearman 0.46–0.70; with layer weights 0.99–1.01× and 0.79–0.96); a real
 * sampling calorimeter fits its layer weights per configuration. The fit has
 * no prior (pseudo-events pulling β toward the network alone would fight the
 * data: the network's Ê is nearly a weighted sum of the same deposits, so the
 * data hardly tell the two apart and a prior wins), so a candidate needs
 * LAYER_EVENTS_PER_WEIGHT events per fitted weight; with fewer it falls back to
 * the scale alone, with its n0 pseudo-events. (The reconstruction objective gives
 * such candidates, e.g. M = 5, the pooled calibration below instead.)
 * Leave-one-out is exact through the hat matrix of the fit: residual_i / (1 − h_ii).
 */
/** Events per fitted weight below which the layer calibration falls back to the scale alone. */
export const LAYER_EVENTS_PER_WEIGHT = 10;

export function layerCalibratedDeltas(
  ratios: ArrayLike<number>,
  deposits: ArrayLike<number>,
  yDim: number,
  energies: ArrayLike<number>,
  priorEvents: number,
): Float32Array {
  if (!(priorEvents >= 0)) throw new Error(`calibrationPriorEvents: must be ≥ 0 (got ${priorEvents})`);
  const n = ratios.length;
  if (deposits.length !== n * yDim) throw new Error(`layer calibration: deposits must hold n × yDim = ${n * yDim} values (got ${deposits.length})`);
  if (energies.length !== n) throw new Error(`layer calibration: energies must hold ${n} values (got ${energies.length})`);
  // columns: Ê/E, y_l/E, 1/E; a layer that never sees energy (zero thickness) is left out
  const columns: ((i: number) => number)[] = [(i) => ratios[i]!];
  for (let l = 0; l < yDim; l++) {
    let any = false;
    for (let i = 0; i < n && !any; i++) any = deposits[i * yDim + l] !== 0;
    if (any) columns.push((i) => deposits[i * yDim + l]! / energies[i]!);
  }
  columns.push((i) => 1 / energies[i]!);
  const p = columns.length;
  if (n < LAYER_EVENTS_PER_WEIGHT * p) return calibratedDeltas(ratios, priorEvents);
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) x[i * p + k] = columns[k]!(i);
  return looRelativeDeltas(x, n, p, ratios);
}

/**
 * Leave-one-out δ_i = ((x_i·β₋ᵢ − 1))² of the least-squares fit x·β ≈ 1 (rows
 * already divided by E, so this is the relative loss), exact through the hat
 * matrix: residual_i / (1 − h_ii). Rows the fit cannot leave out (h ≈ 1), or all
 * rows when XᵀX is singular, keep the network's raw error (r_i − 1)².
 */
function looRelativeDeltas(x: Float64Array, n: number, p: number, ratios: ArrayLike<number>): Float32Array {
  // A = XᵀX, b = Xᵀ1, with a 1e-9 relative ridge for conditioning only
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let k = 0; k < p; k++) {
      b[k]! += x[o + k]!;
      for (let j = 0; j <= k; j++) A[k * p + j]! += x[o + k]! * x[o + j]!;
    }
  }
  for (let k = 0; k < p; k++) for (let j = 0; j < k; j++) A[j * p + k] = A[k * p + j]!;
  for (let k = 0; k < p; k++) A[k * p + k]! *= 1 + 1e-9;
  const out = new Float32Array(n);
  let L: Float64Array;
  try {
    L = cholesky(A, p).L;
  } catch {
    for (let i = 0; i < n; i++) out[i] = (ratios[i]! - 1) ** 2;
    return out;
  }
  const beta = cholSolve(L, p, b);
  for (let i = 0; i < n; i++) {
    const xi = x.subarray(i * p, (i + 1) * p);
    const residual = 1 - dot(xi, beta, p);
    const h = dot(xi, cholSolve(L, p, xi), p);
    out[i] = 1 - h > 1e-9 ? (residual / (1 - h)) ** 2 : (ratios[i]! - 1) ** 2;
  }
  return out;
}

/**
 * Few events per candidate (M = 5): one calibration for all candidates of the
 * iteration whose weights vary linearly with the design,
 *     Ê'_i = Σ_c β_c(θ) f_c(i),  β_c(θ) = β_c0 + Σ_k β_ck (θ_k − θ̄_k)/s_k,
 * with f = (Ê, y_l, 1) as in the per-candidate fit and θ̄, s the candidates'
 * mean and spread. Why: the scale-only fallback with its prior leaves the
 * network's design-dependent error in δ, and a network kept across iterations
 * (transfer learning) is best at the designs it trained on, so δ then favours
 * the past designs and the design climbs slowly (TRANSFER M = 5: with TL, 20 cm
 * first at iterations 56 / 44 / 86, without TL — a network refitted each
 * iteration from a least-squares start — at 25 / 23 / 25). A calibration linear
 * in θ removes that bias to first order across the candidates, the scale the
 * surrogate's gradient is taken on. Same relative loss, exact leave-one-out,
 * and LAYER_EVENTS_PER_WEIGHT events per weight, dropping the layer terms and
 * then the pooling when there are fewer.
 * Returns one δ array per candidate, or null when even the pooled scale has too
 * few events (the caller then keeps the per-candidate scale).
 */
export function pooledCalibratedDeltas(
  ratios: ArrayLike<number>,
  deposits: ArrayLike<number>,
  yDim: number,
  energies: ArrayLike<number>,
  candidateEvents: readonly number[],
  thetas: readonly (readonly number[])[],
): Float32Array[] | null {
  const n = ratios.length;
  if (candidateEvents.reduce((a, b) => a + b, 0) !== n) throw new Error(`pooled calibration: candidateEvents must add up to ${n} events`);
  if (thetas.length !== candidateEvents.length) throw new Error(`pooled calibration: ${thetas.length} designs for ${candidateEvents.length} candidates`);
  if (deposits.length !== n * yDim) throw new Error(`pooled calibration: deposits must hold n × yDim = ${n * yDim} values (got ${deposits.length})`);
  const F = thetas[0]?.length ?? 0;
  // design coordinates of every event, centred and scaled over the candidates; constant ones are dropped
  const dims: { mean: number; scale: number; k: number }[] = [];
  for (let k = 0; k < F; k++) {
    const v = thetas.map((t) => t[k]!);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    if (sd > 1e-9) dims.push({ mean, scale: sd, k });
  }
  const eventCandidate = new Int32Array(n);
  for (let c = 0, i = 0; c < candidateEvents.length; c++) for (let e = 0; e < candidateEvents[c]!; e++) eventCandidate[i++] = c;
  const base: ((i: number) => number)[] = [(i) => ratios[i]!];
  const layers: ((i: number) => number)[] = [];
  for (let l = 0; l < yDim; l++) {
    let any = false;
    for (let i = 0; i < n && !any; i++) any = deposits[i * yDim + l] !== 0;
    if (any) layers.push((i) => deposits[i * yDim + l]! / energies[i]!);
  }
  const offset = (i: number) => 1 / energies[i]!;
  const modulators: ((i: number) => number)[] = [() => 1, ...dims.map((d) => (i: number) => (thetas[eventCandidate[i]!]![d.k]! - d.mean) / d.scale)];
  for (const features of [[...base, ...layers, offset], base]) {
    const p = features.length * modulators.length;
    if (n < LAYER_EVENTS_PER_WEIGHT * p) continue;
    const x = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      let j = i * p;
      for (const f of features) {
        const v = f(i);
        for (const m of modulators) x[j++] = v * m(i);
      }
    }
    const all = looRelativeDeltas(x, n, p, ratios);
    const out: Float32Array[] = [];
    for (let c = 0, i = 0; c < candidateEvents.length; i += candidateEvents[c]!, c++) out.push(all.slice(i, i + candidateEvents[c]!));
    return out;
  }
  return null;
}
